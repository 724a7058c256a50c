"""Queue statistics for the office head: per office, counter, service and WIB day,
waiting time (issue or booking window to first call), service time (serving
periods) and missed tickets; busiest hours of the week. Charts are drawn on the
server as SVG (geometry here, markup in ``templates/queueing/_chart_*.html``).

All durations are calendar minutes. Averages leave out tickets without a value
(never called, or closed by the end-of-day sweep while in service).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.formats import number_format

from agencies.models import Office

from .choices import TicketStatus
from .models import QueueTicket

WEEKDAYS = range(7)


@dataclass(frozen=True)
class Row:
    """One line of a statistics table."""

    label: str
    issued: int
    served: int
    missed: int
    wait_minutes: float | None
    service_minutes: float | None


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _aggregate() -> dict:
    return {
        "issued": Count("pk"),
        "served": Count("pk", filter=Q(status=TicketStatus.DONE)),
        "missed": Count("pk", filter=Q(status=TicketStatus.MISSED)),
        "wait": Avg("wait_seconds"),
        "service": Avg("service_seconds"),
    }


def _row(label: str, values: dict) -> Row:
    return Row(
        label,
        values["issued"],
        values["served"],
        values["missed"],
        _minutes(values["wait"]),
        _minutes(values["service"]),
    )


@dataclass
class OfficeStatistics:
    office: Office
    date_from: dt.date
    date_to: dt.date
    total: Row
    by_day: list[Row]
    by_service: list[Row]
    by_counter: list[Row]
    hours: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def hour_range(self) -> list[int]:
        """Hours (WIB) shown on the heat map: those with tickets, 07-16 at least."""
        used = {h for (_, h) in self.hours}
        return list(range(min(used | {7}), max(used | {16}) + 1))


def office_tickets(office: Office, date_from: dt.date, date_to: dt.date) -> QuerySet:
    return QueueTicket.objects.filter(
        office=office, local_date__gte=date_from, local_date__lte=date_to
    )


def office_statistics(
    office: Office, date_from: dt.date, date_to: dt.date
) -> OfficeStatistics:
    """Statistics of ``office`` for WIB dates ``date_from``..``date_to`` (five
    queries)."""
    tickets = office_tickets(office, date_from, date_to)
    total = _row("", tickets.aggregate(**_aggregate()))
    by_day = [
        _row(values["local_date"].isoformat(), values)
        for values in tickets.values("local_date")
        .annotate(**_aggregate())
        .order_by("local_date")
    ]
    by_service = [
        _row(values["service__current_version__name"] or "", values)
        for values in tickets.values("service__current_version__name")
        .annotate(**_aggregate())
        .order_by("-issued", "service__current_version__name")
    ]
    by_counter = [
        _row(values["counter__name"] or f"Loket {values['counter__number']}", values)
        for values in tickets.filter(counter__isnull=False)
        .values("counter__number", "counter__name")
        .annotate(**_aggregate())
        .order_by("counter__number")
    ]
    tz = ZoneInfo(office.service_calendar.timezone)
    hours: dict[tuple[int, int], int] = {}
    for issued_at in tickets.values_list("issued_at", flat=True):
        local = issued_at.astimezone(tz)
        key = (local.weekday(), local.hour)
        hours[key] = hours.get(key, 0) + 1
    return OfficeStatistics(
        office, date_from, date_to, total, by_day, by_service, by_counter, hours
    )


# --- SVG geometry -----------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart in a ``width`` x ``height`` viewBox: labels on the
    left (``label_width``), bars scaled to the largest value."""

    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(
    items: list[tuple[str, float | None]], *, unit: str = "", width: int = 640
) -> BarChart:
    """Bars for ``(label, value)`` pairs; ``None`` values are left out."""
    label_width, bar_height, gap = 220, 22, 10
    values = [(label, value) for label, value in items if value is not None]
    top = max((value for _, value in values), default=0) or 1
    room = width - label_width - 70
    bars = [
        Bar(
            label=label if len(label) <= 32 else label[:31] + "…",
            value=value,
            text=f"{_number(value)} {unit}".strip(),
            y=10 + i * (bar_height + gap),
            width=max(1.0, room * value / top),
        )
        for i, (label, value) in enumerate(values)
    ]
    height = 20 + len(bars) * (bar_height + gap)
    return BarChart(bars, width, height, label_width, bar_height)


def _number(value: float) -> str:
    """``value`` in the active language's notation, as in the tables (Indonesian
    ``0,3``, English ``0.3``); whole numbers without decimals."""
    return number_format(Decimal(f"{value:g}"))


@dataclass(frozen=True)
class HeatCell:
    x: int
    y: int
    count: int
    level: int  # 0..4, for the fill class


@dataclass(frozen=True)
class HeatMap:
    """Weekday rows x hour columns of ticket counts."""

    cells: list[HeatCell]
    hours: list[tuple[int, int]]  # (hour, x)
    days: list[tuple[int, int]]  # (weekday, y)
    width: int
    height: int
    cell: int


def heat_map(stats: OfficeStatistics) -> HeatMap:
    cell, left, top = 40, 70, 26
    hours = stats.hour_range
    peak = max(stats.hours.values(), default=0) or 1
    cells = []
    for row, day in enumerate(WEEKDAYS):
        for col, hour in enumerate(hours):
            count = stats.hours.get((day, hour), 0)
            level = 0 if count == 0 else 1 + min(3, int(3 * count / peak))
            cells.append(HeatCell(left + col * cell, top + row * cell, count, level))
    return HeatMap(
        cells,
        [(hour, left + col * cell + cell // 2) for col, hour in enumerate(hours)],
        [(day, top + row * cell + cell // 2) for row, day in enumerate(WEEKDAYS)],
        left + len(hours) * cell + 4,
        top + 7 * cell + 4,
        cell,
    )
