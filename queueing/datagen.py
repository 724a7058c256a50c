"""``generate_data --tickets N``: N walk-in queue tickets over the time range
(``ptsp.datagen``), already served or closed.

Distributions and their sources:

- **Offices**: the catalogue loader's offices with a service-hours calendar
  (the MPP and the kecamatan service points), the demo office left out. An
  office without service groups gets them first (audited, as an operator
  would): the MPP the groups of ``seed_queue_demo`` (A permits and others, B
  Dukcapil, C BPJS) with its six counters, a kecamatan or kelurahan point one
  group ``A`` of the Dukcapil services (assumption: walk-ins there are civil
  registration, PATEN) with two counters. The MPP takes 3 tickets in 5, the
  service points share the rest equally (assumption).
- **Days and hours**: the office's own service-hours calendar
  (``agencies.calendars``: weekly hours, overrides, holidays), so tickets fall
  only on open days inside opening hours. Tickets per day follow the weekday
  (Monday 1.25 … Friday 0.8 of a Wednesday, assumption), spread over the
  day's hours with a morning peak (triangular, mode a quarter into the day).
- **Service**: within the office by catalogue volume (``context.weights``),
  the group being the one holding the service.
- **Outcome**: 86 in 100 done, 6 missed (called, no show), 4 cancelled, 4
  expired at closing (assumption). Wait until the first call log-normal,
  median 15 minutes; service time the group's ``average_service_minutes``
  times a log-normal factor (median 1); the serving counter one of the
  group's. 85 in 100 from the kiosk (which asks the NIK: ``nik_hash`` set),
  the rest at reception, a third of those with a priority group.

Numbers are per office, prefix and WIB day in issue order (``A001``…),
continuing after what ``DailySequence`` already holds for that day; the
sequences are written back, so live issuing on a generated day continues
after them.
"""

import datetime as dt
import time
import uuid
from collections import defaultdict

from django.db import connections, transaction

from tqdm import tqdm

from agencies.calendars import calendar_schedule
from agencies.choices import OfficeKind
from agencies.models import Office, Service
from audit.context import audit_actor
from ptsp.datagen import GenerationContext, register
from ptsp.datagen.loading import BulkLoader
from ptsp.datagen.people import NikMaker, birth_date

from .choices import TicketChannel, TicketStatus
from .models import Counter, DailySequence, PriorityGroup, QueueTicket, ServiceGroup
from .nik import nik_hash

WIB = dt.timezone(dt.timedelta(hours=7))
MPP_SHARE = 0.6
WEEKDAY_FACTOR = {0: 1.25, 1: 1.1, 2: 1.0, 3: 0.95, 4: 0.8, 5: 0.5, 6: 0.3}
OUTCOMES = [
    (TicketStatus.DONE, 0.86),
    (TicketStatus.MISSED, 0.06),
    (TicketStatus.CANCELLED, 0.04),
    (TicketStatus.EXPIRED, 0.04),
]
MPP_GROUPS = [
    ("A", "Perizinan dan layanan lain", "Permits and other services", None),
    ("B", "Kependudukan (Dukcapil)", "Civil registration (Dukcapil)", ["DUKCAPIL"]),
    ("C", "BPJS", "BPJS", ["BPJSKES", "BPJSTK"]),
]
MPP_COUNTERS = [(1, "A"), (2, "A"), (3, "A"), (4, "B"), (5, "B"), (6, "C")]
TICKET_COLUMNS = (
    "uuid", "office_id", "group_id", "service_id", "priority_id", "prefix",
    "sequence", "number", "local_date", "channel", "status", "nik_hash",
    "citizen_id", "application_reference", "counter_id", "target_counter_id",
    "issued_at", "queued_at", "window_starts_at", "window_ends_at",
    "first_called_at", "called_at", "started_at", "finished_at", "recall_count",
    "transfer_count", "wait_seconds", "service_seconds", "turn_near_notified_at",
)  # fmt: skip


def _ensure_groups(office: Office, using: str) -> None:
    """Give ``office`` service groups and counters when it has none."""
    if ServiceGroup.objects.using(using).filter(office=office).exists():
        return
    published = Service.objects.using(using).filter(is_published=True)
    if office.kind == OfficeKind.MPP:
        specs, counters = MPP_GROUPS, MPP_COUNTERS
    else:
        specs = [("A", "Layanan kependudukan", "Civil registration", ["DUKCAPIL"])]
        counters = [(1, "A"), (2, "A")]
    groups = {}
    claimed: set[int] = set()
    for prefix, name, name_en, agencies in reversed(specs):
        group = ServiceGroup.objects.using(using).create(
            office=office, prefix=prefix, name=name, name_en=name_en,
            sort_order=ord(prefix),
        )  # fmt: skip
        services = published.exclude(pk__in=claimed)
        if agencies:
            services = services.filter(agency__code__in=agencies)
        group.services.set(services)
        claimed |= set(services.values_list("pk", flat=True))
        groups[prefix] = group
    for number, prefix in counters:
        counter, _ = Counter.objects.using(using).get_or_create(
            office=office, number=number
        )
        counter.service_groups.set([groups[prefix]])


class _Office:
    """What drawing a ticket at one office needs."""

    def __init__(self, office: Office, context: GenerationContext) -> None:
        self.id = office.pk
        weights = dict(
            zip(
                (s.pk for s in context.weights.services),
                context.weights.weights,
                strict=True,
            )
        )
        self.choices: list[
            tuple[int, int, str, int]
        ] = []  # group, service, prefix, minutes
        self.weights: list[float] = []
        self.counters: dict[int, list[int]] = defaultdict(list)
        groups = ServiceGroup.objects.using(context.using).filter(
            office=office, is_active=True
        )
        for group in groups.prefetch_related("services", "counters"):
            for service in group.services.all():
                if service.pk in weights:
                    self.choices.append(
                        (
                            group.pk,
                            service.pk,
                            group.prefix,
                            group.average_service_minutes,
                        )
                    )
                    self.weights.append(weights[service.pk])
            self.counters[group.pk] = sorted(
                c.pk for c in group.counters.all() if c.is_active
            )
        calendar = office.service_calendar
        first = context.since.astimezone(WIB).date()
        last = (context.until - dt.timedelta(microseconds=1)).astimezone(WIB).date()
        self.open: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(
            list
        )
        for start, end in calendar_schedule(calendar, first, last).intervals():
            if context.since <= start and end <= context.until:
                self.open[start.astimezone(WIB).date()].append((start, end))


def _offices(context: GenerationContext) -> list[tuple[_Office, float]]:
    using = context.using
    offices = list(
        Office.objects.using(using)
        .filter(is_active=True, service_calendar__isnull=False)
        .exclude(code="demo-24jam")
        .select_related("service_calendar")
        .order_by("code")
    )
    if not offices:
        raise LookupError("No office with service hours: run `load_catalogue` first.")
    with audit_actor(system="system:generate_data"), transaction.atomic(using=using):
        for office in offices:
            _ensure_groups(office, using)
    mpp = [o for o in offices if o.kind == OfficeKind.MPP]
    points = [o for o in offices if o.kind != OfficeKind.MPP]
    out = []
    for office in offices:
        if office.kind == OfficeKind.MPP:
            share = (MPP_SHARE if points else 1.0) / len(mpp)
        else:
            share = (1 - MPP_SHARE if mpp else 1.0) / len(points)
        prepared = _Office(office, context)
        if prepared.choices and prepared.open:
            out.append((prepared, share))
    if not out:
        raise LookupError("No office has services in its queue groups.")
    return out


def _per_day(days: list[dt.date], count: int) -> list[int]:
    """``count`` split over ``days`` by ``WEEKDAY_FACTOR`` (exact total)."""
    weights = [WEEKDAY_FACTOR[d.weekday()] for d in days]
    total = sum(weights)
    out, running, given = [], 0.0, 0
    for weight in weights:
        running += weight
        upto = round(count * running / total)
        out.append(upto - given)
        given = upto
    return out


def _pick(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


@register("tickets", help="Walk-in queue tickets at the MPP and service points.")
def generate_tickets(context: GenerationContext, count: int) -> str:
    """Write ``count`` queue tickets and the day sequences (see the module)."""
    started = time.perf_counter()
    using = context.using
    rng = context.rng_for("tickets")
    offices = _offices(context)
    days = sorted({day for office, _ in offices for day in office.open})
    priorities = list(
        PriorityGroup.objects.using(using)
        .filter(is_active=True)
        .order_by("sort_order", "code")
        .values_list("pk", flat=True)
    )
    niks = NikMaker(using)
    niks.taken = set()  # ticket NIKs need not be unique (closed tickets only)
    first, last = (days[0], days[-1]) if days else (None, None)
    sequences: dict[tuple[int, str, dt.date], int] = {}
    if days:
        sequences = {
            (o, p, d): n
            for o, p, d, n in DailySequence.objects.using(using)
            .filter(local_date__range=(first, last))
            .values_list("office_id", "prefix", "local_date", "last_number")
        }
    statuses = [s for s, _ in OUTCOMES]
    shares = [p for _, p in OUTCOMES]
    tally: dict[str, int] = defaultdict(int)
    bar = tqdm(
        total=count, desc="tickets", unit=" tickets", disable=not context.progress
    )
    with BulkLoader(
        QueueTicket._meta.db_table, TICKET_COLUMNS, using=using, on_batch=bar.update
    ) as loader:
        for day, n in zip(days, _per_day(days, count), strict=True):
            here = [(o, w) for o, w in offices if day in o.open]
            tickets = []
            for _ in range(n):
                office = _pick(rng, [o for o, _ in here], [w for _, w in here])
                group, service, prefix, minutes = _pick(
                    rng, office.choices, office.weights
                )
                start, end = rng.choice(office.open[day])
                at = start + (end - start) * rng.triangular(0, 1, 0.25)
                tickets.append((office, at, group, service, prefix, minutes, end))
            tickets.sort(key=lambda t: (t[0].id, t[1]))
            for office, at, group, service, prefix, minutes, closes in tickets:
                key = (office.id, prefix, day)
                sequences[key] = sequences.get(key, 0) + 1
                status = _pick(rng, statuses, shares)
                tally[status] += 1
                loader.add(
                    _ticket(
                        rng,
                        niks,
                        priorities,
                        office,
                        day,
                        at,
                        group,
                        service,
                        prefix,
                        minutes,
                        closes,
                        sequences[key],
                        status,
                    )
                )
    bar.close()
    _write_sequences(using, sequences, first, last)
    seconds = time.perf_counter() - started
    mix = ", ".join(f"{tally[k]:,} {k}" for k in sorted(tally))
    return (
        f"{count:,} tickets ({mix}) at {len(offices)} offices over {len(days)} "
        f"open days in {seconds:.0f} s"
    )


def _ticket(
    rng, niks, priorities, office, day, at, group, service, prefix, minutes,
    closes, sequence, status,
) -> tuple:  # fmt: skip
    kiosk = rng.random() < 0.85
    priority = None
    if not kiosk and priorities and rng.random() < 1 / 3:
        priority = rng.choice(priorities)
    nik = ""
    if kiosk or rng.random() < 0.5:
        nik = nik_hash(niks.make(rng, born=birth_date(rng, at)))
    first_called = called = started = finished = None
    wait = service_seconds = counter = None
    recalls = 0
    if status in (TicketStatus.DONE, TicketStatus.MISSED):
        wait = int(min(rng.lognormvariate(6.8, 0.7), (closes - at).total_seconds()))
        first_called = called = at + dt.timedelta(seconds=wait)
        counters = office.counters.get(group)
        counter = rng.choice(counters) if counters else None
        if status == TicketStatus.DONE:
            recalls = 1 if rng.random() < 0.1 else 0
            called = first_called + dt.timedelta(seconds=60 * recalls)
            started = called + dt.timedelta(seconds=rng.uniform(15, 120))
            service_seconds = max(30, int(minutes * 60 * rng.lognormvariate(0, 0.5)))
            finished = started + dt.timedelta(seconds=service_seconds)
        else:
            recalls = rng.randrange(1, 3)
            called = first_called + dt.timedelta(seconds=90 * recalls)
            finished = called + dt.timedelta(seconds=90)
    elif status == TicketStatus.CANCELLED:
        finished = at + dt.timedelta(seconds=rng.uniform(60, 1800))
    else:  # expired at closing, never called
        finished = closes
    return (
        uuid.UUID(int=rng.getrandbits(128), version=4),
        office.id,
        group,
        service,
        priority,
        prefix,
        sequence,
        f"{prefix}{sequence:03d}",
        day,
        TicketChannel.KIOSK if kiosk else TicketChannel.RECEPTION,
        status,
        nik,
        None,
        "",
        counter,
        None,
        at,
        at,
        None,
        None,
        first_called,
        called,
        started,
        finished,
        recalls,
        0,
        wait,
        service_seconds,
        None,
    )


def _write_sequences(using, sequences, first, last) -> None:
    """Replace the range's day sequences with the merged numbers."""
    if not sequences:
        return
    table = DailySequence._meta.db_table
    with transaction.atomic(using=using):
        DailySequence.objects.using(using).filter(
            local_date__range=(first, last)
        ).delete()
        with BulkLoader(
            table, ("office_id", "prefix", "local_date", "last_number"), using=using
        ) as loader:
            for (office, prefix, day), number in sorted(sequences.items()):
                loader.add((office, prefix, day, number))
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{QueueTicket._meta.db_table}"')
