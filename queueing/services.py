"""Writes of the walk-in queue. Entry points own their transaction
(``@transaction.atomic(durable=True)``), lock in a stable order (counter, then
ticket), and write an audit entry with every state change.

Errors: ``ApplicationError`` (HTTP 400) for a refused request, with a translated
message; ``opening.QueueClosed`` (a subclass) outside issuing hours;
``InvalidTransition`` (409) when the ticket is not in a state that allows the
action; ``permissions.NotAllowed`` when the user may not operate the counter.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from contextlib import nullcontext
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Office, Service
from audit.context import audit_actor
from audit.services import audit_insert_from, audit_record
from notifications.services import notify
from notifications.variables import BilingualText
from ptsp.exceptions import ApplicationError, InvalidTransition

from .calling import desk_lock, ticket_advance, ticket_call
from .choices import (
    ACTIVE_BOOKING_STATUSES,
    ACTIVE_TICKET_STATUSES,
    BookingStatus,
    TicketChannel,
    TicketStatus,
)
from .models import (
    Booking,
    Counter,
    DailySequence,
    PriorityGroup,
    QueueTicket,
    ServiceGroup,
)
from .nik import nik_hash, nik_normalize
from .opening import ensure_issuing_open, local_date
from .permissions import NotAllowed, ensure_can_operate
from .selectors import (
    CURRENT_STATUSES,
    booking_slots,
    group_for_service,
    line_rank,
    tickets_waiting_for_counter,
)
from .workflow import can_transition

logger = logging.getLogger(__name__)

BOOKING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def format_number(prefix: str, sequence: int) -> str:
    """``A`` and 7 → ``A007``; at least three digits, so 1000 → ``A1000``."""
    return f"{prefix}{sequence:03d}"


def _seconds(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def _transition(ticket: QueueTicket, to: TicketStatus) -> TicketStatus:
    """Check and set ``ticket.status``; return the previous status."""
    if not can_transition(ticket.status, to):
        raise InvalidTransition(
            _("Ticket %(number)s is %(status)s; that is not possible now.")
            % {"number": ticket.number, "status": ticket.get_status_display().lower()},
            extra={"status": ticket.status},
        )
    before = ticket.status
    ticket.status = to
    return TicketStatus(before)


def _audit(action: str, ticket: QueueTicket, before: str, user=None, **changes):
    """Audit a ticket's change; ``user`` (the operator) is the actor, within the
    request's context (IP address, request id)."""
    changes = {
        "status": [before, ticket.status],
        **{k: list(v) for k, v in changes.items()},
    }
    with audit_actor(user=user) if user is not None else nullcontext():
        audit_record(action=action, obj=ticket, changes=changes)


def _lock_counter(counter: Counter) -> Counter:
    return Counter.objects.select_for_update().get(pk=counter.pk)


def _operate(counter: Counter, user) -> Counter:
    """Lock ``counter`` for this transaction and check that ``user`` may operate
    it (``permissions.can_operate``); raise ``NotAllowed`` otherwise.

    On PostgreSQL one statement (``calling.desk_lock``) locks the row and checks
    the operator; ``user.has_perm`` is cached on the user object (the views have
    asked already). Returns the locked counter (``counter`` itself there)."""
    if connection.vendor != "postgresql":
        counter = _lock_counter(counter)
        ensure_can_operate(user, counter)
        return counter
    _desk(counter, user)
    return counter


def _desk(counter: Counter, user):
    """``calling.desk_lock`` for ``user``, or ``NotAllowed``."""
    allowed = getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.has_perm("queueing.operate_counter")
    )
    desk = desk_lock(counter.pk, user.pk if allowed else None)
    if desk is None or not allowed or not (desk.on_duty or user.is_superuser):
        raise NotAllowed(_("You do not operate this counter."))
    return desk


def _lock_ticket(ticket: QueueTicket) -> QueueTicket:
    return QueueTicket.objects.select_for_update().get(pk=ticket.pk)


def _current_ticket(counter: Counter) -> QueueTicket:
    """The counter's called or served ticket, locked; ``InvalidTransition`` when
    there is none."""
    ticket = (
        QueueTicket.objects.select_for_update()
        .filter(counter=counter, status__in=CURRENT_STATUSES)
        .first()
    )
    if ticket is None:
        raise InvalidTransition(_("No ticket is called to this counter."))
    return ticket


# --- Issuing ----------------------------------------------------------------------


def _next_sequence(office: Office, prefix: str, day: dt.date) -> int:
    """Take the next number of ``office``/``prefix``/``day`` under a row lock held
    until commit, so that concurrent issuers get strictly increasing numbers."""
    DailySequence.objects.bulk_create(
        [DailySequence(office=office, prefix=prefix, local_date=day)],
        ignore_conflicts=True,
    )
    row = DailySequence.objects.select_for_update().get(
        office=office, prefix=prefix, local_date=day
    )
    row.last_number += 1
    row.save(update_fields=["last_number"])
    return row.last_number


def _ticket_issue(
    *,
    office: Office,
    service: Service,
    channel: TicketChannel,
    hashed_nik: str = "",
    priority: PriorityGroup | None = None,
    citizen=None,
    application_reference: str = "",
    window: tuple[dt.datetime, dt.datetime] | None = None,
) -> QueueTicket:
    group = group_for_service(office, service)
    if group is None:
        raise ApplicationError(_("This service has no queue at this office."))
    now = timezone.now()
    ensure_issuing_open(office, now)
    day = local_date(office, now)
    if hashed_nik:
        held = QueueTicket.objects.filter(
            nik_hash=hashed_nik,
            service=service,
            local_date=day,
            status__in=ACTIVE_TICKET_STATUSES,
        ).first()
        if held is not None:
            raise ApplicationError(
                _(
                    "This NIK already holds ticket %(number)s for this service "
                    "today. One ticket per service and day."
                )
                % {"number": held.number},
                extra={"code": "nik_holds_ticket"},
            )
    sequence = _next_sequence(office, group.prefix, day)
    # Taken under the sequence lock: the line order (queued_at) follows the numbers.
    issued_at = timezone.now()
    ticket = QueueTicket(
        office=office,
        group=group,
        service=service,
        priority=priority,
        prefix=group.prefix,
        sequence=sequence,
        number=format_number(group.prefix, sequence),
        local_date=day,
        channel=channel,
        nik_hash=hashed_nik,
        citizen=citizen,
        application_reference=application_reference,
        issued_at=issued_at,
        queued_at=issued_at,
        window_starts_at=window[0] if window else None,
        window_ends_at=window[1] if window else None,
    )
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError as exc:  # a concurrent ticket for the same NIK won
        raise ApplicationError(
            _("This NIK already holds a ticket for this service today."),
            extra={"code": "nik_holds_ticket"},
        ) from exc
    audit_record(
        action="queue.ticket_issue",
        obj=ticket,
        changes={
            "number": [None, ticket.number],
            "service": [None, service.code],
            "channel": [None, channel],
            "priority": [None, priority.code if priority else None],
        },
    )
    return ticket


@transaction.atomic(durable=True)
def ticket_issue(
    *,
    office: Office,
    service: Service,
    nik: str = "",
    channel: TicketChannel = TicketChannel.KIOSK,
    priority: PriorityGroup | None = None,
    citizen=None,
    application_reference: str = "",
) -> QueueTicket:
    """Issue the next ticket of ``service``'s group at ``office`` and return it.

    ``nik`` (16 digits) is required at the kiosk and optional at reception; only
    its keyed hash is stored. Refused with ``QueueClosed`` outside issuing hours
    (``opening.ensure_issuing_open``), ``ApplicationError`` when the service has
    no queue here or the NIK already holds an active ticket for it today, and
    ``django.core.exceptions.ValidationError`` for a malformed NIK.
    """
    hashed = ""
    if nik or channel == TicketChannel.KIOSK:
        hashed = nik_hash(nik_normalize(nik))
    return _ticket_issue(
        office=office,
        service=service,
        channel=channel,
        hashed_nik=hashed,
        priority=priority,
        citizen=citizen,
        application_reference=application_reference,
    )


# --- Counter work -----------------------------------------------------------------


def _enqueue_turn_near(group_id: int) -> None:
    from .tasks import queue_turn_near_task

    queue_turn_near_task.apply_async((group_id,), retry=False)


def _notify_called(ticket: QueueTicket, counter: Counter) -> None:
    if ticket.citizen_id is None:
        return
    notify(
        event="queue.ticket_called",
        recipient=ticket.citizen,
        context={
            "ticket_number": ticket.number,
            "office": BilingualText.of(ticket.office),
            "counter": counter.signage,
        },
        dedupe_key=f"{ticket.pk}:{ticket.counter_id}:{ticket.recall_count}",
    )


def _call(ticket: QueueTicket, counter: Counter, now: dt.datetime) -> None:
    ticket.counter = counter
    ticket.target_counter = None
    ticket.called_at = now
    if ticket.first_called_at is None:
        ticket.first_called_at = now
        since = ticket.issued_at
        if ticket.window_starts_at and ticket.window_starts_at > since:
            since = min(ticket.window_starts_at, now)
        ticket.wait_seconds = _seconds(now - since)


def _still_busy(counter_id: int) -> InvalidTransition | None:
    busy = QueueTicket.objects.filter(
        counter_id=counter_id, status__in=CURRENT_STATUSES
    ).first()
    if busy is None:
        return None
    return InvalidTransition(
        _(
            "Ticket %(number)s is still at this counter: finish, park, transfer "
            "or recall it first."
        )
        % {"number": busy.number}
    )


def ticket_call_next(*, counter: Counter, user) -> QueueTicket | None:
    """Call the next ticket to ``counter`` and return it, or ``None`` when nobody
    waits for it.

    Order: booked visitors inside their window, then priority groups, then first
    come, first served (``selectors.line_rank``). On PostgreSQL the ticket row
    is taken with ``FOR UPDATE SKIP LOCKED``: counters calling at the same moment
    get different tickets, each the first one not being taken by another. One
    statement there (``calling.ticket_call``: lock and check the counter, take
    and call the ticket, write the audit entry) between BEGIN and COMMIT,
    whatever the length of the line, and one read more only when nothing was
    taken. The "called" notification is written for tickets with a citizen
    account; the "turn near" task is enqueued after the commit only when the
    group's line holds an account that may be due it. Raises ``NotAllowed``, and
    ``InvalidTransition`` while the counter still has a ticket called or in
    service.
    """
    try:
        return _ticket_call_next(counter=counter, user=user)
    except IntegrityError as exc:
        # Two calls of the same counter at once: the loser's busy guard read a
        # snapshot from before the winner's commit, and the constraint refused
        # its second current ticket (``calling.ticket_call``).
        if "one_current_ticket_per_counter" not in str(exc):
            raise
        busy = _still_busy(counter.pk)
        if busy is None:
            raise
        raise busy from None


@transaction.atomic(durable=True)
def _ticket_call_next(*, counter: Counter, user) -> QueueTicket | None:
    if connection.vendor != "postgresql":
        return _ticket_call_next_orm(counter=counter, user=user)
    allowed = getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.has_perm("queueing.operate_counter")
    )
    with audit_actor(user=user) if allowed else nullcontext():
        entry = audit_insert_from(
            action="queue.ticket_call",
            object_type=QueueTicket._meta.label_lower,
            source="taken",
            object_id="taken.id",
            changes={
                "status": [TicketStatus.WAITING.value, TicketStatus.CALLED.value],
                "counter": [None, counter.pk],
            },
        )
    called = ticket_call(
        counter_id=counter.pk,
        user_id=user.pk if allowed else None,
        superuser=bool(allowed and user.is_superuser),
        now=timezone.now(),
        entry=entry,
    )
    if not (allowed and called.found and (called.on_duty or user.is_superuser)):
        raise NotAllowed(_("You do not operate this counter."))
    ticket = called.ticket
    if ticket is None:
        busy = _still_busy(counter.pk)
        if busy is not None:
            raise busy
        return None
    ticket.counter = counter
    _notify_called(ticket, counter)
    if called.turn_near_due:
        transaction.on_commit(partial(_enqueue_turn_near, ticket.group_id), robust=True)
    return ticket


def _ticket_call_next_orm(*, counter: Counter, user) -> QueueTicket | None:
    """``ticket_call_next`` through the ORM, for databases other than
    PostgreSQL (SQLite in development)."""
    counter = _operate(counter, user)
    busy = _still_busy(counter.pk)
    if busy is not None:
        raise busy
    now = timezone.now()
    skip = connection.features.has_select_for_update_skip_locked
    ticket = (
        tickets_waiting_for_counter(counter, now)
        .select_for_update(skip_locked=skip)
        .first()
    )
    if ticket is None:
        return None
    before = _transition(ticket, TicketStatus.CALLED)
    _call(ticket, counter, now)
    ticket.save()
    _audit("queue.ticket_call", ticket, before, user=user, counter=[None, counter.pk])
    _notify_called(ticket, counter)
    transaction.on_commit(partial(_enqueue_turn_near, ticket.group_id), robust=True)
    return ticket


@transaction.atomic(durable=True)
def ticket_recall(
    *, counter: Counter, user, ticket: QueueTicket | None = None
) -> QueueTicket:
    """Call the counter's called ticket again, or a ticket it parked.

    A called ticket may be recalled ``QUEUE_RECALL_LIMIT`` times; the next recall
    marks it missed (the visitor did not come) and frees the counter. Calling a
    parked ticket back is not counted. Raises ``InvalidTransition``.
    """
    counter = _operate(counter, user)
    now = timezone.now()
    if ticket is None:
        ticket = _current_ticket(counter)
    else:
        ticket = _lock_ticket(ticket)
        if ticket.counter_id != counter.pk or ticket.status != TicketStatus.PARKED:
            raise InvalidTransition(_("Only this counter's parked tickets."))
        if QueueTicket.objects.filter(
            counter=counter, status__in=CURRENT_STATUSES
        ).exists():
            raise InvalidTransition(_("Finish or park the current ticket first."))
        before = _transition(ticket, TicketStatus.CALLED)
        ticket.called_at = now
        ticket.save()
        _audit("queue.ticket_recall", ticket, before, user=user)
        _notify_called(ticket, counter)
        return ticket
    if ticket.status != TicketStatus.CALLED:
        raise InvalidTransition(_("The visitor is already being served."))
    if ticket.recall_count >= settings.QUEUE_RECALL_LIMIT:
        before = _transition(ticket, TicketStatus.MISSED)
        ticket.finished_at = now
        ticket.save()
        _audit("queue.ticket_missed", ticket, before, user=user)
        return ticket
    before = _transition(ticket, TicketStatus.CALLED)
    ticket.recall_count += 1
    ticket.called_at = now
    ticket.save()
    _audit(
        "queue.ticket_recall",
        ticket,
        before,
        user=user,
        recall_count=[ticket.recall_count - 1, ticket.recall_count],
    )
    _notify_called(ticket, counter)
    return ticket


@transaction.atomic(durable=True)
def ticket_start(*, counter: Counter, user) -> QueueTicket:
    """The called visitor arrived: start serving. Raises ``InvalidTransition``.
    On PostgreSQL four statements (lock and check, one ``UPDATE … RETURNING``,
    the audit entry)."""
    counter = _operate(counter, user)
    now = timezone.now()
    if connection.vendor == "postgresql":
        ticket = ticket_advance(counter.pk, TicketStatus.SERVING, now)
        if ticket is not None:
            _audit("queue.ticket_start", ticket, TicketStatus.CALLED, user=user)
            return ticket
    # Nothing called here (the read below says why), or not PostgreSQL.
    ticket = _current_ticket(counter)
    before = _transition(ticket, TicketStatus.SERVING)
    ticket.started_at = now
    ticket.save()
    _audit("queue.ticket_start", ticket, before, user=user)
    return ticket


def _stop_clock(ticket: QueueTicket, now: dt.datetime) -> None:
    """Add the time since ``started_at`` to ``service_seconds``."""
    if ticket.started_at is not None:
        ticket.service_seconds = (ticket.service_seconds or 0) + _seconds(
            now - ticket.started_at
        )
        ticket.started_at = None


@transaction.atomic(durable=True)
def ticket_finish(*, counter: Counter, user) -> QueueTicket:
    """Serving is done. ``service_seconds`` sums the serving periods (a parked
    period is not counted). Raises ``InvalidTransition``. On PostgreSQL four
    statements, as ``ticket_start``."""
    counter = _operate(counter, user)
    now = timezone.now()
    if connection.vendor == "postgresql":
        ticket = ticket_advance(counter.pk, TicketStatus.DONE, now)
        if ticket is not None:
            _audit("queue.ticket_finish", ticket, TicketStatus.SERVING, user=user)
            return ticket
    ticket = _current_ticket(counter)
    started = ticket.started_at
    before = _transition(ticket, TicketStatus.DONE)
    _stop_clock(ticket, now)
    ticket.started_at = started
    ticket.finished_at = now
    ticket.save()
    _audit("queue.ticket_finish", ticket, before, user=user)
    return ticket


@transaction.atomic(durable=True)
def ticket_park(*, counter: Counter, user) -> QueueTicket:
    """Put the counter's ticket aside (the visitor fetches a document, say); the
    counter may call the next one and recall this one later."""
    counter = _operate(counter, user)
    ticket = _current_ticket(counter)
    before = _transition(ticket, TicketStatus.PARKED)
    _stop_clock(ticket, timezone.now())
    ticket.save()
    _audit("queue.ticket_park", ticket, before, user=user)
    return ticket


@transaction.atomic(durable=True)
def ticket_transfer(
    *,
    counter: Counter,
    user,
    to_counter: Counter | None = None,
    to_service: Service | None = None,
) -> QueueTicket:
    """Send the counter's ticket to another counter of the office and/or another
    service; it waits again with the same number and its place in line
    (``queued_at`` is kept). A ticket sent to a counter is called only there.

    Raises ``ApplicationError`` for a target elsewhere or without a queue, or
    when the NIK already holds a ticket for the new service today, and
    ``InvalidTransition``.
    """
    if to_counter is None and to_service is None:
        raise ApplicationError(_("Choose a counter or a service to transfer to."))
    counter = _operate(counter, user)
    ticket = _current_ticket(counter)
    changes: dict[str, tuple] = {"from_counter": (counter.pk, None)}
    if to_service is not None and to_service.pk != ticket.service_id:
        group = group_for_service(ticket.office, to_service)
        if group is None:
            raise ApplicationError(_("This service has no queue at this office."))
        changes["service"] = (ticket.service_id, to_service.pk)
        ticket.service = to_service
        ticket.group = group
    if to_counter is not None:
        if to_counter.office_id != ticket.office_id or not to_counter.is_active:
            raise ApplicationError(_("Choose an open counter of this office."))
        if to_counter.pk == counter.pk:
            raise ApplicationError(_("The ticket is already at this counter."))
        ticket.target_counter = to_counter
        changes["target_counter"] = (None, to_counter.pk)
    before = _transition(ticket, TicketStatus.WAITING)
    _stop_clock(ticket, timezone.now())
    ticket.counter = None
    ticket.transfer_count += 1
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError as exc:
        raise ApplicationError(
            _("This NIK already holds a ticket for that service today.")
        ) from exc
    _audit("queue.ticket_transfer", ticket, before, user=user, **changes)
    transaction.on_commit(partial(_enqueue_turn_near, ticket.group_id), robust=True)
    return ticket


# --- Notifications and the end of the day -----------------------------------------


@transaction.atomic(durable=True)
def tickets_notify_turn_near(*, group: ServiceGroup) -> int:
    """Notify (``queue.turn_near``) each citizen account whose ticket of
    ``group`` has at most ``QUEUE_TURN_NEAR_AHEAD`` tickets before it, once per
    ticket; return how many were notified. Walk-in tickets without an account
    follow their "my ticket" page instead."""
    limit = settings.QUEUE_TURN_NEAR_AHEAD
    line = list(
        QueueTicket.objects.filter(group=group, status=TicketStatus.WAITING)
        .annotate(line_rank=line_rank(timezone.now()))
        .order_by("line_rank", "queued_at", "pk")
        .values_list("pk", flat=True)[: limit + 1]
    )
    sent = 0
    tickets = (
        QueueTicket.objects.select_for_update(of=("self",))
        .filter(pk__in=line, citizen__isnull=False, turn_near_notified_at__isnull=True)
        .select_related("citizen", "office")
        .order_by("pk")
    )
    for ticket in tickets:
        notify(
            event="queue.turn_near",
            recipient=ticket.citizen,
            context={
                "ticket_number": ticket.number,
                "office": BilingualText.of(ticket.office),
                "ahead": line.index(ticket.pk),
            },
            dedupe_key=f"{ticket.pk}",
        )
        ticket.turn_near_notified_at = timezone.now()
        ticket.save(update_fields=["turn_near_notified_at"])
        sent += 1
    return sent


@transaction.atomic(durable=True)
def queue_close_past_days(*, today: dt.date | None = None) -> dict[str, int]:
    """End of day: close every ticket and booking of a WIB day before ``today``
    (default: today in WIB). Waiting and parked tickets expire (never called),
    a ticket left called is missed, one left in service is done (its service
    time is not known). Bookings never checked in become no-shows. Safe to run
    twice: the second run finds nothing. One audit entry per office and former
    state, listing the tickets. Returns counts per outcome."""
    today = today or timezone.localdate()
    outcomes = {
        TicketStatus.WAITING: TicketStatus.EXPIRED,
        TicketStatus.PARKED: TicketStatus.EXPIRED,
        TicketStatus.CALLED: TicketStatus.MISSED,
        TicketStatus.SERVING: TicketStatus.DONE,
    }
    counts: dict[str, int] = {}
    tickets = list(
        QueueTicket.objects.select_for_update()
        .filter(local_date__lt=today, status__in=ACTIVE_TICKET_STATUSES)
        .order_by("pk")
    )
    grouped: dict[str, list[QueueTicket]] = {}
    for ticket in tickets:
        grouped.setdefault(ticket.status, []).append(ticket)
    for status, rows in grouped.items():
        target = outcomes[TicketStatus(status)]
        # One audit entry per ticket, written by the bulk helper.
        QueueTicket.objects.filter(pk__in=[t.pk for t in rows]).audited_update(
            action="queue.tickets_close_day",
            reason="end of the service day (WIB)",
            status=target,
        )
        counts[target] = counts.get(target, 0) + len(rows)
    bookings = list(
        Booking.objects.select_for_update()
        .filter(local_date__lt=today, status=BookingStatus.BOOKED)
        .order_by("pk")
    )
    if bookings:
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).audited_update(
            action="queue.bookings_no_show",
            reason="end of the service day (WIB)",
            status=BookingStatus.NO_SHOW,
        )
        counts[BookingStatus.NO_SHOW] = len(bookings)
    if counts:
        logger.info("Queue day closed before %s: %s", today, counts)
    return counts


# --- Bookings ---------------------------------------------------------------------


def _booking_code() -> str:
    return "BK-" + "".join(secrets.choice(BOOKING_CODE_ALPHABET) for _ in range(6))


@transaction.atomic(durable=True)
def booking_create(
    *,
    citizen,
    office: Office,
    service: Service,
    slot_starts_at: dt.datetime,
    nik: str,
    application_reference: str = "",
) -> Booking:
    """Book the slot that starts at ``slot_starts_at`` for ``service`` at
    ``office`` and return the booking with its code.

    The slot must be one of the group's slots inside the office's service hours
    (``selectors.booking_slots``), from now to ``QUEUE_BOOKING_DAYS_AHEAD`` days
    ahead, with a free place (the group row is locked while counting, so the
    capacity holds under concurrent booking). One active booking per NIK,
    service and day. Raises ``ApplicationError`` or ``ValidationError`` (NIK).
    """
    hashed = nik_hash(nik_normalize(nik))
    group = group_for_service(office, service)
    if group is None or group.booking_capacity == 0:
        raise ApplicationError(_("This service cannot be booked at this office."))
    group = ServiceGroup.objects.select_for_update().get(pk=group.pk)
    day = local_date(office, slot_starts_at)
    today = local_date(office, timezone.now())
    last = today + dt.timedelta(days=settings.QUEUE_BOOKING_DAYS_AHEAD)
    if not today <= day <= last:
        raise ApplicationError(
            _("Bookings are open for today and the next %(days)s days.")
            % {"days": settings.QUEUE_BOOKING_DAYS_AHEAD}
        )
    slot = next(
        (s for s in booking_slots(group, day) if s.starts_at == slot_starts_at), None
    )
    if slot is None:
        raise ApplicationError(
            _("That time is not a bookable slot inside the service hours.")
        )
    if slot.free == 0:
        raise ApplicationError(_("That slot is full. Please choose another time."))
    if Booking.objects.filter(
        nik_hash=hashed,
        service=service,
        local_date=day,
        status__in=ACTIVE_BOOKING_STATUSES,
    ).exists():
        raise ApplicationError(
            _("This NIK already has a booking for this service on that day.")
        )
    booking = Booking(
        office=office,
        group=group,
        service=service,
        citizen=citizen,
        nik_hash=hashed,
        local_date=day,
        slot_starts_at=slot.starts_at,
        slot_ends_at=slot.ends_at,
        application_reference=application_reference,
    )
    for _attempt in range(5):
        booking.code = _booking_code()
        try:
            with transaction.atomic():
                booking.save()
            break
        except IntegrityError:
            if Booking.objects.filter(code=booking.code).exists():
                continue  # code collision: draw again
            raise
    audit_record(
        action="queue.booking_create",
        obj=booking,
        changes={
            "code": [None, booking.code],
            "slot_starts_at": [None, booking.slot_starts_at.isoformat()],
            "service": [None, service.code],
        },
    )
    return booking


@transaction.atomic(durable=True)
def booking_cancel(*, booking: Booking, citizen) -> Booking:
    """The citizen cancels their booking before checking in."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk, citizen=citizen)
    if booking.status != BookingStatus.BOOKED:
        raise InvalidTransition(_("Only a booking not yet used can be cancelled."))
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    audit_record(
        action="queue.booking_cancel",
        obj=booking,
        changes={"status": [BookingStatus.BOOKED, BookingStatus.CANCELLED]},
    )
    return booking


def booking_window(booking: Booking) -> tuple[dt.datetime, dt.datetime]:
    """The booking's calling window: the slot widened by
    ``QUEUE_BOOKING_GRACE_MINUTES`` on both sides."""
    grace = dt.timedelta(minutes=settings.QUEUE_BOOKING_GRACE_MINUTES)
    return booking.slot_starts_at - grace, booking.slot_ends_at + grace


@transaction.atomic(durable=True)
def booking_check_in(*, office: Office, code: str, nik: str) -> QueueTicket:
    """Check in the booking ``code`` at ``office`` (the visitor gives the code and
    their NIK) and return its ticket, which is called first while inside the
    booking window (``booking_window``).

    Allowed on the booking's day while tickets are issued, until the end of the
    window. Unknown code and wrong NIK give the same message. Raises
    ``ApplicationError``, ``QueueClosed`` or ``ValidationError`` (NIK).
    """
    hashed = nik_hash(nik_normalize(nik))
    normalized = code.strip().upper()
    if normalized and not normalized.startswith("BK-"):
        normalized = f"BK-{normalized}"
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .filter(code=normalized, office=office)
        .select_related("service", "citizen")
        .first()
    )
    if booking is None or not secrets.compare_digest(booking.nik_hash, hashed):
        raise ApplicationError(
            _("No booking at this office matches this code and NIK."),
            extra={"code": "booking_unknown"},
        )
    if booking.status == BookingStatus.CHECKED_IN:
        raise ApplicationError(
            _("This booking is already checked in: ticket %(number)s.")
            % {"number": booking.ticket.number}
        )
    if booking.status != BookingStatus.BOOKED:
        raise ApplicationError(_("This booking was cancelled or has lapsed."))
    now = timezone.now()
    window = booking_window(booking)
    if local_date(office, now) != booking.local_date:
        raise ApplicationError(
            _("This booking is for %(day)s.")
            % {"day": f"{booking.local_date:%d-%m-%Y}"}
        )
    if now > window[1]:
        raise ApplicationError(
            _("The booking window has passed. Please take a walk-in ticket.")
        )
    ticket = _ticket_issue(
        office=office,
        service=booking.service,
        channel=TicketChannel.BOOKING,
        hashed_nik=hashed,
        citizen=booking.citizen,
        application_reference=booking.application_reference,
        window=window,
    )
    booking.status = BookingStatus.CHECKED_IN
    booking.ticket = ticket
    booking.checked_in_at = now
    booking.save(update_fields=["status", "ticket", "checked_in_at", "updated_at"])
    audit_record(
        action="queue.booking_check_in",
        obj=booking,
        changes={
            "status": [BookingStatus.BOOKED, BookingStatus.CHECKED_IN],
            "ticket": [None, ticket.number],
        },
    )
    return ticket


@transaction.atomic(durable=True)
def bookings_remind(*, hours: int | None = None) -> int:
    """Send ``appointment.reminder`` once for each booking starting within
    ``hours`` (default ``QUEUE_BOOKING_REMINDER_HOURS``); return how many."""
    hours = settings.QUEUE_BOOKING_REMINDER_HOURS if hours is None else hours
    now = timezone.now()
    due = (
        Booking.objects.select_for_update(of=("self",))
        .filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            slot_starts_at__gt=now,
            slot_starts_at__lte=now + dt.timedelta(hours=hours),
        )
        .select_related("citizen", "office", "service__current_version")
        .order_by("pk")
    )
    sent = 0
    for booking in due:
        notify(
            event="appointment.reminder",
            recipient=booking.citizen,
            context={
                "booking_code": booking.code,
                "service": _service_name(booking.service),
                "office": BilingualText.of(booking.office),
                "starts_at": booking.slot_starts_at,
            },
            dedupe_key=booking.code,
        )
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at"])
        sent += 1
    return sent


def _service_name(service: Service) -> BilingualText | str:
    """The service's name for a notice, in both languages (its current
    version's), else its code."""
    if service.current_version_id:
        return BilingualText.of(service.current_version)
    return service.code
