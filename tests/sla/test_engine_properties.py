"""Property tests of the engine on the workflow (Hypothesis): what the ledger
and the stored deadline say agrees with the pure calculator, in working-time
terms, for any submission instant and any revision pause."""

import datetime as dt
import uuid

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permits.services import application_request_revision, application_resubmit
from sla.models import SegmentKind, SlaSegment, SlaTimer
from sla.services import sla_recompute

from .calendars import city_calendar, wib
from .conftest import submit_at

pytestmark = pytest.mark.django_db
CITY = city_calendar()
START = wib(2026, 7, 27)  # Monday; the range spans Hari Kemerdekaan (17 Aug)
MINUTE = dt.timedelta(minutes=1)

instants = st.integers(min_value=0, max_value=21 * 24 * 60).map(
    lambda m: START + m * MINUTE
)
lengths = st.integers(min_value=1, max_value=6 * 24 * 60).map(lambda m: m * MINUTE)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(submitted=instants, wait=lengths, pause=lengths)
def test_stored_deadline_agrees_with_the_calculator(
    licence, citizen, front_office, submitted, wait, pause
):
    """Submit at any instant, ask a revision ``wait`` later, answer ``pause``
    after that. Then: the stored deadline is the calculator's deadline with that
    pause; the working time the ledger attributes before the pause plus the time
    left equals the budget (additivity); the deadline is in working time or
    exactly at a closing; and recomputing on the same calendar moves nothing."""
    application = submit_at(licence, citizen, submitted, key=uuid.uuid4().hex)
    asked, answered = submitted + wait, submitted + wait + pause
    with time_machine.travel(asked, tick=False):
        application_request_revision(
            application=application,
            step=application.steps.get(order=1),
            user=front_office.user,
            seen_version=application.version,
            note="Perbaiki.",
        )
    timer = SlaTimer.objects.get(application=application, step__isnull=True)
    used = sum(
        (
            s.working_time
            for s in SlaSegment.objects.filter(
                application=application, kind=SegmentKind.RUNNING
            )
        ),
        dt.timedelta(),
    )
    assert used == CITY.elapsed(submitted, asked)
    if timer.due_at is None:  # paused with time left
        assert used + timer.remaining == timer.budget
    with time_machine.travel(answered, tick=False):
        application_resubmit(application=application, applicant=citizen)
    application.refresh_from_db()
    expected = CITY.deadline(submitted, days=5, pauses=[(asked, answered)])
    assert application.due_at == expected.due_at
    due = application.due_at
    assert CITY.is_working(due) or CITY.is_working(due - dt.timedelta(microseconds=1))
    assert due >= submitted
    assert sla_recompute() == 0
