"""``WorkingCalendar``: working time, deadlines and pauses on one calendar.

The rules are in the package docstring (``sla.worktime``). Everything here computes
on *local microseconds* (see ``instants``) and converts at the edges.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from .instants import (
    DAY,
    FIRST_DAY,
    HOUR,
    LAST_DAY,
    day_date,
    day_number,
    duration,
    hours_us,
    local_us,
    micros,
    utc,
    whole_days,
    year_start,
)
from .schedule import (
    DEFAULT_WEEKLY,
    ScheduleOverride,
    Spans,
    WeeklySchedule,
    denormalize_weekly,
    normalize_weekly,
)

_FAR = 10 * 366  # days; see WorkingCalendar._covering

type Hours = int | float | Decimal | timedelta
"""A working-hours amount: a number of hours, or a ``timedelta`` of working time."""
type Pause = tuple[datetime, datetime | None]
"""``(paused_at, resumed_at)``; ``resumed_at`` is ``None`` while still paused."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """Outcome of :meth:`WorkingCalendar.deadline`.

    ``due_at`` (aware UTC) is ``None`` only while the clock is paused with working
    time left. ``budget`` is the working time the SLA grants (for a day SLA, the
    working time from the clock start to the day-based deadline). ``remaining`` is
    the working time that was left when the clock last resumed (or started), or,
    while paused, when it stopped; zero or negative when the deadline passed before
    a pause, and ``due_at`` is then where it passed. ``provisional``: see
    :meth:`WorkingCalendar.is_provisional`.
    """

    due_at: datetime | None
    budget: timedelta
    remaining: timedelta
    provisional: bool

    @property
    def paused(self) -> bool:
        return self.due_at is None


class _Table:
    """Days ``first`` to ``stop - 1``: their spans, the working time before each
    (``cum``), the working days in order, and how many working days there are up to
    and including each day (``rank``).

    Never mutated once built: a calendar swaps in a larger table, so readers need
    no lock.
    """

    __slots__ = ("cum", "first", "rank", "spans", "stop", "working_days")

    def __init__(self, first: int, spans: list[Spans]) -> None:
        self.first = first
        self.stop = first + len(spans)
        self.spans = spans
        self.cum = cum = [0] * (len(spans) + 1)
        self.rank = rank = [0] * len(spans)
        self.working_days = working_days = []
        total = 0
        for index, day_spans in enumerate(spans):
            if day_spans:
                working_days.append(first + index)
                for opens, closes in day_spans:
                    total += closes - opens
            cum[index + 1] = total
            rank[index] = len(working_days)


class WorkingCalendar:
    """Working time of one calendar (*kalender kerja*) or of an office's service
    hours (*jam layanan*), in WIB. Immutable and hashable: build it once per
    calendar version, cache it, and share it across every computation.

    ``weekly`` maps weekday (0 = Monday) to ``(opening, closing)`` intervals in WIB
    (:data:`DEFAULT_WEEKLY`, Monday to Friday 08:00-15:00, is the city default).
    ``overrides`` are :class:`ScheduleOverride` (or plain 3-tuples); where they
    overlap, the one listed last wins, so list agency overrides after city-wide
    ones. ``closed_dates`` are the WIB dates without working time (national
    holidays, and *cuti bersama* where the agency observes it);
    ``provisional_dates`` is the subset that is only estimated. ``confirmed_through``
    is the last year whose holidays are confirmed; deadlines after it are
    provisional.

    Raises ``ValueError`` on malformed data: a weekday outside 0-6, an interval that
    does not open before it closes, an aware ``time``, a ``datetime`` where a date
    belongs, an override ending before it starts, or a provisional date that is not
    closed.
    """

    __slots__ = (
        "_closed",
        "_estimated_from",
        "_key",
        "_last_special",
        "_lock",
        "_overrides",
        "_provisional",
        "_table",
        "_weekly",
        "_work_ends",
    )

    def __init__(
        self,
        weekly: WeeklySchedule = DEFAULT_WEEKLY,
        *,
        overrides: Iterable[ScheduleOverride | tuple[Any, ...]] = (),
        closed_dates: Iterable[date] = (),
        provisional_dates: Iterable[date] = (),
        confirmed_through: int | None = None,
    ) -> None:
        weekly_spans = normalize_weekly(weekly)
        override_spans = []
        for override in overrides:
            first_day, last_day, override_weekly = ScheduleOverride(*override)
            first, last = day_number(first_day), day_number(last_day)
            if last < first:
                raise ValueError(f"Override ends before it starts: {override!r}.")
            spans = None
            if override_weekly is not None:
                spans = normalize_weekly(override_weekly)
            override_spans.append((first, last, spans))
        closed = frozenset(day_number(day) for day in closed_dates)
        provisional = frozenset(day_number(day) for day in provisional_dates)
        if not provisional <= closed:
            raise ValueError("Every provisional date must also be a closed date.")
        if confirmed_through is not None and confirmed_through.__class__ is not int:
            raise ValueError("confirmed_through is a year, e.g. 2026.")
        # With an empty weekly schedule no working time follows the last override:
        # a search for a deadline stops there instead of running to year 9999.
        last_override = max(
            (last for _, last, _ in override_spans), default=FIRST_DAY - 1
        )
        values = {
            "_weekly": weekly_spans,
            "_overrides": tuple(override_spans),
            "_closed": closed,
            "_provisional": tuple(sorted(provisional)),
            # First day whose holidays are only estimated (after the confirmed year).
            "_estimated_from": (
                None if confirmed_through is None else year_start(confirmed_through + 1)
            ),
            "_key": (
                weekly_spans,
                tuple(override_spans),
                closed,
                provisional,
                confirmed_through,
            ),
            "_work_ends": None if any(weekly_spans) else last_override,
            "_last_special": max(last_override, max(closed, default=FIRST_DAY)),
            "_lock": threading.Lock(),
            "_table": None,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_service_hours(
        cls, rows: Iterable[tuple[Iterable[int], time, time]], **kwargs: Any
    ) -> WorkingCalendar:
        """Calendar of an office's service hours: every day with service hours is a
        working day (e.g. the MPP's Saturday and Sunday 09:00-12:00).

        ``rows`` are ``(weekdays, opening, closing)`` as in the catalogue's
        ``service_hours`` (``([5, 6], time(9), time(12))``); rows for one weekday
        add up. Other keyword arguments as for the constructor.
        """
        weekly: dict[int, list[tuple[time, time]]] = {}
        for weekdays, opens, closes in rows:
            for weekday in weekdays:
                weekly.setdefault(weekday, []).append((opens, closes))
        return cls(weekly, **kwargs)

    # --- value object ------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkingCalendar is immutable.")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_calendar_from_key, (self._key,))

    def __repr__(self) -> str:
        weekdays = [weekday for weekday in range(7) if self._weekly[weekday]]
        return (
            f"<WorkingCalendar weekdays={weekdays} overrides={len(self._overrides)} "
            f"closed_dates={len(self._closed)}>"
        )

    # --- queries -----------------------------------------------------------------

    def is_working(self, t: datetime) -> bool:
        """Whether ``t`` lies in working time (``opening <= t < closing``)."""
        day, offset = divmod(local_us(t), DAY)
        table = self._covering(day, day)
        spans = table.spans[day - table.first]
        return any(opens <= offset < closes for opens, closes in spans)

    def is_working_day(self, day: date) -> bool:
        """Whether the WIB date ``day`` has any working time."""
        number = day_number(day)
        table = self._covering(number, number)
        return bool(table.spans[number - table.first])

    def intervals_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """Working intervals ``(opening, closing)`` of the WIB date ``day``, as
        aware UTC datetimes; empty on a closed day."""
        number = day_number(day)
        table = self._covering(number, number)
        base = number * DAY
        return tuple(
            (utc(base + opens), utc(base + closes))
            for opens, closes in table.spans[number - table.first]
        )

    def next_opening(self, t: datetime) -> datetime:
        """The first opening at or after ``t`` (UTC): the start of working time not
        directly preceded by working time. Inside working time that is a later
        opening, not ``t``."""
        return utc(self._next_opening(local_us(t)))

    def clock_start(self, t: datetime) -> datetime:
        """Where a clock started by an event at ``t`` starts (UTC): ``t`` itself in
        working time, else the next opening."""
        return utc(self._clock_start(local_us(t)))

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Working time in ``[a, b)``. Raises ``ValueError`` when ``b`` is before
        ``a``."""
        start, end = local_us(a), local_us(b)
        if end < start:
            raise ValueError("elapsed(a, b) needs a <= b.")
        return duration(self._elapsed(start, end))

    def remaining(self, at: datetime, due_at: datetime) -> timedelta:
        """Working time left at ``at`` until ``due_at``; after ``due_at``, minus the
        working time since. For any deadline, of either unit, this is the working
        time a pause at ``at`` carries over to its resumption."""
        start, end = local_us(at), local_us(due_at)
        if start <= end:
            return duration(self._elapsed(start, end))
        return -duration(self._elapsed(end, start))

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """Earliest instant (UTC) at which ``amount`` of working time has elapsed
        since ``start``; the clock start when ``amount`` is zero. On resumption
        after a pause, pass the working time the pause carried over.

        Raises ``ValueError`` for a negative or non-``timedelta`` amount.
        """
        if not isinstance(amount, timedelta) or amount < timedelta(0):
            raise ValueError("amount must be a timedelta of working time >= 0.")
        return utc(self._add(local_us(start), micros(amount)))

    def add_working_hours(self, start: datetime, hours: Hours) -> datetime:
        """Deadline (UTC) of an SLA of ``hours`` working hours whose clock is
        started by an event at ``start``: the earliest instant at which that much
        working time has elapsed, possibly exactly a closing time.

        Raises ``ValueError`` for a negative or non-numeric ``hours``.
        """
        if hours.__class__ is int and hours >= 0:  # type: ignore[operator]
            return utc(self._add(local_us(start), hours * HOUR))  # type: ignore[operator]
        return utc(self._add(local_us(start), hours_us(hours)))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Deadline (UTC) of an SLA of ``days`` working days whose clock is started
        by an event at ``start``: the closing time of the ``days``-th working day
        after the WIB date of the clock start (that date not counted).

        Raises ``ValueError`` unless ``days`` is an ``int`` >= 0.
        """
        if days.__class__ is not int or days < 0:
            whole_days(days)
        return utc(self._add_days(local_us(start), days))

    def is_provisional(self, start: datetime, end: datetime) -> bool:
        """Whether a deadline ``end`` computed from ``start`` relies on estimates:
        a provisional closed date between their WIB dates (both included), or a WIB
        date after ``confirmed_through``."""
        return self._provisional_between(local_us(start), local_us(end))

    def deadline(
        self,
        started_at: datetime,
        *,
        days: int | None = None,
        hours: Hours | None = None,
        pauses: Sequence[Pause] = (),
    ) -> Deadline:
        """Deadline of an SLA of ``days`` working days or ``hours`` working hours
        (exactly one) whose clock was started by an event at ``started_at`` and
        paused by ``pauses``: in order, not overlapping, none before
        ``started_at``, only the last open (``resumed_at=None``).

        The budget is the SLA's working time (for days, up to the day-based
        deadline); each pause carries what remained to its resumption. Once the
        budget runs out the deadline stays there, whatever pauses follow. For a
        changed calendar, call this again on the new calendar with the same
        arguments.

        Raises ``ValueError`` on malformed pauses or SLA, or naive datetimes.
        """
        if (days is None) == (hours is None):
            raise ValueError("Give exactly one of days or hours.")
        start = local_us(started_at)
        segments = _running_segments(start, pauses)
        if days is not None:
            budget = self._elapsed(start, self._add_days(start, whole_days(days)))
        else:
            budget = hours_us(hours)
        remaining = budget
        for running_from, paused in segments:
            if paused is None:
                return self._deadline(start, running_from, budget, remaining)
            used = self._elapsed(running_from, paused)
            if used >= remaining:  # ran out before this pause: the deadline stands
                result = self._deadline(start, running_from, budget, remaining)
                return Deadline(
                    result.due_at,
                    result.budget,
                    duration(remaining - used),
                    result.provisional,
                )
            remaining -= used
        # Every stretch ended in a pause and the last pause is still open.
        return Deadline(
            None,
            duration(budget),
            duration(remaining),
            self._provisional_between(start, paused),
        )

    # --- internals: local microseconds (see ``instants``) -------------------------

    def _deadline(
        self, start: int, running_from: int, budget: int, remaining: int
    ) -> Deadline:
        due = self._add(running_from, remaining)
        return Deadline(
            utc(due),
            duration(budget),
            duration(remaining),
            self._provisional_between(start, due),
        )

    def _provisional_between(self, start: int, end: int) -> bool:
        first, last = start // DAY, end // DAY
        if self._estimated_from is not None and last >= self._estimated_from:
            return True
        index = bisect_left(self._provisional, first)
        return index < len(self._provisional) and self._provisional[index] <= last

    def _covering(self, first: int, last: int) -> _Table:
        """A table covering days ``first`` to ``last``, built or grown whole years
        at a time (with a year to spare), under the lock. A range far from the
        current table gets a table of its own rather than one bridging the gap."""
        table = self._table
        if table is not None and table.first <= first and last < table.stop:
            return table
        if first < FIRST_DAY or last > LAST_DAY:
            raise ValueError("Outside the dates Python can represent.")
        with self._lock:
            table = self._table
            if table is not None:
                if table.first <= first and last < table.stop:
                    return table
                if first < table.first - _FAR or last >= table.stop + _FAR:
                    table = None
                else:
                    first, last = min(first, table.first), max(last, table.stop - 1)
            new_first = year_start(day_date(first).year)
            new_stop = year_start(day_date(last).year + 2)
            if table is not None and table.first == new_first:
                spans = table.spans + [
                    self._day_spans(day) for day in range(table.stop, new_stop)
                ]
            else:
                spans = [self._day_spans(day) for day in range(new_first, new_stop)]
            table = _Table(new_first, spans)
            object.__setattr__(self, "_table", table)
            return table

    def _grow(self, table: _Table) -> _Table:
        """The table grown to twice its span into the future. Raises
        ``ValueError`` when no working time can follow."""
        if self._work_ends is not None and table.stop > self._work_ends:
            raise ValueError("The calendar has no working time after this instant.")
        if table.stop > LAST_DAY:
            raise ValueError("Outside the dates Python can represent.")
        span = table.stop - table.first
        return self._covering(table.first, min(table.stop + span, LAST_DAY))

    def _day_spans(self, day: int) -> Spans:
        if day in self._closed:
            return ()
        weekday = (day + 3) % 7  # day 0, 1970-01-01, was a Thursday
        for first, last, weekly in reversed(self._overrides):
            if first <= day <= last:
                return () if weekly is None else weekly[weekday]
        return self._weekly[weekday]

    def _elapsed(self, start: int, end: int) -> int:
        day_a, offset_a = divmod(start, DAY)
        day_b, offset_b = divmod(end, DAY)
        table = self._table
        if table is None or not table.first <= day_a <= day_b < table.stop:
            table = self._covering(day_a, day_b)
        # Working time before each instant: the days before it, plus the part of its
        # own day's spans that lies before it (inline: this is the hot path).
        spans = table.spans
        total = table.cum[day_b - table.first] - table.cum[day_a - table.first]
        for opens, closes in spans[day_b - table.first]:
            if offset_b <= opens:
                break
            total += (closes if offset_b >= closes else offset_b) - opens
        for opens, closes in spans[day_a - table.first]:
            if offset_a <= opens:
                break
            total -= (closes if offset_a >= closes else offset_a) - opens
        return total

    def _clock_start(self, local: int) -> int:
        day, offset = divmod(local, DAY)
        table = self._covering(day, day)
        for opens, closes in table.spans[day - table.first]:
            if opens <= offset < closes:
                return local
        return self._next_opening(local)

    def _next_opening(self, local: int) -> int:
        day, offset = divmod(local, DAY)
        table = self._covering(day - 1, day)
        # Past the last closed or overridden date the weeks repeat: a week without
        # an opening there (round the clock) means there is none at all.
        limit = max(day, self._last_special) + 8
        while day <= limit:
            for opens, _ in table.spans[day - table.first]:
                # 00:00 is no opening when yesterday's work runs to midnight.
                if opens >= offset and not (opens == 0 and _runs_into(table, day)):
                    return day * DAY + opens
            while (index := table.rank[day - table.first]) >= len(table.working_days):
                table = self._grow(table)
            day, offset = table.working_days[index], 0
        raise ValueError("The calendar has no opening after this instant.")

    def _add(self, start: int, amount: int) -> int:
        if amount == 0:
            return self._clock_start(start)
        day, offset = divmod(start, DAY)
        table = self._table
        if table is None or not table.first <= day < table.stop:
            table = self._covering(day, day)
        # Working time (from the table's first day) at which the deadline falls.
        target = table.cum[day - table.first] + amount
        for opens, closes in table.spans[day - table.first]:
            if offset <= opens:
                break
            target += (closes if offset >= closes else offset) - opens
        while target > table.cum[-1]:
            first = table.first
            table = self._grow(table)
            target += table.cum[first - table.first]  # 0 unless it grew backwards
        cum = table.cum
        index = bisect_left(cum, target) - 1
        rest = target - cum[index]
        base = (table.first + index) * DAY
        for opens, closes in table.spans[index]:
            if rest <= closes - opens:
                return base + opens + rest
            rest -= closes - opens
        raise AssertionError("cumulative working time out of step")  # pragma: no cover

    def _add_days(self, start: int, days: int) -> int:
        day, offset = divmod(start, DAY)
        table = self._table
        if table is None or not table.first <= day < table.stop:
            table = self._covering(day, day)
        while True:
            spans = table.spans[day - table.first]
            # Index in working_days of the day the clock starts: today while working
            # time remains today, else the next working day; then ``days`` further.
            index = table.rank[day - table.first] + days
            if spans and offset < spans[-1][1]:
                index -= 1
            if index < len(table.working_days):
                break
            table = self._grow(table)
        end = table.working_days[index]
        return end * DAY + table.spans[end - table.first][-1][1]


def _runs_into(table: _Table, day: int) -> bool:
    """Whether the working time of the day before ``day`` runs to 24:00."""
    before = table.spans[day - 1 - table.first]
    return bool(before) and before[-1][1] == DAY


def _running_segments(
    start: int, pauses: Sequence[Pause]
) -> list[tuple[int, int | None]]:
    """``(running_from, paused_at)`` for each stretch the clock ran; ``paused_at``
    is ``None`` for a stretch still running.

    Raises ``ValueError`` unless the pauses are in order, none before ``start``,
    and only the last is open.
    """
    segments: list[tuple[int, int | None]] = []
    running_from = start
    for index, (paused_at, resumed_at) in enumerate(pauses):
        paused = local_us(paused_at)
        if paused < running_from:
            raise ValueError("Pauses must be in order and after the clock start.")
        segments.append((running_from, paused))
        if resumed_at is None:
            if index != len(pauses) - 1:
                raise ValueError("Only the last pause may be open.")
            return segments
        running_from = local_us(resumed_at)
        if running_from < paused:
            raise ValueError("A pause cannot end before it starts.")
    segments.append((running_from, None))
    return segments


def _calendar_from_key(key: tuple[Any, ...]) -> WorkingCalendar:
    """Unpickle: the calendar of a normalized key."""
    weekly, overrides, closed, provisional, confirmed_through = key
    return WorkingCalendar(
        denormalize_weekly(weekly),
        overrides=[
            (day_date(first), day_date(last), spans and denormalize_weekly(spans))
            for first, last, spans in overrides
        ],
        closed_dates=[day_date(day) for day in closed],
        provisional_dates=[day_date(day) for day in provisional],
        confirmed_through=confirmed_through,
    )
