"""Who may do what on every transparency endpoint: the figures are public;
surveys and complaints are scoped (another citizen's or agency's object is a
404 on every verb); answering needs the agency, handing over its heads."""

from django.urls import reverse

import pytest

from transparency.models import SurveyInvitation
from transparency.services import survey_invitations_sweep

from .conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(submitted, front_office, verifier, approver):
    issue(submitted, front_office, verifier, approver)
    survey_invitations_sweep()
    return SurveyInvitation.objects.get()


@pytest.mark.parametrize(
    "url",
    [
        "/transparansi/",
        "/transparansi/instansi/DINKES/",
        "/transparansi/unduh.csv",
        "/transparansi/ikm.csv",
        "/api/v1/transparency/",
        "/api/v1/transparency/months/",
    ],
)
def test_figures_are_public(client, dinkes, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/survey-invitations/",
        "/api/v1/complaints/",
    ],
)
def test_personal_api_needs_a_login(client, url):
    assert client.get(url).status_code in (401, 403)


def test_personal_pages_need_a_login(client, complaint, invitation):
    for name, args in [
        ("transparency:survey_list", []),
        ("transparency:survey", [invitation.uuid]),
        ("transparency:complaint_list", []),
        ("transparency:complaint_new", []),
        ("transparency:complaint_detail", [complaint.uuid]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302, name
        assert "/akun/masuk/" in response["Location"]


def test_another_citizens_objects_are_404_on_every_verb(
    client, complaint, invitation, other_citizen
):
    client.force_login(other_citizen)
    c, i = complaint.uuid, invitation.uuid
    assert client.get(f"/api/v1/complaints/{c}/").status_code == 404
    assert (
        client.post(f"/api/v1/complaints/{c}/answer/", {"answer": "x"}).status_code
        == 404
    )
    assert client.post(f"/api/v1/complaints/{c}/forward/").status_code == 404
    assert client.get(f"/api/v1/survey-invitations/{i}/").status_code == 404
    assert client.post(f"/api/v1/survey-invitations/{i}/answer/", {}).status_code == 404
    assert client.get(reverse("transparency:survey", args=[i])).status_code == 404
    assert client.post(reverse("transparency:survey", args=[i]), {}).status_code == 404
    assert (
        client.get(reverse("transparency:complaint_detail", args=[c])).status_code
        == 404
    )
    for name in ("complaint_answer", "complaint_forward"):
        url = reverse(f"transparency:{name}", args=[c])
        assert client.post(url, {"answer": "x"}).status_code == 404


def test_another_agencys_officer_gets_404(client, complaint, front_office, login):
    login(front_office)  # DPMPTSP; the complaint went to Dinkes
    c = complaint.uuid
    assert client.get(f"/api/v1/complaints/{c}/").status_code == 404
    assert (
        client.post(f"/api/v1/complaints/{c}/answer/", {"answer": "x"}).status_code
        == 404
    )
    assert client.post(f"/api/v1/complaints/{c}/forward/").status_code == 404
    inbox = client.get(reverse("transparency:complaint_inbox"))
    assert complaint.reference not in inbox.text


def test_citizen_cannot_answer_or_forward_their_own(client, complaint, citizen):
    client.force_login(citizen)
    c = complaint.uuid
    assert (
        client.post(f"/api/v1/complaints/{c}/answer/", {"answer": "x"}).status_code
        == 403
    )
    assert client.post(f"/api/v1/complaints/{c}/forward/").status_code == 403
    assert client.get(reverse("transparency:complaint_inbox")).status_code == 403


def test_only_the_agencys_heads_forward(
    client, complaint, verifier, dinkes_supervisor, login, settings
):
    settings.LAPOR_BASE_URL = ""
    c = complaint.uuid
    login(verifier)
    assert client.post(f"/api/v1/complaints/{c}/forward/").status_code == 403
    login(dinkes_supervisor)
    response = client.post(f"/api/v1/complaints/{c}/forward/")
    assert response.status_code == 200
    assert response.json()["status"] == "forwarded"


def test_auditor_reads_every_complaint_but_cannot_answer(
    client, complaint, make_user_in_group
):
    auditor = make_user_in_group("auditor")
    client.force_login(auditor)
    c = complaint.uuid
    assert client.get(f"/api/v1/complaints/{c}/").status_code == 200
    assert (
        client.post(f"/api/v1/complaints/{c}/answer/", {"answer": "x"}).status_code
        == 403
    )


def test_workload_api_for_the_agencys_heads_only(
    client, dinkes_head, verifier, login, front_office
):
    from transparency.aggregates import stats_refresh

    stats_refresh()
    url = "/api/v1/transparency/workload/?agency=DINKES"
    assert client.get(url).status_code in (401, 403)
    login(verifier)
    assert client.get(url).status_code == 404
    login(front_office)
    assert client.get(url).status_code == 404
    login(dinkes_head)
    rows = client.get(url).json()
    assert {r["officer"] for r in rows} == {"kadis", "verif"}
