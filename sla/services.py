"""Writes of the SLA engine: the clock ledger, deadlines, warnings, recomputation
and extensions. Rules in ``sla.worktime`` (package docstring) and ``docs/sla.md``.

Entry points:

- :func:`sla_sync` is called by the workflow (``permits.services``) inside the
  transaction of every transition and step change; it reconciles the ledger and
  the deadlines with the application's status and active steps, so it is safe to
  call several times in one transaction.
- :func:`sla_clock_start` starts the clock at an event other than the
  submission (``SlaClockStart.PAYMENT_NOTICE_SENT``).
- :func:`sla_sweep` (beat) fires the warnings and breaches that came due.
- :func:`sla_recompute` (after a calendar or holiday change) recomputes every
  open deadline from its clock start, the pauses and the new calendar.
- :func:`sla_extension_request` / :func:`sla_extension_decide`.

Errors: ``ptsp.exceptions.ApplicationError`` (HTTP 400) with a translated message.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Officer
from accounts.roles import AGENCY_HEAD, SUPERVISOR
from agencies.choices import SlaClockStart, SlaUnit, StepKind
from agencies.models import Calendar
from agencies.models.calendars import CITY_WORKING_CALENDAR
from agencies.selectors import agency_working_calendar
from audit.services import audit_record, audit_record_many
from notifications.services import notify
from notifications.variables import BilingualText
from permits.choices import ApplicationStatus, StepStatus
from permits.models import Application, ApplicationStep
from ptsp.exceptions import ApplicationError

from .calendars import calendars_fingerprint, working_calendar
from .models import (
    BREACH,
    DEFAULT_THRESHOLDS,
    OPEN_STATES,
    ExtensionStatus,
    SegmentKind,
    SlaExtension,
    SlaPolicy,
    SlaSegment,
    SlaTimer,
    SlaWarning,
    TimerState,
)
from .worktime import Deadline, WorkingCalendar

logger = logging.getLogger(__name__)

S = ApplicationStatus
#: The service is delivered: the clock stops, in time or late.
DELIVERED = frozenset({S.ISSUED, S.COMPLETED, S.REJECTED})
#: The application ended without delivery: the clock stops, nothing to judge.
ABANDONED = frozenset({S.WITHDRAWN, S.LAPSED})
ONE_US = dt.timedelta(microseconds=1)


# --- Calendars and arithmetic --------------------------------------------------------


def service_calendar(service) -> Calendar | None:
    """The calendar a service's SLA counts: the policy's office service hours
    when set, else the owning agency's working-time calendar (``kerja-kota``
    unless overridden); ``None`` before the catalogue is loaded (the city
    default hours then apply)."""
    policy = SlaPolicy.objects.filter(service=service).select_related(
        "service_hours_office__service_calendar"
    )
    policy = policy.first()
    if policy is not None and policy.service_hours_office_id:
        return policy.service_hours_office.service_calendar
    try:
        return agency_working_calendar(service.agency)
    except Calendar.DoesNotExist:
        return None


def _sla_kwargs(timer: SlaTimer) -> dict:
    if timer.unit == SlaUnit.WORKING_DAYS:
        return {"days": timer.value + timer.extension_days}
    return {"hours": timer.value}


def _clip_pauses(
    pauses: Sequence[tuple[dt.datetime, dt.datetime | None]], start: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The pauses that matter to a clock started by an event at ``start``."""
    out = []
    for paused, resumed in pauses:
        if resumed is not None and resumed <= start:
            continue
        paused = max(paused, start)
        if resumed is not None and resumed <= paused:
            continue
        out.append((paused, resumed))
    return out


def timer_deadline(
    timer: SlaTimer,
    calendar: WorkingCalendar,
    pauses: Sequence[tuple[dt.datetime, dt.datetime | None]],
) -> Deadline:
    """The timer's deadline on ``calendar`` with the application's ``pauses``
    (``(paused_at, resumed_at)``, ``resumed_at`` ``None`` while paused)."""
    return calendar.deadline(
        timer.started_at,
        pauses=_clip_pauses(pauses, timer.started_at),
        **_sla_kwargs(timer),
    )


def threshold_instants(
    timer: SlaTimer,
    calendar: WorkingCalendar,
    pauses: Sequence[tuple[dt.datetime, dt.datetime | None]],
    budget: dt.timedelta,
    thresholds: Iterable[int],
) -> dict[int, dt.datetime | None]:
    """Instant at which each threshold (percent of ``budget``, the SLA's
    working time) is reached; ``None`` while the clock is paused before it."""
    clipped = _clip_pauses(pauses, timer.started_at)
    out = {}
    for percent in thresholds:
        amount = budget * percent / 100
        out[percent] = calendar.deadline(
            timer.started_at, hours=amount, pauses=clipped
        ).due_at
    return out


# --- The ledger ----------------------------------------------------------------------


def _pauses_of(application_ids: Iterable[int]) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for app_id, start, end in (
        SlaSegment.objects.filter(
            application_id__in=list(application_ids), kind=SegmentKind.PAUSED
        )
        .order_by("application_id", "started_at", "pk")
        .values_list("application_id", "started_at", "ended_at")
    ):
        if end is not None and end <= start:
            continue  # paused and resumed in the same instant: no pause
        out[app_id].append((start, end))
    return out


def _should_pause(application: Application, active: list[ApplicationStep]) -> bool:
    """The clock stops while an active step pauses it (``ServiceStep.pauses_sla``:
    an applicant step, payment for services that pause for it) or while the
    application waits for the applicant with no applicant step open (a revision
    asked by an agency step)."""
    if any(step.service_step.pauses_sla for step in active):
        return True
    return application.status == S.WAITING_FOR_APPLICANT and not any(
        step.kind == StepKind.APPLICANT for step in active
    )


def _segment_close(segment: SlaSegment, now: dt.datetime, calendar) -> None:
    segment.ended_at = max(now, segment.started_at)
    segment.working_time = calendar.elapsed(segment.started_at, segment.ended_at)
    segment.save(update_fields=["ended_at", "working_time"])
    audit_record(
        action="sla_segment.close",
        obj=segment,
        changes={"ended_at": [None, segment.ended_at.isoformat()]},
    )


def sla_sync(application: Application, *, actor=None, reason: str = "") -> None:
    """Reconcile the clock with ``application`` (locked by the caller, inside its
    transaction): create the service deadline at submission, open and close
    ledger segments for the active steps, pause or resume the clock, stop it at
    the end, and write the deadlines to ``Application.due_at`` and
    ``ApplicationStep.due_at``. Idempotent. About a dozen statements: the
    application's timers, open segments and pauses are each read in one."""
    if application.status == S.DRAFT:
        return
    now = timezone.now()
    version = application.service_version
    service = application.service
    timers = list(SlaTimer.objects.select_for_update().filter(application=application))
    timer = next((t for t in timers if t.step_id is None), None)
    step_timers = {t.step_id: t for t in timers if t.step_id is not None}
    sent: dict[int, set[int]] = defaultdict(set)
    if timers:
        for timer_id, percent in SlaWarning.objects.filter(
            timer__in=timers, withdrawn_at__isnull=True
        ).values_list("timer_id", "threshold"):
            sent[timer_id].add(percent)
    if timer is None:
        calendar_row, thresholds = _service_rules(service)
        timer = SlaTimer.objects.create(
            application=application,
            agency_id=service.agency_id,
            calendar=calendar_row,
            value=version.sla_value,
            unit=version.sla_unit,
            thresholds=thresholds,
            started_at=(
                application.submitted_at or now
                if version.sla_clock_start == SlaClockStart.SUBMITTED
                else None
            ),
        )
    calendar = working_calendar(timer.calendar)
    active = list(
        application.steps.filter(status=StepStatus.ACTIVE)
        .select_related("service_step")
        .order_by("order", "pk")
    )
    # A closed service clock stays closed: an objection after a rejection is a
    # new proceeding without a clock here; only what is still open is closed.
    ended = not timer.is_open or application.status in DELIVERED | ABANDONED
    started = timer.started_at is not None
    paused = not ended and started and _should_pause(application, active)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None

    segments = list(
        SlaSegment.objects.select_for_update()
        .filter(application=application)
        .filter(Q(ended_at__isnull=True) | Q(kind=SegmentKind.PAUSED))
        .order_by("started_at", "pk")
    )
    # Running segments: one per active step while the clock runs.
    wanted = {} if ended or paused or not started else {s.pk: s for s in active}
    for segment in segments:
        if segment.kind != SegmentKind.RUNNING:
            continue
        if segment.step_id in wanted:
            del wanted[segment.step_id]
        else:
            _segment_close(segment, now, calendar)
    for step in wanted.values():
        segment = SlaSegment.objects.create(
            application=application,
            step=step,
            agency_id=step.agency_id,
            kind=SegmentKind.RUNNING,
            reason=step.name[:300],
            actor_id=actor_id,
            started_at=now,
        )
        audit_record(action="sla_segment.open", obj=segment)

    # The pause segment.
    pause_rows = [seg for seg in segments if seg.kind == SegmentKind.PAUSED]
    open_pause = next((seg for seg in pause_rows if seg.ended_at is None), None)
    if paused and open_pause is None:
        pausing = next((s for s in active if s.service_step.pauses_sla), None)
        segment = SlaSegment.objects.create(
            application=application,
            step=pausing or (active[0] if active else None),
            kind=SegmentKind.PAUSED,
            reason=(reason or (pausing.name if pausing else ""))[:300]
            or _("Waiting for the applicant."),
            actor_id=actor_id,
            started_at=now,
        )
        audit_record(action="sla_segment.pause", obj=segment, reason=segment.reason)
        pause_rows.append(segment)
    elif not paused and open_pause is not None:
        _segment_close(open_pause, now, calendar)
    pauses = [
        (seg.started_at, seg.ended_at)
        for seg in pause_rows
        if seg.ended_at is None or seg.ended_at > seg.started_at
    ]

    # Step deadlines: steps of the portal with their own SLA.
    for step in active:
        ss = step.service_step
        if (
            step.pk not in step_timers
            and ss.sla_value
            and step.kind != StepKind.APPLICANT
            and not ended
        ):
            step_timers[step.pk] = SlaTimer.objects.create(
                application=application,
                step=step,
                agency_id=step.agency_id or service.agency_id,
                calendar=timer.calendar,
                value=ss.sla_value,
                unit=ss.sla_unit,
                thresholds=timer.thresholds,
                started_at=max(step.started_at or now, timer.started_at or now),
            )
    active_ids = {s.pk for s in active}
    for step_id, step_timer in step_timers.items():
        if not step_timer.is_open:
            continue
        step_ended = ended or step_id not in active_ids
        if step_ended:
            step_timer.finished_at = now
        _timer_refresh(
            step_timer,
            calendar,
            pauses,
            now,
            ended=step_ended,
            abandoned=application.status in ABANDONED,
            sent=sent[step_timer.pk],
        )
        step_timer.save()
    if timer.is_open:
        if ended:
            timer.finished_at = now
        _timer_refresh(
            timer,
            calendar,
            pauses,
            now,
            ended=ended,
            abandoned=application.status in ABANDONED,
            sent=sent[timer.pk],
        )
        timer.save()
    _mirror_due(application, timer, list(step_timers.values()), active)


def _service_rules(service) -> tuple[Calendar | None, list[int]]:
    """The calendar a new deadline of ``service`` counts and its thresholds,
    in two queries (policy with its office; the agency's or the city's
    calendar)."""
    policy = (
        SlaPolicy.objects.filter(service=service)
        .select_related("service_hours_office__service_calendar")
        .first()
    )
    thresholds = (
        sorted(policy.warning_thresholds) if policy else list(DEFAULT_THRESHOLDS)
    )
    if policy is not None and policy.service_hours_office_id:
        return policy.service_hours_office.service_calendar, thresholds
    candidates = {
        c.code: c
        for c in Calendar.objects.filter(
            Q(agencies__pk=service.agency_id) | Q(code=CITY_WORKING_CALENDAR)
        )
    }
    own = next(
        (c for code, c in candidates.items() if code != CITY_WORKING_CALENDAR), None
    )
    return own or candidates.get(CITY_WORKING_CALENDAR), thresholds


def _mirror_due(application, timer, step_timers, active) -> None:
    """Write the deadlines: the service's to ``Application.due_at``; to each
    active step's ``due_at`` its own deadline, or the service's when it has
    none (officer queues sort and filter steps on it)."""
    if application.due_at != timer.due_at:
        _save_due(application, timer.due_at, "application.sla_due")
    own = {t.step_id: t for t in step_timers}
    for step in active:
        step_timer = own.get(step.pk)
        want = step_timer.due_at if step_timer is not None else timer.due_at
        if step.due_at != want:
            _save_due(step, want, "application_step.sla_due")
    for step_timer in step_timers:
        step = step_timer.step
        if step.pk not in {s.pk for s in active} and step.due_at != step_timer.due_at:
            _save_due(step, step_timer.due_at, "application_step.sla_due")


def _save_due(obj, due, action: str) -> None:
    before = obj.due_at
    obj.due_at = due
    obj.save(update_fields=["due_at"])
    audit_record(
        action=action,
        obj=obj,
        changes={
            "due_at": [
                before.isoformat() if before else None,
                due.isoformat() if due else None,
            ]
        },
    )


def _timer_refresh(
    timer: SlaTimer,
    calendar: WorkingCalendar,
    pauses,
    now: dt.datetime,
    *,
    ended: bool = False,
    abandoned: bool = False,
    sent: set[int] | None = None,
) -> None:
    """Recompute ``timer``'s deadline, state and next check in memory (the
    caller saves). ``sent``: thresholds already fired (read when ``None``)."""
    if timer.started_at is None:
        if ended:
            timer.state = TimerState.STOPPED
        timer.next_check_at = None
        return
    result = timer_deadline(timer, calendar, pauses)
    timer.due_at = result.due_at
    timer.budget = result.budget
    timer.remaining = result.remaining
    timer.is_provisional = result.provisional
    if sent is None:
        sent = (
            set(
                SlaWarning.objects.filter(
                    timer=timer, withdrawn_at__isnull=True
                ).values_list("threshold", flat=True)
            )
            if timer.pk
            else set()
        )
    if ended:
        timer.next_check_at = None
        if abandoned:
            timer.state = TimerState.STOPPED
        elif timer.due_at is not None and timer.finished_at > timer.due_at:
            timer.state = TimerState.LATE
        else:
            timer.state = TimerState.MET
        return
    if timer.due_at is None:
        timer.state = TimerState.PAUSED
        timer.next_check_at = None
        return
    if timer.due_at <= now and BREACH in sent:
        timer.state = TimerState.BREACHED
    else:
        if timer.state == TimerState.BREACHED and timer.due_at > now and timer.pk:
            # A calendar change undid the breach (issue 9): mark it withdrawn.
            SlaWarning.objects.filter(
                timer=timer, threshold=BREACH, withdrawn_at__isnull=True
            ).update(withdrawn_at=now)
            timer.breached_at = None
            sent.discard(BREACH)
        timer.state = TimerState.RUNNING
    timer.next_check_at = _next_check(timer, calendar, pauses, sent)


def _next_check(timer, calendar, pauses, sent: set[int]) -> dt.datetime | None:
    pending = [p for p in timer.thresholds if p not in sent]
    instants = [
        at
        for at in threshold_instants(
            timer, calendar, pauses, timer.budget, pending
        ).values()
        if at is not None
    ]
    if BREACH not in sent:
        instants.append(timer.due_at)
    return min(instants, default=None)


def _mirror_many(timers: Sequence[SlaTimer]) -> None:
    """Write the timers' deadlines set-based, one audit entry per changed row:
    service timers to ``Application.due_at`` and to the active steps that have
    no deadline of their own, step timers to their step's ``due_at``."""
    service = {t.application_id: t.due_at for t in timers if t.step_id is None}
    steps = {t.step_id: t.due_at for t in timers if t.step_id is not None}
    if service:
        _write_due(Application, service)
        own = SlaTimer.objects.filter(
            application_id__in=list(service), step__isnull=False
        ).values("step_id")
        for pk, app_id in (
            ApplicationStep.objects.filter(
                application_id__in=list(service), status=StepStatus.ACTIVE
            )
            .exclude(pk__in=own)
            .values_list("pk", "application_id")
        ):
            steps.setdefault(pk, service[app_id])
    if steps:
        _write_due(ApplicationStep, steps)


def _write_due(model, wanted: dict) -> None:
    current = dict(
        model.objects.filter(pk__in=list(wanted)).values_list("pk", "due_at")
    )
    items = [(pk, due) for pk, due in wanted.items() if current.get(pk) != due]
    if not items:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    for start in range(0, len(items), 500):
        part = items[start : start + 500]
        cases = " ".join(["WHEN %s THEN %s"] * len(part))
        params: list = [x for pair in part for x in pair]
        params += [pk for pk, _due in part]
        marks = ", ".join(["%s"] * len(part))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET due_at = CASE id {cases} END "  # noqa: S608
                f"WHERE id IN ({marks})",
                params,
            )
    label = model._meta.label_lower
    audit_record_many(
        {
            "action": f"{label.split('.')[1]}.sla_due",
            "object_type": label,
            "object_id": pk,
            "changes": {
                "due_at": [
                    current[pk].isoformat() if current.get(pk) else None,
                    due.isoformat() if due else None,
                ]
            },
            "reason": "sla recompute",
        }
        for pk, due in items
    )


# --- Warnings and breaches: the beat sweep -------------------------------------------

_FIRE_SQL = """
INSERT INTO sla_slawarning (timer_id, step_id, threshold, sent_at)
VALUES {values}
ON CONFLICT (timer_id, threshold) DO UPDATE
    SET withdrawn_at = NULL, sent_at = EXCLUDED.sent_at
    WHERE sla_slawarning.withdrawn_at IS NOT NULL
RETURNING timer_id, threshold
"""


def _fire(rows: list[tuple[int, int | None, int]], now: dt.datetime) -> set:
    """Insert the warnings of ``rows`` (timer, step, threshold) and return the
    ``(timer, threshold)`` pairs this call inserted (or re-armed after a
    withdrawal). A pair already present is skipped by the unique key, so two
    sweeps racing on one threshold send it once."""
    if not rows:
        return set()
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params = [x for timer, step, percent in rows for x in (timer, step, percent, now)]
    with connection.cursor() as cursor:
        cursor.execute(_FIRE_SQL.format(values=values), params)
        return {(timer, percent) for timer, percent in cursor.fetchall()}


@dataclass
class SweepReport:
    checked: int = 0
    warnings: int = 0
    breaches: int = 0


def sla_sweep(*, now: dt.datetime | None = None, batch_size: int = 500) -> SweepReport:
    """Fire the thresholds and breaches that have come due (beat, every minute).

    Reads only timers whose indexed ``next_check_at`` has passed, locked with
    ``SKIP LOCKED`` so parallel sweeps share the work, in batches of
    ``batch_size``, each its own transaction; work is proportional to what has
    newly come due. Several thresholds crossed at once (a late sweep) send one
    warning, the highest. Safe to run twice or concurrently: each (timer,
    threshold) fires once (``SlaWarning`` unique key).
    """
    report = SweepReport()
    while True:
        checked = _sweep_batch(now or timezone.now(), batch_size, report)
        if checked < batch_size:
            return report


@transaction.atomic
def _sweep_batch(now: dt.datetime, size: int, report: SweepReport) -> int:
    due = Q(next_check_at__lte=now, state__in=[TimerState.RUNNING, TimerState.BREACHED])
    candidates = list(
        SlaTimer.objects.filter(due)
        .order_by("next_check_at", "pk")
        .values_list("application_id", flat=True)[:size]
    )
    if not candidates:
        return 0
    # Lock in the workflow's order (application, then its timers) so that a
    # transition running now never deadlocks with the sweep; applications
    # another sweep or a transition holds are left for the next run.
    locked = list(
        Application.objects.select_for_update(skip_locked=True)
        .filter(pk__in=candidates)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    timers = list(
        SlaTimer.objects.select_for_update(of=("self",))
        .select_related("calendar")
        .filter(due, application_id__in=locked)
        .order_by("next_check_at", "pk")
    )
    if not timers:
        return 0
    report.checked += len(timers)
    fingerprint = calendars_fingerprint()
    calendars: dict[int | None, WorkingCalendar] = {}
    pauses = _pauses_of({t.application_id for t in timers})
    sent: dict[int, set[int]] = defaultdict(set)
    for timer_id, percent in SlaWarning.objects.filter(
        timer__in=timers, withdrawn_at__isnull=True
    ).values_list("timer_id", "threshold"):
        sent[timer_id].add(percent)
    rows: list[tuple[int, int | None, int]] = []
    for timer in timers:
        if timer.calendar_id not in calendars:
            calendars[timer.calendar_id] = working_calendar(
                timer.calendar, fingerprint=fingerprint
            )
        calendar = calendars[timer.calendar_id]
        app_pauses = pauses[timer.application_id]
        result = timer_deadline(timer, calendar, app_pauses)
        timer.due_at, timer.budget = result.due_at, result.budget
        pending = [p for p in timer.thresholds if p not in sent[timer.pk]]
        instants = threshold_instants(
            timer, calendar, app_pauses, result.budget, pending
        )
        for percent, at in instants.items():
            if at is not None and at <= now:
                rows.append((timer.pk, timer.step_id, percent))
        if (
            timer.due_at is not None
            and timer.due_at <= now
            and BREACH not in sent[timer.pk]
        ):
            rows.append((timer.pk, timer.step_id, BREACH))
    fired = _fire(rows, now)
    for timer_id, _step, percent in rows:
        sent[timer_id].add(percent)  # fired here or by a concurrent sweep
    for timer in timers:
        calendar = calendars[timer.calendar_id]
        _timer_refresh(
            timer, calendar, pauses[timer.application_id], now, sent=sent[timer.pk]
        )
        if BREACH in sent[timer.pk] and timer.breached_at is None:
            timer.breached_at = timer.due_at
    SlaTimer.objects.bulk_update(
        timers,
        [
            "state",
            "due_at",
            "budget",
            "remaining",
            "is_provisional",
            "next_check_at",
            "breached_at",
        ],
    )
    _mirror_many(timers)
    _notify_fired(timers, fired, report, calendars, now)
    return len(timers)


def _officers(agency_id, roles: Iterable[str]) -> list:
    return [
        officer.user
        for officer in Officer.objects.filter(
            agency_id=agency_id, role__in=list(roles), is_active=True
        )
        .select_related("user")
        .order_by("pk")[:20]
    ]


def _notify_fired(
    timers: list[SlaTimer],
    fired: set,
    report: SweepReport,
    calendars: dict,
    now: dt.datetime,
) -> None:
    by_timer: dict[int, list[int]] = defaultdict(list)
    for timer_id, percent in fired:
        by_timer[timer_id].append(percent)
    if not by_timer:
        return
    wanted = [t for t in timers if t.pk in by_timer]
    applications = Application.objects.select_related("service_version").in_bulk(
        {t.application_id for t in wanted}
    )
    active: dict[int, ApplicationStep] = {}
    for step in (
        ApplicationStep.objects.filter(
            application_id__in=list(applications), status=StepStatus.ACTIVE
        )
        .exclude(kind=StepKind.APPLICANT)
        .select_related("assigned_officer__user")
        .order_by("application_id", "order", "pk")
    ):
        active.setdefault(step.application_id, step)
    steps = ApplicationStep.objects.select_related("assigned_officer__user").in_bulk(
        [t.step_id for t in wanted if t.step_id]
    )
    for timer in wanted:
        application = applications[timer.application_id]
        step = steps.get(timer.step_id) if timer.step_id else active.get(application.pk)
        agency_id = step.agency_id if step and step.agency_id else timer.agency_id
        context = {
            "reference": application.reference or "",
            "service": BilingualText.of(application.service_version),
            "url": settings.PORTAL_BASE_URL.rstrip("/")
            + reverse("permits:detail", kwargs={"uuid": application.uuid}),
            "step": BilingualText.of(step or application.service_version),
            "due_at": timer.due_at,
        }
        percents = sorted(by_timer[timer.pk])
        warnings = [p for p in percents if p != BREACH]
        if warnings:
            report.warnings += 1
            recipients = []
            if step is not None and step.assigned_officer_id:
                recipients.append(step.assigned_officer.user)
            elif step is not None:
                recipients += _officers(agency_id, [step.role])
            recipients += _officers(agency_id, [SUPERVISOR])
            left = calendars[timer.calendar_id].remaining(now, timer.due_at)
            left_hours = max(int(left.total_seconds() // 3600), 0)
            for user in {u.pk: u for u in recipients}.values():
                notify(
                    event="sla.warning",
                    recipient=user,
                    context=context | {"remaining_hours": left_hours},
                    dedupe_key=f"sla:{timer.pk}:{warnings[-1]}",
                )
        if BREACH in percents:
            report.breaches += 1
            late = calendars[timer.calendar_id].elapsed(timer.due_at, now)
            overdue = int(late.total_seconds() // 3600)
            heads = _officers(agency_id, [AGENCY_HEAD]) or _officers(
                timer.agency_id, [AGENCY_HEAD]
            )
            for user in heads:
                notify(
                    event="sla.breached",
                    recipient=user,
                    context=context | {"overdue_hours": overdue},
                    dedupe_key=f"sla:{timer.pk}:{BREACH}:{timer.due_at.isoformat()}",
                )


# --- Recomputation after a calendar or holiday change -------------------------------


def sla_recompute(
    *, calendar_ids: Iterable[int | None] | None = None, chunk: int = 1000
) -> int:
    """Recompute every open deadline (of ``calendar_ids``, default all) from its
    clock start, the ledger's pauses and the current calendar; returns how many
    moved. Warnings already sent stay sent (never sent again); a breach the
    change undoes is marked withdrawn and the timer runs again. Chunks of
    ``chunk`` timers, each its own transaction, set-based writes."""
    base = SlaTimer.objects.filter(
        state__in=[TimerState.RUNNING, TimerState.PAUSED, TimerState.BREACHED],
        started_at__isnull=False,
    )
    if calendar_ids is not None:
        ids = list(calendar_ids)
        condition = Q(calendar_id__in=[i for i in ids if i is not None])
        if None in ids:
            condition |= Q(calendar__isnull=True)
        base = base.filter(condition)
    pks = list(base.order_by("pk").values_list("pk", flat=True))
    moved = 0
    for start in range(0, len(pks), chunk):
        moved += _recompute_chunk(pks[start : start + chunk])
    return moved


@transaction.atomic
def _recompute_chunk(pks: list[int]) -> int:
    now = timezone.now()
    # The workflow's lock order: applications first, then their timers.
    list(
        Application.objects.select_for_update()
        .filter(pk__in=SlaTimer.objects.filter(pk__in=pks).values("application_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    timers = list(
        SlaTimer.objects.select_for_update(of=("self",))
        .select_related("calendar", "application__service__agency")
        .filter(pk__in=pks, state__in=OPEN_STATES)
        .order_by("pk")
    )
    # An agency that switched calendars, or a policy that now counts an
    # office's service hours, moves its open deadlines to that calendar.
    wanted: dict[int, Calendar | None] = {}
    recalendared: set[int] = set()
    for timer in timers:
        service = timer.application.service
        if service.pk not in wanted:
            wanted[service.pk] = service_calendar(service)
        target = wanted[service.pk]
        if timer.calendar_id != (target.pk if target else None):
            timer.calendar = target
            recalendared.add(timer.pk)
    fingerprint = calendars_fingerprint()
    calendars: dict[int | None, WorkingCalendar] = {}
    pauses = _pauses_of({t.application_id for t in timers})
    sent: dict[int, set[int]] = defaultdict(set)
    for timer_id, percent in SlaWarning.objects.filter(
        timer__in=timers, withdrawn_at__isnull=True
    ).values_list("timer_id", "threshold"):
        sent[timer_id].add(percent)
    changed = []
    for timer in timers:
        if timer.calendar_id not in calendars:
            calendars[timer.calendar_id] = working_calendar(
                timer.calendar, fingerprint=fingerprint
            )
        before = (timer.due_at, timer.state, timer.next_check_at, timer.is_provisional)
        _timer_refresh(
            timer,
            calendars[timer.calendar_id],
            pauses[timer.application_id],
            now,
            sent=sent[timer.pk],
        )
        if timer.pk in recalendared or before != (
            timer.due_at,
            timer.state,
            timer.next_check_at,
            timer.is_provisional,
        ):
            changed.append(timer)
    SlaTimer.objects.bulk_update(
        changed,
        [
            "calendar",
            "state",
            "due_at",
            "budget",
            "remaining",
            "is_provisional",
            "next_check_at",
            "breached_at",
        ],
    )
    _mirror_many(changed)
    return sum(1 for t in changed if t.due_at is not None)


def _enqueue_recompute() -> None:
    from .tasks import sla_recompute_task

    sla_recompute_task.delay()


def sla_recompute_later() -> None:
    """Recompute after the current transaction commits (calendar signals); many
    changes in one transaction (a holiday import) enqueue one task. A broker
    outage does not fail the change (``robust``); run ``manage.py
    sla_recompute`` then."""
    pending = transaction.get_connection().run_on_commit
    if any(item[1] is _enqueue_recompute for item in pending):
        return
    transaction.on_commit(_enqueue_recompute, robust=True)


# --- Clock start at another event ----------------------------------------------------


def sla_clock_start(*, application: Application, at: dt.datetime, actor=None) -> None:
    """Start the service clock at ``at`` (e.g. when the payment notice is sent,
    ``SlaClockStart.PAYMENT_NOTICE_SENT``), once; later calls change nothing.
    Call inside the transaction of the event, with ``application`` locked."""
    SlaTimer.objects.filter(
        application=application, step__isnull=True, started_at__isnull=True
    ).update(started_at=at, state=TimerState.RUNNING)
    sla_sync(application, actor=actor)


# --- Extensions ----------------------------------------------------------------------


def _service_timer(application: Application) -> SlaTimer:
    timer = (
        SlaTimer.objects.select_for_update()
        .filter(application=application, step__isnull=True)
        .first()
    )
    if timer is None or not timer.is_open:
        raise ApplicationError(_("This application has no running deadline."))
    return timer


@transaction.atomic(durable=True)
def sla_extension_request(
    *, application: Application, user, days: int, reason: str
) -> SlaExtension:
    """An officer of the service's agency asks for ``days`` more working days.
    Raises ``ApplicationError`` (not the owning agency, no reason, an hour SLA,
    beyond the policy's maximum, a request already open)."""
    from .permissions import ensure_can_request_extension

    application = Application.objects.select_for_update().get(pk=application.pk)
    ensure_can_request_extension(user, application)
    if not reason.strip():
        raise ApplicationError(
            _("Give the reason for the extension."), extra={"field": "reason"}
        )
    timer = _service_timer(application)
    _check_extension_room(application, timer, days)
    if SlaExtension.objects.filter(
        application=application, status=ExtensionStatus.REQUESTED
    ).exists():
        raise ApplicationError(_("An extension request is already waiting."))
    extension = SlaExtension.objects.create(
        application=application, days=days, reason=reason.strip(), requested_by=user
    )
    audit_record(action="sla_extension.request", obj=extension, reason=reason)
    return extension


def _check_extension_room(application, timer: SlaTimer, days: int) -> None:
    if days < 1:
        raise ApplicationError(
            _("An extension is at least one working day."), extra={"field": "days"}
        )
    if timer.unit != SlaUnit.WORKING_DAYS:
        raise ApplicationError(_("Only deadlines in working days can be extended."))
    policy = SlaPolicy.objects.filter(service=application.service).first()
    allowed = policy.max_extension_days if policy else 0
    granted = (
        SlaExtension.objects.filter(
            application=application, status=ExtensionStatus.APPROVED
        ).aggregate(total=Sum("days"))["total"]
        or 0
    )
    if granted + days > allowed:
        raise ApplicationError(
            _(
                "This service allows at most %(max)s working days of extension; "
                "%(granted)s already granted."
            )
            % {"max": allowed, "granted": granted},
            extra={"field": "days"},
        )


@transaction.atomic(durable=True)
def sla_extension_decide(
    *, extension: SlaExtension, user, approve: bool, note: str = ""
) -> SlaExtension:
    """The head of the service's agency approves or refuses a request; an
    approval moves the deadline and is recorded in the ledger's audit trail.
    Raises ``ApplicationError``."""
    from .permissions import ensure_can_decide_extension

    application = Application.objects.select_for_update().get(
        pk=extension.application_id
    )
    extension = SlaExtension.objects.select_for_update().get(pk=extension.pk)
    ensure_can_decide_extension(user, application)
    if extension.status != ExtensionStatus.REQUESTED:
        raise ApplicationError(_("This extension request has already been decided."))
    timer = _service_timer(application)
    if approve:
        _check_extension_room(application, timer, extension.days)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action=f"sla_extension.{extension.status}",
        obj=extension,
        changes={"status": [ExtensionStatus.REQUESTED.value, extension.status]},
        reason=note,
    )
    if approve:
        timer.extension_days += extension.days
        timer.save(update_fields=["extension_days"])
        sla_sync(application, actor=user)
    return extension


# --- Questions: when would it be due, which deadlines does a change move -------------


@dataclass(frozen=True)
class DueAnswer:
    """``sla_due_for``'s answer: instants aware UTC, working time as timedelta."""

    service: object
    submitted_at: dt.datetime
    clock_starts_at: dt.datetime
    due_at: dt.datetime
    value: int
    unit: str
    provisional: bool
    calendar: Calendar | None


def sla_due_for(*, service, at: dt.datetime) -> DueAnswer:
    """If an application for ``service`` (its current version) were submitted at
    ``at`` with no pause, when would it be due? Raises ``ApplicationError`` for a
    service without a version, ``ValueError`` for a naive ``at``."""
    version = service.current_version
    if version is None:
        raise ApplicationError(_("This service has no published version."))
    calendar_row = service_calendar(service)
    calendar = working_calendar(calendar_row)
    kwargs = (
        {"days": version.sla_value}
        if version.sla_unit == SlaUnit.WORKING_DAYS
        else {"hours": version.sla_value}
    )
    result = calendar.deadline(at, **kwargs)
    return DueAnswer(
        service=service,
        submitted_at=at,
        clock_starts_at=calendar.clock_start(at),
        due_at=result.due_at,
        value=version.sla_value,
        unit=version.sla_unit,
        provisional=result.provisional,
        calendar=calendar_row,
    )


@dataclass(frozen=True)
class MovedDeadline:
    timer: SlaTimer
    before: dt.datetime | None
    after: dt.datetime | None


def sla_preview_closure(
    *,
    close: dict[dt.date, bool] | None = None,
    reopen: Iterable[dt.date] = (),
    limit: int = 500,
) -> list[MovedDeadline]:
    """Which open deadlines would move if the WIB dates in ``close`` (``{date:
    provisional}``) became holidays and those in ``reopen`` stopped being ones,
    before anything is saved (the admin's preview). Reads only timers whose
    window can contain a changed date; at most ``limit`` rows, earliest first."""
    from .calendars import build_working_calendar

    close = close or {}
    reopen = frozenset(reopen)
    days = sorted(set(close) | reopen)
    if not days:
        return []
    wib = dt.timezone(dt.timedelta(hours=7))
    first = dt.datetime.combine(days[0], dt.time(0), tzinfo=wib)
    last = dt.datetime.combine(days[-1], dt.time(0), tzinfo=wib) + dt.timedelta(days=1)
    timers = list(
        SlaTimer.objects.filter(
            state__in=[TimerState.RUNNING, TimerState.PAUSED, TimerState.BREACHED],
            started_at__lt=last,
        )
        .filter(Q(due_at__isnull=True) | Q(due_at__gte=first))
        .select_related("calendar", "application", "step")
        .order_by("due_at", "pk")[: limit * 4]
    )
    return _moved_deadlines(
        timers,
        lambda calendar: build_working_calendar(
            calendar, extra_closed=close, removed_closed=reopen
        ),
        limit=limit,
    )


def sla_preview_hours(
    *,
    calendar: Calendar,
    weekly: dict[int, list[tuple[dt.time, dt.time]]],
    limit: int = 500,
) -> list[MovedDeadline]:
    """Which open deadlines would move if ``calendar``'s weekly hours became
    ``weekly`` (``{weekday 0=Mon: [(opens, closes), ...]}``, WIB local times; a
    weekday left out is closed), before anything is saved (the admin's preview
    on the calendar form). Only timers counted on ``calendar`` can move; at most
    ``limit`` rows, earliest deadline first."""
    from .calendars import build_working_calendar

    timers = list(
        SlaTimer.objects.filter(
            state__in=[TimerState.RUNNING, TimerState.PAUSED, TimerState.BREACHED],
            calendar=calendar,
        )
        .select_related("calendar", "application", "step")
        .order_by("due_at", "pk")[: limit * 4]
    )
    return _moved_deadlines(
        timers,
        lambda row: build_working_calendar(row, weekly=weekly),
        limit=limit,
    )


def _moved_deadlines(timers, build, *, limit: int) -> list[MovedDeadline]:
    """Recompute each timer on the calendar ``build(timer.calendar)`` returns
    (built once per calendar) and keep those whose deadline changes."""
    pauses = _pauses_of({t.application_id for t in timers})
    changed: dict[int | None, WorkingCalendar] = {}
    moved = []
    for timer in timers:
        if timer.calendar_id not in changed:
            changed[timer.calendar_id] = build(timer.calendar)
        after = timer_deadline(
            timer, changed[timer.calendar_id], pauses[timer.application_id]
        )
        if after.due_at != timer.due_at:
            moved.append(MovedDeadline(timer, timer.due_at, after.due_at))
        if len(moved) >= limit:
            break
    return moved
