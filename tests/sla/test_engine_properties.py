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


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    sweeps=st.lists(
        st.integers(min_value=0, max_value=12 * 24 * 60), min_size=1, max_size=6
    )
)
def test_sweeps_at_any_instants_fire_each_threshold_once(
    licence, citizen, front_office, sweeps
):
    """Sweeps at arbitrary instants, in any order, retried: every threshold
    reached by the latest sweep has fired, none has fired twice, and no
    threshold fired before its instant."""
    from sla.models import BREACH, SlaWarning
    from sla.services import sla_sweep, threshold_instants

    application = submit_at(licence, citizen, wib(2026, 8, 4, 8), key=uuid.uuid4().hex)
    timer = SlaTimer.objects.get(application=application, step__isnull=True)
    instants = threshold_instants(timer, CITY, [], timer.budget, [50, 75, 90])
    instants[BREACH] = timer.due_at
    moments = [wib(2026, 8, 4, 8) + m * MINUTE for m in sweeps]
    for moment in moments:
        sla_sweep(now=moment)
    fired = list(
        SlaWarning.objects.filter(timer=timer).values_list("threshold", "sent_at")
    )
    assert len(fired) == len({p for p, _ in fired})
    latest = max(moments)
    assert {p for p, _ in fired} == {p for p, at in instants.items() if at <= latest}
    for percent, sent_at in fired:
        assert sent_at >= instants[percent]
