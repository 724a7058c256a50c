"""The public dashboard, its CSV and API read only the aggregate tables; the
agency's supervisors and heads also see the workload per officer."""

import csv
import datetime as dt
import io

from django.urls import reverse

import pytest

from transparency.aggregates import stats_refresh
from transparency.services import survey_invitations_sweep, survey_submit

from .conftest import WIB, at, issue

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def figures(submitted, citizen, front_office, verifier, approver):
    """One issued application with a survey answered all 4, refreshed."""
    issue(submitted, front_office, verifier, approver)
    survey_invitations_sweep()
    survey_submit(
        invitation=citizen.survey_invitations.get(),
        user=citizen,
        answers={f"u{i}": 4 for i in range(1, 10)},
    )
    stats_refresh()
    return submitted


def test_public_dashboard_shows_agency_lines_and_charts(
    figures, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = client.get(reverse("transparency:dashboard"))
    assert page.status_code == 200
    text = page.text
    assert "<svg" in text
    assert 'aria-labelledby="trend-title trend-desc"' in text
    assert 'data-code="DINKES"' in text
    assert 'data-ikm="100.00"' in text


def test_agency_page_lists_services_without_workload_for_the_public(
    figures, client, django_assert_max_num_queries
):
    url = reverse("transparency:agency", args=["DINKES"])
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.status_code == 200
    assert 'data-code="sip-dokter"' in page.text
    assert "workload-heading" not in page.text


def test_head_sees_the_workload_of_their_agency_only(
    figures, client, login, dinkes_head
):
    login(dinkes_head)
    own = client.get(reverse("transparency:agency", args=["DINKES"]))
    assert "workload-heading" in own.text
    assert "verif" in own.text  # the Dinkes verifier's row
    other = client.get(reverse("transparency:agency", args=["DPMPTSP"]))
    assert "workload-heading" not in other.text


def test_page_does_not_count_applications_per_request(
    figures, client, submitted, licence, citizen
):
    """A new submission shows up only after the refresh task ran."""
    from .conftest import submit

    before = client.get(reverse("transparency:dashboard")).text
    submit(licence, citizen, key="baru")
    assert (
        client.get(reverse("transparency:dashboard")).text.count(
            'data-stat="received">1<'
        )
        == before.count('data-stat="received">1<')
        == 1
    )
    stats_refresh()
    after = client.get(reverse("transparency:dashboard")).text
    assert 'data-stat="received">2<' in after


def test_csv_download(figures, client):
    response = client.get(reverse("transparency:csv") + "?instansi=DINKES")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    period = [r for r in rows if r["period"] == "last-12-months" and r["service"]]
    assert period[0]["service"] == "sip-dokter"
    assert period[0]["received"] == "1"
    assert period[0]["finished"] == "1"
    assert client.get(reverse("transparency:csv") + "?instansi=NOPE").status_code == 404


def test_api_figures_and_months(figures, client):
    data = client.get("/api/v1/transparency/?agency=DINKES").json()
    assert data["total"]["received"] == 1
    assert data["total"]["ikm"]["grade"] == "A"
    assert data["lines"][0]["code"] == "sip-dokter"
    months = client.get("/api/v1/transparency/months/?agency=DINKES").json()
    assert any(row["service"] == "sip-dokter" for row in months["results"])


def test_semester_parameter_selects_the_ikm(figures, client):
    page = client.get(reverse("transparency:dashboard") + "?semester=2020-1")
    assert 'data-ikm="100.00"' not in page.text
    junk = client.get(reverse("transparency:dashboard") + "?semester=abc")
    assert junk.status_code == 200


def test_monthly_trend_spans_twelve_months(figures, client):
    with at(2026, 3, 5, 10):
        stats_refresh(now=dt.datetime(2026, 3, 5, 10, tzinfo=WIB))
    page = client.get(reverse("transparency:dashboard"))
    assert page.text.count('class="chart-received"') == 12


def test_ikm_csv_per_semester(figures, client):
    response = client.get(reverse("transparency:ikm_csv") + "?instansi=DINKES")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    service = next(r for r in rows if r["service"] == "sip-dokter")
    assert service["respondents"] == "1"
    assert service["nrr_u1"] == "4.00"
    assert (service["ikm"], service["grade"]) == ("100.00", "A")
    assert {r["agency"] for r in rows} == {"DINKES"}
