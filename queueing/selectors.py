"""Reads of the queue: the order of the line, positions and estimated waits, what
the board shows, bookings' free slots."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from agencies.models import Office, Service
from agencies.selectors import service_qs_public

from .choices import ACTIVE_BOOKING_STATUSES, TicketStatus
from .models import Booking, Counter, PriorityGroup, QueueTicket, ServiceGroup
from .opening import Slot, day_slots, local_date, office_schedule
from .speech import spoken_call

#: Ranks of the line (lower is called first): a booked visitor inside the booking
#: window, then priority groups, then everyone else; first come, first served
#: within a rank (``queued_at``, then id).
RANK_BOOKED, RANK_PRIORITY, RANK_REGULAR = 0, 1, 2

CURRENT_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


def line_rank(now: dt.datetime) -> Case:
    return Case(
        When(
            window_starts_at__lte=now, window_ends_at__gte=now, then=Value(RANK_BOOKED)
        ),
        When(priority__isnull=False, then=Value(RANK_PRIORITY)),
        default=Value(RANK_REGULAR),
        output_field=IntegerField(),
    )


def ticket_rank(ticket: QueueTicket, now: dt.datetime) -> int:
    """``line_rank`` of one ticket, in Python."""
    if (
        ticket.window_starts_at
        and ticket.window_starts_at <= now <= ticket.window_ends_at
    ):
        return RANK_BOOKED
    return RANK_PRIORITY if ticket.priority_id else RANK_REGULAR


def tickets_waiting_for_counter(
    counter: Counter, now: dt.datetime | None = None
) -> QuerySet[QueueTicket]:
    """Waiting tickets ``counter`` may call, in calling order (``line_rank``,
    ``queued_at``, id): those of its service groups (and services, when it is
    limited to some) not transferred to another counter, and those transferred
    to it. One query to read the counter's groups and services."""
    now = now or timezone.now()
    group_ids = list(counter.service_groups.values_list("pk", flat=True))
    service_ids = list(counter.services.values_list("pk", flat=True))
    mine = Q(group_id__in=group_ids, target_counter__isnull=True)
    if service_ids:
        mine &= Q(service_id__in=service_ids)
    return (
        QueueTicket.objects.filter(
            mine | Q(target_counter=counter),
            office_id=counter.office_id,
            status=TicketStatus.WAITING,
        )
        .annotate(line_rank=line_rank(now))
        .order_by("line_rank", "queued_at", "pk")
    )


def ticket_ahead_count(ticket: QueueTicket, now: dt.datetime | None = None) -> int:
    """Waiting tickets of the same group called before ``ticket`` (one query)."""
    now = now or timezone.now()
    rank = ticket_rank(ticket, now)
    before = (
        Q(line_rank__lt=rank)
        | Q(line_rank=rank, queued_at__lt=ticket.queued_at)
        | Q(line_rank=rank, queued_at=ticket.queued_at, pk__lt=ticket.pk)
    )
    return (
        QueueTicket.objects.filter(
            group_id=ticket.group_id, status=TicketStatus.WAITING
        )
        .exclude(pk=ticket.pk)
        .annotate(line_rank=line_rank(now))
        .filter(before)
        .count()
    )


@dataclass(frozen=True)
class TicketProgress:
    """Where a waiting ticket stands: ``ahead`` tickets before it and an estimate
    of the minutes until its call (calendar minutes; ``None`` when not waiting)."""

    ahead: int | None
    wait_minutes: int | None


def group_service_minutes(group: ServiceGroup, day: dt.date) -> float:
    """Average minutes a visitor of ``group`` spent at the counter on ``day``, or
    the group's configured typical time when none was served yet."""
    seconds = QueueTicket.objects.filter(
        group=group, local_date=day, service_seconds__isnull=False
    ).aggregate(avg=Avg("service_seconds"))["avg"]
    return seconds / 60 if seconds else float(group.average_service_minutes)


def ticket_progress(ticket: QueueTicket) -> TicketProgress:
    """Position and estimated wait of ``ticket``: (ahead + 1) x average service time /
    active counters of its group (at least one). Three queries."""
    if ticket.status != TicketStatus.WAITING:
        return TicketProgress(None, None)
    ahead = ticket_ahead_count(ticket)
    counters = max(
        1,
        Counter.objects.filter(service_groups=ticket.group_id, is_active=True).count(),
    )
    minutes = group_service_minutes(ticket.group, ticket.local_date)
    return TicketProgress(ahead, math.ceil((ahead + 1) * minutes / counters))


def group_for_service(office: Office, service: Service) -> ServiceGroup | None:
    """The active group of ``office`` that queues ``service``, if any."""
    return (
        ServiceGroup.objects.filter(office=office, is_active=True, services=service)
        .order_by("sort_order", "pk")
        .first()
    )


def groups_with_services(office: Office) -> list[ServiceGroup]:
    """Active groups of ``office`` with their published services prefetched as
    ``group.public_services`` (two queries)."""
    services = service_qs_public()
    return list(
        ServiceGroup.objects.filter(office=office, is_active=True)
        .prefetch_related(
            Prefetch("services", queryset=services, to_attr="public_services")
        )
        .order_by("sort_order", "prefix")
    )


def offices_with_queue() -> QuerySet[Office]:
    """Active offices that have at least one active service group."""
    return (
        Office.objects.filter(is_active=True, queue_groups__is_active=True)
        .select_related("service_calendar")
        .distinct()
        .order_by("kind", "code")
    )


def priority_groups() -> QuerySet[PriorityGroup]:
    return PriorityGroup.objects.filter(is_active=True)


def counter_current_ticket(counter: Counter) -> QueueTicket | None:
    """The ticket called to or served at ``counter`` (at most one)."""
    return (
        QueueTicket.objects.filter(counter=counter, status__in=CURRENT_STATUSES)
        .select_related("service__current_version", "priority", "group")
        .first()
    )


def counter_parked_tickets(counter: Counter) -> QuerySet[QueueTicket]:
    return (
        QueueTicket.objects.filter(counter=counter, status=TicketStatus.PARKED)
        .select_related("service__current_version")
        .order_by("queued_at")
    )


def waiting_counts(office: Office, day: dt.date) -> list[ServiceGroup]:
    """Active groups of ``office`` annotated with ``waiting`` (tickets in line)."""
    return list(
        ServiceGroup.objects.filter(office=office, is_active=True)
        .annotate(
            waiting=Count(
                "tickets",
                filter=Q(tickets__status=TicketStatus.WAITING, tickets__local_date=day),
            )
        )
        .order_by("sort_order", "prefix")
    )


@dataclass(frozen=True)
class BoardCall:
    """One line of the display board: a counter and the ticket it calls (or
    ``None``). ``key`` changes at every call and recall (the board announces a
    new key); ``speech`` is the Indonesian sentence to speak."""

    counter: Counter
    ticket: QueueTicket | None

    @property
    def key(self) -> str:
        if self.ticket is None:
            return ""
        return f"{self.ticket.pk}-{self.ticket.recall_count}-{self.ticket.counter_id}"

    @property
    def speech(self) -> str:
        if self.ticket is None:
            return ""
        return spoken_call(self.ticket.number, self.counter.name, self.counter.number)


def board_calls(office: Office) -> list[BoardCall]:
    """The current call of each active counter of ``office`` (two queries)."""
    counters = list(
        Counter.objects.filter(office=office, is_active=True)
        .select_related("agency")
        .order_by("number")
    )
    current = {
        t.counter_id: t
        for t in QueueTicket.objects.filter(
            office=office, status__in=CURRENT_STATUSES
        ).order_by("called_at")
    }
    return [BoardCall(counter, current.get(counter.pk)) for counter in counters]


def recent_calls(office: Office, day: dt.date, limit: int = 6) -> list[QueueTicket]:
    """The last ``limit`` tickets called today at ``office``, newest first."""
    return list(
        QueueTicket.objects.filter(
            office=office, local_date=day, called_at__isnull=False
        )
        .select_related("counter")
        .order_by("-called_at")[:limit]
    )


def booking_slots(group: ServiceGroup, day: dt.date) -> list[Slot]:
    """Booking slots of ``group`` on local ``day`` with their bookings counted;
    past slots are left out. Five queries."""
    if group.booking_capacity == 0:
        return []
    schedule = office_schedule(group.office, day)
    slots = day_slots(
        schedule,
        day,
        minutes=group.booking_slot_minutes,
        capacity=group.booking_capacity,
    )
    taken = dict(
        Booking.objects.filter(
            group=group, local_date=day, status__in=ACTIVE_BOOKING_STATUSES
        )
        .values_list("slot_starts_at")
        .annotate(n=Count("pk"))
    )
    now = timezone.now()
    return [
        Slot(s.starts_at, s.ends_at, s.capacity, taken.get(s.starts_at, 0))
        for s in slots
        if s.starts_at > now
    ]


def bookings_of(user) -> QuerySet[Booking]:
    """``user``'s own bookings, newest slot first."""
    return (
        Booking.objects.filter(citizen=user)
        .select_related("office", "service__current_version", "ticket", "group")
        .order_by("-slot_starts_at")
    )


def office_today(office: Office) -> dt.date:
    return local_date(office, timezone.now())
