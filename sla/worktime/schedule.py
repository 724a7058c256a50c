"""Weekly schedules and dated overrides as plain data, and their normal form.

A schedule's normal form is a 7-tuple (Monday first) of *spans*: sorted, disjoint
``(opening, closing)`` pairs in microseconds from WIB midnight, so equal schedules
compare and hash equal however they were written.
"""

from collections.abc import Iterable, Mapping
from datetime import date, time
from types import MappingProxyType
from typing import NamedTuple

from .instants import DAY

type Interval = tuple[time, time]
"""``(opening, closing)`` in WIB local time; ``time(0)`` as closing means 24:00."""
type WeeklySchedule = Mapping[int, Iterable[Interval]]
"""Weekday (0 = Monday ... 6 = Sunday) to its working intervals; absent = closed."""
type Spans = tuple[tuple[int, int], ...]

DEFAULT_WEEKLY: WeeklySchedule = MappingProxyType(
    {weekday: ((time(8), time(15)),) for weekday in range(5)}
)
"""The city-wide working-time calendar: Monday to Friday, 08:00-15:00 WIB."""


class ScheduleOverride(NamedTuple):
    """Dated replacement of the weekly schedule (e.g. Ramadan hours 08:00-14:00).

    On every WIB date from ``first_day`` to ``last_day`` (both included) ``weekly``
    replaces the calendar's weekly schedule; a weekday it does not name is closed,
    and ``weekly=None`` closes the whole range. Closed dates still close a date
    inside an override.
    """

    first_day: date
    last_day: date
    weekly: WeeklySchedule | None = None


def normalize_weekly(weekly: WeeklySchedule) -> tuple[Spans, ...]:
    """Normal form of a weekly schedule.

    Raises ``ValueError`` for a weekday outside 0-6 or a bad interval (see
    :func:`normalize_intervals`).
    """
    days: list[Spans] = [()] * 7
    for weekday, intervals in weekly.items():
        if weekday.__class__ is not int or weekday not in range(7):
            raise ValueError(f"Weekday must be 0 (Monday) to 6, got {weekday!r}.")
        days[weekday] = normalize_intervals(intervals)
    return tuple(days)


def normalize_intervals(intervals: Iterable[Interval]) -> Spans:
    """Sorted spans, overlapping or touching intervals merged into one.

    Raises ``ValueError`` for an aware or non-``time`` value, or an interval that
    does not open before it closes (``time(0)`` closes at 24:00).
    """
    spans = []
    for opens, closes in intervals:
        o, c = time_us(opens), time_us(closes) or DAY
        if c <= o:
            raise ValueError(f"Interval must open before it closes: {opens}-{closes}.")
        spans.append((o, c))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for o, c in spans:
        if merged and o <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(c, merged[-1][1]))
        else:
            merged.append((o, c))
    return tuple(merged)


def denormalize_weekly(spans: tuple[Spans, ...]) -> dict[int, list[Interval]]:
    """The plain-data schedule of a normal form (inverse of ``normalize_weekly``)."""
    return {
        weekday: [(us_time(o), us_time(c)) for o, c in day]
        for weekday, day in enumerate(spans)
        if day
    }


def time_us(value: time) -> int:
    """Microseconds from midnight of a naive WIB ``time``."""
    if not isinstance(value, time) or value.tzinfo is not None:
        raise ValueError(f"Expected a naive time in WIB, got {value!r}.")
    seconds = (value.hour * 60 + value.minute) * 60 + value.second
    return seconds * 1_000_000 + value.microsecond


def us_time(us: int) -> time:
    """The ``time`` of microseconds from midnight; 24:00 is ``time(0)``."""
    if us == DAY:
        return time(0)
    seconds, micro = divmod(us, 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)
