"""An application waiting for the applicant (a revision asked) stays in the
officer workspace: in its queue ("my tasks" once claimed, else "unassigned")
and the supervisor's "whole agency" queue with the stopped clock and the
working time left, filterable by its state, and on the workspace application
page instead of a deadline (tester's report: paused applications disappeared
from /ruang-kerja/)."""

from django.test import Client
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from tests.sla.conftest import city_calendar, licence  # noqa: F401  (fixtures)
from tests.sla.test_paused_display import _revision_asked

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
QUEUE = reverse("workspace:queue")
WAITING = "waiting_for_applicant"


@pytest.fixture
def waiting(licence, citizen, front_office):  # noqa: F811
    """Revision asked at 10:00 WIB after 2 working hours: 40 h left; the
    step stays active and unassigned."""
    return _revision_asked(licence, citizen, front_office)


def _rows(html: str) -> int:
    return html.count('data-testid="task-row"')


def test_the_officers_and_the_supervisor_see_it_paused_with_time_left(
    waiting, front_office, supervisor, login
):
    officer = login(front_office, Client())
    # Nobody claimed the step before asking: it waits in the unassigned queue.
    open_ = officer.get(QUEUE, {"tab": "unassigned"}).content.decode()
    assert waiting.reference in open_
    assert "Waktu layanan dihentikan" in open_
    assert "sisa waktu kerja 40 j 0 mnt" in open_
    step = waiting.steps.get(status="active")
    officer.post(reverse("workspace:claim", args=[waiting.uuid, step.pk]))
    mine = officer.get(QUEUE, {"tab": "mine"}).content.decode()
    assert _rows(mine) == 1
    assert waiting.reference in mine
    assert "sisa waktu kerja 40 j 0 mnt" in mine

    boss = login(supervisor, Client())
    agency = boss.get(QUEUE, {"tab": "agency"}).content.decode()
    assert waiting.reference in agency
    assert "sisa waktu kerja 40 j 0 mnt" in agency
    assert 'data-testid="tab-agency"' in agency

    api = login(supervisor, APIClient())
    response = api.get("/api/v1/workspace/tasks/", {"tab": "agency"})
    (task,) = response.json()["results"]
    assert task["sla_state"] == "paused"
    assert task["sla_remaining_minutes"] == 40 * 60


def test_the_state_filter_offers_and_applies_waiting_for_the_applicant(
    waiting, supervisor, login
):
    client = login(supervisor, Client())
    html = client.get(QUEUE, {"tab": "agency"}).content.decode()
    assert f'<option value="{WAITING}"' in html
    assert "Menunggu pemohon" in html
    only = client.get(QUEUE, {"tab": "agency", "state": WAITING}).content.decode()
    assert _rows(only) == 1
    assert waiting.reference in only
    other = client.get(QUEUE, {"tab": "agency", "state": "submitted"})
    assert _rows(other.content.decode()) == 0


@pytest.mark.parametrize(
    ("language", "paused", "left"),
    [
        ("id", "Waktu layanan dihentikan", "sisa waktu kerja 40 j 0 mnt"),
        ("en", "Clock paused", "40 h 0 min of working time left"),
    ],
)
def test_the_application_page_shows_the_stopped_clock_not_no_deadline(
    waiting, front_office, login, language, paused, left
):
    client = login(front_office, Client())
    html = client.get(
        reverse("workspace:application", args=[waiting.uuid]),
        headers={"accept-language": language},
    ).content.decode()
    start = html.index('data-testid="deadline"')
    row = html[start : start + 400]
    assert 'data-testid="sla-paused"' in row
    assert paused in row
    assert left in row


def test_another_agency_never_sees_it(waiting, outsider, login):
    client = login(outsider, Client())
    for tab in ("mine", "unassigned"):
        html = client.get(QUEUE, {"tab": tab}).content.decode()
        assert waiting.reference not in html
    page = client.get(reverse("workspace:application", args=[waiting.uuid]))
    assert page.status_code == 404
