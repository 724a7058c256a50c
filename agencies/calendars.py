"""Read helpers over calendars: when is a calendar open, as aware UTC intervals.

For other apps (the SLA engine of issue 9, queueing). Nothing here counts working
time towards a deadline; it only says which instants are open.

- :func:`calendar_schedule` loads a calendar, its weekly intervals, the overrides
  and the holidays of a date range in four queries and returns a frozen
  :class:`CalendarSchedule`; its methods are pure and can be called many times.
- :func:`calendar_intervals` and :func:`calendar_is_open` are one-shot shortcuts.

Rules (see the models): a holiday whose flag matches the calendar's kind
(``closes_working_time`` for ``working_time``, ``closes_service_hours`` for
``service_hours``) closes the whole local day; otherwise the override that starts
last among those covering the date applies (closed all day, or its intervals
replace the weekly ones on the weekdays it lists); otherwise the weekly intervals.
All wall-clock times are in the calendar's ``timezone`` (WIB); results are UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q

from .choices import CalendarKind
from .models import Calendar, CalendarOverride, Holiday

UTC = dt.UTC

Span = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class _Override:
    date_from: dt.date
    date_to: dt.date
    is_closed: bool
    by_weekday: dict[int, tuple[Span, ...]]
    sort_key: tuple[dt.date, int]


@dataclass(frozen=True)
class CalendarSchedule:
    """A calendar's rules for ``date_from``..``date_to`` (local dates, inclusive).

    ``closed_dates`` maps each closing holiday to its name.
    """

    calendar_code: str
    timezone: str
    date_from: dt.date
    date_to: dt.date
    weekly: dict[int, tuple[Span, ...]]
    overrides: tuple[_Override, ...] = ()
    closed_dates: dict[dt.date, str] = field(default_factory=dict)

    def local_spans(self, day: dt.date) -> tuple[Span, ...]:
        """Opening spans of local ``day`` as wall-clock ``(opens, closes)`` pairs.

        Raises ``ValueError`` for a day outside the loaded range.
        """
        if not self.date_from <= day <= self.date_to:
            raise ValueError(f"{day} is outside the loaded range.")
        if day in self.closed_dates:
            return ()
        covering = [o for o in self.overrides if o.date_from <= day <= o.date_to]
        if covering:
            override = max(covering, key=lambda o: o.sort_key)
            if override.is_closed:
                return ()
            if day.weekday() in override.by_weekday:
                return override.by_weekday[day.weekday()]
        return self.weekly.get(day.weekday(), ())

    def intervals(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Open intervals as aware UTC ``(start, end)`` pairs, sorted, for the local
        dates ``date_from``..``date_to`` (default: the loaded range)."""
        tz = ZoneInfo(self.timezone)
        day = date_from or self.date_from
        last = date_to or self.date_to
        out: list[tuple[dt.datetime, dt.datetime]] = []
        while day <= last:
            for opens, closes in self.local_spans(day):
                start = dt.datetime.combine(day, opens, tzinfo=tz).astimezone(UTC)
                end = dt.datetime.combine(day, closes, tzinfo=tz).astimezone(UTC)
                out.append((start, end))
            day += dt.timedelta(days=1)
        return out

    def is_open(self, at: dt.datetime) -> bool:
        """Whether the aware instant ``at`` falls in an open interval (start
        inclusive, end exclusive). Raises ``ValueError`` for a naive ``at``."""
        if at.tzinfo is None:
            raise ValueError("`at` must be timezone-aware.")
        local = at.astimezone(ZoneInfo(self.timezone))
        return any(
            opens <= local.time() < closes
            for opens, closes in self.local_spans(local.date())
        )


def calendar_schedule(
    calendar: Calendar, date_from: dt.date, date_to: dt.date
) -> CalendarSchedule:
    """Load ``calendar``'s rules for local dates ``date_from``..``date_to``
    (inclusive). Four queries. Raises ``ValueError`` when the range is reversed."""
    if date_to < date_from:
        raise ValueError("date_to is before date_from.")
    weekly: dict[int, list[Span]] = {}
    for row in calendar.weekly_intervals.order_by("weekday", "opens_at").values_list(
        "weekday", "opens_at", "closes_at"
    ):
        weekly.setdefault(row[0], []).append((row[1], row[2]))
    overrides = []
    for override in (
        CalendarOverride.objects.filter(
            calendars=calendar, date_from__lte=date_to, date_to__gte=date_from
        )
        .prefetch_related("intervals")
        .order_by("date_from", "pk")
    ):
        by_weekday: dict[int, list[Span]] = {}
        for interval in sorted(
            override.intervals.all(), key=lambda i: (i.weekday, i.opens_at)
        ):
            by_weekday.setdefault(interval.weekday, []).append(
                (interval.opens_at, interval.closes_at)
            )
        overrides.append(
            _Override(
                override.date_from,
                override.date_to,
                override.is_closed,
                {k: tuple(v) for k, v in by_weekday.items()},
                (override.date_from, override.pk),
            )
        )
    closing = (
        Q(closes_working_time=True)
        if calendar.kind == CalendarKind.WORKING_TIME
        else Q(closes_service_hours=True)
    )
    closed: dict[dt.date, str] = {}
    for day, name in (
        Holiday.objects.filter(closing, date__gte=date_from, date__lte=date_to)
        .order_by("date", "category")
        .values_list("date", "name")
    ):
        closed[day] = f"{closed[day]}; {name}" if day in closed else name
    return CalendarSchedule(
        calendar_code=calendar.code,
        timezone=calendar.timezone,
        date_from=date_from,
        date_to=date_to,
        weekly={k: tuple(v) for k, v in weekly.items()},
        overrides=tuple(overrides),
        closed_dates=closed,
    )


def calendar_intervals(
    calendar: Calendar, date_from: dt.date, date_to: dt.date
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Open intervals of ``calendar`` on local dates ``date_from``..``date_to``
    (inclusive) as sorted aware UTC ``(start, end)`` pairs, e.g. for
    ``kerja-kota`` on a Monday: ``[(01:00Z, 08:00Z)]`` (08:00-15:00 WIB)."""
    return calendar_schedule(calendar, date_from, date_to).intervals()


def calendar_is_open(calendar: Calendar, at: dt.datetime) -> bool:
    """Whether ``calendar`` is open at the aware instant ``at``."""
    local_day = at.astimezone(ZoneInfo(calendar.timezone)).date()
    return calendar_schedule(calendar, local_day, local_day).is_open(at)
