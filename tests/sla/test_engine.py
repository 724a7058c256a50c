"""The SLA engine on the workflow: deadlines written at submission, pauses in
the ledger, warnings and breaches, recomputation, extensions.

Calendar rows: ``conftest.city_calendar`` (Mon-Fri 08:00-15:00 WIB, the 2026
holidays and cuti bersama, Ramadan 08:00-14:00). Times in comments are WIB.
"""

import datetime as dt
import functools

from django.db import connection
from django.utils import translation

import pytest
import time_machine

from accounts.choices import OfficerRole
from agencies.choices import HolidayCategory
from agencies.models import Holiday
from notifications.models import Notification
from permits.choices import ApplicationStatus, StepStatus
from permits.services import (
    application_approve,
    application_request_revision,
    application_resubmit,
    application_step_complete,
    application_withdraw,
)
from ptsp.exceptions import ApplicationError
from sla.models import (
    BREACH,
    SegmentKind,
    SlaExtension,
    SlaPolicy,
    SlaSegment,
    SlaTimer,
    SlaWarning,
    TimerState,
)
from sla.services import (
    sla_extension_decide,
    sla_extension_request,
    sla_recompute,
    sla_sweep,
)

from .calendars import wib
from .conftest import make_officer, submit_at

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def service_timer(application) -> SlaTimer:
    return SlaTimer.objects.get(application=application, step__isnull=True)


# --- Worked cases: 5 working days, derived by hand from the rules ------------------

DAY_CASES = [
    # Inside working time, Tue 10:00: Wed, Thu, Fri, Mon, Tue -> Tue 11 Aug 15:00.
    pytest.param(wib(2026, 8, 4, 10), wib(2026, 8, 11, 15), False, id="inside"),
    # Exactly at closing (Tue 15:00) starts Wed 08:00: the starting day is Wed.
    pytest.param(wib(2026, 8, 4, 15), wib(2026, 8, 12, 15), False, id="at-closing"),
    # Friday after closing: starts Mon 10; Tue..Fri, then Mon 17 Aug (national
    # holiday, Hari Kemerdekaan) is skipped -> Tue 18 Aug.
    pytest.param(wib(2026, 8, 7, 16), wib(2026, 8, 18, 15), False, id="friday-late"),
    # Weekend: Saturday, the same.
    pytest.param(wib(2026, 8, 8, 11), wib(2026, 8, 18, 15), False, id="weekend"),
    # Cuti bersama Thu 24 Dec and Natal Fri 25 Dec: Mon 28, Tue 29, Wed 30, Thu 31,
    # then 1 Jan 2027 is closed by the holidays package's estimate (2027 is after
    # the last confirmed year): Mon 4 Jan 2027, provisional.
    pytest.param(wib(2026, 12, 23, 10), wib(2027, 1, 4, 15), True, id="cuti-bersama"),
    # Ramadan hours 08:00-14:00 (override): Tue..Fri, Mon 9 Mar closes at 14:00.
    pytest.param(wib(2026, 3, 2, 10), wib(2026, 3, 9, 14), False, id="ramadan"),
    # 16:59:59 and 17:00:00 UTC on Friday 7 Aug are Fri 23:59:59 and Sat 00:00 WIB:
    # the WIB date decides, both start Mon 10 Aug.
    pytest.param(
        dt.datetime(2026, 8, 7, 16, 59, 59, tzinfo=dt.UTC),
        wib(2026, 8, 18, 15),
        False,
        id="utc-16:59:59",
    ),
    pytest.param(
        dt.datetime(2026, 8, 7, 17, tzinfo=dt.UTC),
        wib(2026, 8, 18, 15),
        False,
        id="utc-17:00",
    ),
    # 00:59:59 UTC on Mon 10 Aug is 07:59:59 WIB (the UTC date is still the 10th,
    # the WIB morning before opening): starts at 08:00, Mon is the starting day.
    pytest.param(
        dt.datetime(2026, 8, 10, 0, 59, 59, tzinfo=dt.UTC),
        wib(2026, 8, 18, 15),
        False,
        id="utc-before-opening",
    ),
]


@pytest.mark.parametrize(("submitted", "due", "provisional"), DAY_CASES)
def test_day_deadline_written_at_submission(
    licence, citizen, submitted, due, provisional
):
    """Submission writes Application.due_at (aware UTC) from the city calendar
    rows, and the timer says whether it relies on estimated holidays."""
    application = submit_at(licence, citizen, submitted)
    application.refresh_from_db()
    assert application.due_at == due
    assert application.due_at.tzinfo is not None
    timer = service_timer(application)
    assert timer.state == TimerState.RUNNING
    assert timer.is_provisional is provisional


def test_hours_deadline_under_ramadan_hours(pbg, citizen):
    """PBG 10 h filed Thu 5 Mar 13:00 (Ramadan, closes 14:00): 1 h Thu, 6 h Fri,
    3 h Mon -> Mon 9 Mar 11:00. The first step's own 5 h: 1 + 4 -> Fri 12:00."""
    application = submit_at(pbg, citizen, wib(2026, 3, 5, 13))
    application.refresh_from_db()
    assert application.due_at == wib(2026, 3, 9, 11)
    first = application.steps.get(order=1)
    assert first.due_at == wib(2026, 3, 6, 12)


def test_raw_sql_in_utc_session_sees_the_same_instant(licence, citizen):
    """With PostgreSQL's session time zone set to UTC the stored deadline is Tue
    11 Aug 08:00 UTC, i.e. 15:00 WIB; and the sweep's index predicate compares
    instants, not wall-clock times."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute(
            "SELECT to_char(due_at, 'YYYY-MM-DD HH24:MI'), "
            "to_char(due_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI') "
            "FROM permits_application WHERE id = %s",
            [application.pk],
        )
        assert cursor.fetchone() == ("2026-08-11 08:00", "2026-08-11 15:00")
        cursor.execute(
            "SELECT count(*) FROM sla_slatimer WHERE next_check_at <= "
            "TIMESTAMPTZ '2026-08-06 08:00:00+00' AND application_id = %s",
            [application.pk],
        )
        assert cursor.fetchone() == (1,)  # 50 % is Thu 6 Aug 15:00 WIB = 08:00 UTC
        cursor.execute("SET TIME ZONE DEFAULT")


# --- Pauses and the ledger -----------------------------------------------------------


def test_revision_pause_over_a_weekend_carries_the_remaining_time(
    licence, citizen, front_office
):
    """Filed Tue 4 Aug 08:00 (due Tue 11 Aug 15:00, 42 working hours). A
    revision asked Fri 7 Aug 11:00 stops the clock with 18 h left; the answer on
    Mon 10 Aug 10:00 resumes it: Mon 5 h, Tue 7 h, Wed 6 h -> Wed 12 Aug 14:00,
    mid-day. The pause is a ledger segment with reason and actor."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    step = application.steps.get(order=1)
    with time_machine.travel(wib(2026, 8, 7, 11), tick=False):
        application_request_revision(
            application=application,
            step=step,
            user=front_office.user,
            seen_version=application.version,
            note="KTP tidak terbaca.",
        )
    application.refresh_from_db()
    timer = service_timer(application)
    assert application.due_at is None
    assert timer.state == TimerState.PAUSED
    assert timer.remaining == 18 * H
    pause = SlaSegment.objects.get(application=application, kind=SegmentKind.PAUSED)
    assert pause.reason == "KTP tidak terbaca."
    assert pause.actor == front_office.user
    with time_machine.travel(wib(2026, 8, 10, 10), tick=False):
        application_resubmit(application=application, applicant=citizen)
    application.refresh_from_db()
    assert application.due_at == wib(2026, 8, 12, 14)
    pause.refresh_from_db()
    assert pause.ended_at == wib(2026, 8, 10, 10)
    assert pause.working_time == 4 * H + 2 * H  # Fri 11-15, Mon 08-10
    assert service_timer(application).state == TimerState.RUNNING


def test_pbg_ledger_shows_five_hours_at_each_agency(
    pbg, citizen, perkim, front_office, approver
):
    """PBG 10 h (issue 9): filed Mon 3 Aug 08:00; Disperkimtan verifies by
    13:00 (5 h); DPMPTSP sets the levy at once; payment pauses the clock until
    Tue 09:00; DPMPTSP issues at 14:00 (5 h). The ledger: 5 h Disperkimtan, 5 h
    DPMPTSP; the deadline Tue 14:00 is met exactly."""
    perkim_verifier = make_officer("pv", agency=perkim, role=OfficerRole.VERIFIER)
    application = submit_at(pbg, citizen, wib(2026, 8, 3, 8))
    application.refresh_from_db()
    assert application.due_at == wib(2026, 8, 4, 11)  # Mon 7 h + Tue 3 h
    with time_machine.travel(wib(2026, 8, 3, 13), tick=False):
        application = _complete(application, 1, perkim_verifier)
        application = _complete(application, 2, front_office)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WAITING_FOR_APPLICANT
    assert application.due_at is None  # paused for the payment
    with time_machine.travel(wib(2026, 8, 4, 9), tick=False):
        application_resubmit(application=application, applicant=citizen)
    application.refresh_from_db()
    assert application.due_at == wib(2026, 8, 4, 14)
    with time_machine.travel(wib(2026, 8, 4, 14), tick=False):
        application_approve(
            application=application,
            step=application.steps.get(order=4),
            user=approver.user,
            seen_version=application.version,
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ISSUED
    shares = {}
    for segment in SlaSegment.objects.filter(
        application=application, kind=SegmentKind.RUNNING
    ):
        code = segment.agency.code if segment.agency else "-"
        shares[code] = shares.get(code, dt.timedelta()) + segment.working_time
    assert shares == {"PERKIM": 5 * H, "DPMPTSP": 5 * H}
    timer = service_timer(application)
    assert timer.state == TimerState.MET
    assert (
        SlaTimer.objects.get(step__order=4, application=application).state
        == TimerState.MET
    )
    assert not SlaSegment.objects.filter(
        application=application, ended_at__isnull=True
    ).exists()


def _complete(application, order, officer):
    application.refresh_from_db()
    return application_step_complete(
        application=application,
        step=application.steps.get(order=order),
        user=officer.user,
        seen_version=application.version,
    )


def test_withdrawal_stops_the_clock(licence, citizen):
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    with time_machine.travel(wib(2026, 8, 5, 10), tick=False):
        application_withdraw(application=application, applicant=citizen)
    timer = service_timer(application)
    assert timer.state == TimerState.STOPPED
    assert timer.next_check_at is None


# --- Warnings, breaches and recomputation --------------------------------------------


def _events(event: str) -> int:
    return Notification.objects.filter(event=event).count()


def test_warnings_fire_once_and_breach_escalates_to_the_head(
    licence, citizen, front_office, supervisor, dpmptsp_head
):
    """Filed Tue 4 Aug 08:00 (42 working hours). 50 % is reached Thu 6 Aug
    15:00: the front office (the step's role, no one assigned yet) and the
    supervisor are warned, once however often the sweep runs. A sweep on the
    deadline fires 75 % and 90 % together (one warning, 90 %) and the breach,
    sent to DPMPTSP's head."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    timer = service_timer(application)
    assert timer.next_check_at == wib(2026, 8, 6, 15)
    assert sla_sweep(now=wib(2026, 8, 6, 14, 59)).checked == 0
    for _ in range(2):
        sla_sweep(now=wib(2026, 8, 6, 15))
    assert set(SlaWarning.objects.values_list("threshold", flat=True)) == {50}
    warned = set(
        Notification.objects.filter(event="sla.warning").values_list(
            "recipient__username", flat=True
        )
    )
    assert warned == {"fo", "spv"}
    first = Notification.objects.filter(event="sla.warning").first()
    assert first.context["remaining_hours"] == 21  # of 42 working hours
    step = application.steps.get(order=1)
    assert first.context["step"] == {"$text": {"id": step.name, "en": step.name_en}}
    assert first.context["service"]["$text"]["id"] == application.service_version.name
    timer.refresh_from_db()
    assert timer.next_check_at == wib(2026, 8, 10, 11, 30)  # 75 %: 31.5 h
    report = sla_sweep(now=wib(2026, 8, 11, 15))
    assert (report.warnings, report.breaches) == (1, 1)
    assert set(SlaWarning.objects.values_list("threshold", flat=True)) == {
        50,
        75,
        90,
        BREACH,
    }
    breached = Notification.objects.filter(event="sla.breached")
    assert set(breached.values_list("recipient__username", flat=True)) == {"kadpm"}
    timer.refresh_from_db()
    assert timer.state == TimerState.BREACHED
    assert timer.breached_at == wib(2026, 8, 11, 15)
    assert timer.next_check_at is None
    before = Notification.objects.count()
    sla_sweep(now=wib(2026, 8, 11, 16))
    assert Notification.objects.count() == before


def test_holiday_added_while_running_moves_the_deadline_and_withdraws_the_breach(
    licence, citizen, front_office, supervisor, dpmptsp_head
):
    """A breach on Tue 11 Aug 15:00, then the city declares Mon 10 Aug a
    holiday: recomputed from the clock start the deadline is Wed 12 Aug 15:00,
    the breach is withdrawn, the timer runs again, and no warning is sent again
    (50/75/90 % stay sent)."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    sla_sweep(now=wib(2026, 8, 11, 15, 1))
    assert service_timer(application).state == TimerState.BREACHED
    sent = Notification.objects.count()
    breaches = Notification.objects.filter(event="sla.breached")
    warnings = Notification.objects.filter(event="sla.warning")
    assert breaches.values("dedupe_key").distinct().count() == 1
    assert warnings.values("dedupe_key").distinct().count() == 1  # 90 % only
    with time_machine.travel(wib(2026, 8, 11, 15, 5), tick=False):
        Holiday.objects.create(
            date=dt.date(2026, 8, 10), name="Libur daerah", category="public"
        )
        assert sla_recompute() == 1
    application.refresh_from_db()
    assert application.due_at == wib(2026, 8, 12, 15)
    # The active step (no SLA of its own) carries the service deadline for the
    # officer queues, and moves with it.
    assert application.steps.get(status=StepStatus.ACTIVE).due_at == application.due_at
    timer = service_timer(application)
    assert timer.state == TimerState.RUNNING
    assert timer.breached_at is None
    breach = SlaWarning.objects.get(timer=timer, threshold=BREACH)
    assert breach.withdrawn_at == wib(2026, 8, 11, 15, 5)
    assert timer.next_check_at == wib(2026, 8, 12, 15)  # only the breach is left
    sla_sweep(now=wib(2026, 8, 11, 16))
    assert Notification.objects.count() == sent
    # The new deadline passes: the breach fires again, once.
    sla_sweep(now=wib(2026, 8, 12, 15))
    assert breaches.values("dedupe_key").distinct().count() == 2
    assert warnings.values("dedupe_key").distinct().count() == 1  # not re-sent
    assert service_timer(application).state == TimerState.BREACHED


def test_recompute_with_an_unchanged_calendar_moves_nothing(licence, citizen):
    submit_at(licence, citizen, wib(2026, 8, 4, 8))
    submit_at(licence, citizen, wib(2026, 8, 5, 9), key="k2")
    assert sla_recompute() == 0


def test_holiday_signal_schedules_one_recompute(licence, citizen):
    """Saving holidays (admin, import) schedules the recompute after the commit,
    once per transaction however many rows change."""
    from sla.services import _enqueue_recompute

    for day in (10, 11):
        Holiday.objects.create(
            date=dt.date(2026, 9, day), name="x", category=HolidayCategory.PUBLIC
        )
    pending = [item[1] for item in connection.run_on_commit]
    assert pending.count(_enqueue_recompute) == 1


# --- Extensions ----------------------------------------------------------------------


def test_extension_approved_by_the_head_moves_the_deadline(
    licence, citizen, verifier, dinkes_head
):
    """An officer of Dinkes (owner of the service) asks 2 working days; the head
    of Dinkes approves: 5 + 2 working days -> Thu 13 Aug 15:00. More than the
    policy's maximum is refused."""
    SlaPolicy.objects.create(service=licence, max_extension_days=3)
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    with time_machine.travel(wib(2026, 8, 6, 10), tick=False):
        extension = sla_extension_request(
            application=application, user=verifier.user, days=2, reason="Uji lab."
        )
        with pytest.raises(ApplicationError):
            sla_extension_decide(extension=extension, user=verifier.user, approve=True)
        sla_extension_decide(extension=extension, user=dinkes_head.user, approve=True)
    application.refresh_from_db()
    assert application.due_at == wib(2026, 8, 13, 15)
    with translation.override("en"), pytest.raises(ApplicationError, match="at most 3"):
        sla_extension_request(
            application=application, user=verifier.user, days=2, reason="Lagi."
        )
    assert SlaExtension.objects.get().status == "approved"


def test_extension_needs_the_owning_agency(licence, citizen, front_office):
    SlaPolicy.objects.create(service=licence, max_extension_days=3)
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    with pytest.raises(ApplicationError):
        sla_extension_request(
            application=application, user=front_office.user, days=1, reason="x"
        )


def test_step_statuses_after_sync(licence, citizen):
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    running = SlaSegment.objects.get(application=application, ended_at__isnull=True)
    assert running.step.status == StepStatus.ACTIVE
    assert running.agency.code == "DPMPTSP"


def test_queue_selector_filters_on_sla_state(licence, citizen):
    from permits.models import Application
    from sla.selectors import with_sla_state

    late = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    submit_at(licence, citizen, wib(2026, 8, 10, 8), key="k2")
    sla_sweep(now=wib(2026, 8, 11, 15))
    states = dict(with_sla_state(Application.objects).values_list("pk", "sla_state"))
    assert states[late.pk] == TimerState.BREACHED
    assert sorted(states.values()) == [TimerState.BREACHED, TimerState.RUNNING]


def test_agency_switching_calendars_moves_its_open_deadlines(licence, citizen, dinkes):
    """Dinkes (owner of the service) gets its own calendar that also works on
    Saturday: the open deadline is recomputed on it (Tue 4 Aug 10:00 + 5
    working days, Saturday 8 Aug counting: Wed, Thu, Fri, Sat, Mon 10 Aug)."""
    from agencies.models import Calendar, WeeklyInterval

    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    six_days = Calendar.objects.create(
        code="kerja-dinkes", name="Dinkes", kind="working_time"
    )
    for weekday in range(6):
        WeeklyInterval.objects.create(
            calendar=six_days,
            weekday=weekday,
            opens_at=dt.time(8),
            closes_at=dt.time(15),
        )
    from sla.services import _enqueue_recompute

    def scheduled() -> list:
        # Besides the page cache's stamp bump (ptsp.pagecache) on any save.
        return [
            item[1]
            for item in connection.run_on_commit
            if not isinstance(item[1], functools.partial)
        ]

    connection.run_on_commit.clear()  # what the rows above scheduled
    dinkes.refresh_from_db()
    dinkes.save()  # no calendar change: nothing to recompute
    assert not scheduled()
    dinkes.working_calendar = six_days
    dinkes.save()
    assert scheduled() == [_enqueue_recompute]
    assert sla_recompute() == 1
    application.refresh_from_db()
    assert application.due_at == wib(2026, 8, 10, 15)
    assert service_timer(application).calendar == six_days


def test_service_counting_office_hours_uses_every_day_with_hours(licence, citizen):
    """A policy may make the SLA count the MPP's service hours (Mon-Sat
    08:00-15:00 here, and Saturday 8 Aug is then a working day): filed Tue 4 Aug
    10:00 -> Wed, Thu, Fri, Sat, Mon 10 Aug 15:00. Holidays close service hours
    too (``closes_service_hours``)."""
    from agencies.models import Calendar, Office, WeeklyInterval
    from sla.services import sla_due_for

    hours = Calendar.objects.create(code="jam-mpp", name="MPP", kind="service_hours")
    for weekday in range(6):
        WeeklyInterval.objects.create(
            calendar=hours,
            weekday=weekday,
            opens_at=dt.time(8),
            closes_at=dt.time(15),
        )
    mpp = Office.objects.create(
        code="mpp", name="MPP", kind="mpp", service_calendar=hours
    )
    SlaPolicy.objects.create(service=licence, service_hours_office=mpp)
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    application.refresh_from_db()
    assert application.due_at == wib(2026, 8, 10, 15)
    answer = sla_due_for(service=licence, at=wib(2026, 8, 14, 10))  # Fri
    # Sat 15, Mon 17 is Hari Kemerdekaan, Tue 18 .. Fri 21.
    assert answer.due_at == wib(2026, 8, 21, 15)


def test_deadline_over_an_estimated_holiday_is_provisional(licence, citizen):
    """A holiday stored as an estimate (``is_provisional``) between the clock
    start and the deadline makes the deadline provisional; once confirmed and
    recomputed it is not."""
    holiday = Holiday.objects.get(date=dt.date(2026, 8, 25))  # Maulid Nabi
    holiday.is_provisional = True
    holiday.save()
    application = submit_at(licence, citizen, wib(2026, 8, 21, 10))
    assert service_timer(application).is_provisional
    holiday.is_provisional = False
    holiday.save()
    sla_recompute()
    assert not service_timer(application).is_provisional
