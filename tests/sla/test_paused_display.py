"""A paused service clock has no deadline (``due_at`` is empty): the officer
queues and the citizen's timeline say it is paused and how much working time
is left (issue 9, "while paused, the time that will remain")."""

from django.test import Client
from django.urls import reverse

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.choices import OfficerRole
from agencies.choices import SlaUnit, StepKind
from permits.services import application_request_revision
from sla.models import SlaTimer, TimerState

from .calendars import wib
from .conftest import make_sla_service, submit_at

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _revision_asked(licence, citizen, front_office):
    """Filed Tue 4 Aug 2026 08:00 WIB; the front office asks for a revision at
    10:00: 2 working hours used, 40 h left, the clock stops."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    with time_machine.travel(wib(2026, 8, 4, 10), tick=False):
        application_request_revision(
            application=application,
            step=application.steps.get(status="active"),
            user=front_office.user,
            seen_version=application.version,
            note="KTP tidak terbaca.",
        )
    application.refresh_from_db()
    assert application.due_at is None
    return application


@pytest.mark.parametrize(
    ("language", "paused", "left"),
    [
        ("id", "Waktu layanan dihentikan", "sisa waktu kerja 40 j 0 mnt"),
        ("en", "Clock paused", "40 h 0 min of working time left"),
    ],
)
def test_the_officer_work_list_shows_a_revision_as_paused_with_time_left(
    licence, citizen, front_office, login, language, paused, left
):
    _revision_asked(licence, citizen, front_office)
    c = login(front_office, Client())
    html = c.get(
        reverse("permits:work_list"), headers={"accept-language": language}
    ).content.decode()
    assert 'data-testid="sla-paused"' in html
    assert paused in html
    assert left in html, html[
        html.index("sla-paused") - 50 : html.index("sla-paused") + 300
    ]


def test_the_citizen_timeline_says_the_clock_waits_for_them(
    licence, citizen, front_office, login
):
    application = _revision_asked(licence, citizen, front_office)
    c = login(citizen, Client())
    html = c.get(reverse("permits:detail", args=[application.uuid])).content.decode()
    assert 'data-testid="sla-expected"' in html
    assert "40 j 0 mnt" in html, html[
        html.index("sla-expected") : html.index("sla-expected") + 300
    ]


@pytest.fixture
def paused_at_first_step(city_calendar, dpmptsp, dinkes, citizen):
    """A 5-working-day service whose first step (DPMPTSP front office) pauses
    the clock (``pauses_sla``, e.g. waiting for a site visit): the task is in
    the officer's queue with no deadline."""
    A = StepKind.AGENCY
    service = make_sla_service(
        code="izin-jeda",
        agency=dpmptsp,
        issuer=dpmptsp,
        value=5,
        unit=SlaUnit.WORKING_DAYS,
        steps=[
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, True, None),
            (A, dpmptsp, OfficerRole.APPROVER, False, None),
        ],
    )
    application = submit_at(service, citizen, wib(2026, 8, 4, 8))
    timer = SlaTimer.objects.get(application=application, step__isnull=True)
    assert timer.state == TimerState.PAUSED
    return application


def test_the_workspace_queue_and_api_show_the_paused_clock(
    paused_at_first_step, front_office, login
):
    application = paused_at_first_step
    c = login(front_office, Client())
    html = c.get(reverse("workspace:queue"), {"tab": "unassigned"}).content.decode()
    assert application.reference in html
    assert 'data-testid="sla-paused"' in html
    assert "sisa waktu kerja 42 j 0 mnt" in html

    api = login(front_office, APIClient())
    response = api.get("/api/v1/workspace/tasks/", {"tab": "unassigned"})
    assert response.status_code == 200, response.content
    (task,) = response.json()["results"]
    assert task["due_at"] is None
    assert task["sla_state"] == "paused"
    assert task["sla_remaining_minutes"] == 42 * 60
