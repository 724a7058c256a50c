"""Property tests of ``sla.worktime`` in working-time terms (Hypothesis).

Calendars are generated too: random weekly intervals on a 15-minute grid (with
00:00 openings and 24:00 closings), closed dates and overrides, around March-May
2026. Instants are random or sit on the grid, give or take a microsecond, so that
openings and closings are hit exactly. ``Oracle`` recomputes from the same plain data
with datetimes, walking day by day: the prefix-sum tables must agree with it.
"""

import pickle
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sla.worktime import WorkingCalendar

from .calendars import WIB

MICRO = timedelta(microseconds=1)
FIRST, LAST = date(2026, 3, 1), date(2026, 5, 31)


@dataclass(frozen=True)
class Oracle:
    """The calendar's rules applied literally, one WIB day at a time."""

    weekly: dict[int, list[tuple[time, time]]]
    overrides: list[tuple[date, date, dict | None]]
    closed: frozenset[date]

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(
            self.weekly, overrides=self.overrides, closed_dates=self.closed
        )

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        if day in self.closed:
            return []
        weekly = self.weekly
        for first, last, override in reversed(self.overrides):
            if first <= day <= last:
                weekly = override or {}
                break
        result = []
        for opens, closes in weekly.get(day.weekday(), []):
            end_day = day + timedelta(days=1) if closes == time(0) else day
            result.append(
                (
                    datetime.combine(day, opens, tzinfo=WIB),
                    datetime.combine(end_day, closes, tzinfo=WIB),
                )
            )
        return result

    def days_from(self, t: datetime):
        day = t.astimezone(WIB).date()
        while True:
            yield day
            day += timedelta(days=1)

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        total = timedelta(0)
        for day in self.days_from(a - timedelta(days=1)):
            if day > b.astimezone(WIB).date():
                return total
            for opens, closes in self.intervals(day):
                total += max(timedelta(0), min(closes, b) - max(opens, a))

    def clock_start(self, t: datetime) -> datetime:
        for day in self.days_from(t):
            for opens, closes in self.intervals(day):
                if closes > t:
                    return max(opens, t)
        raise AssertionError("unreachable")

    def add(self, start: datetime, amount: timedelta) -> datetime:
        clock = self.clock_start(start)
        if amount == timedelta(0):
            return clock
        for day in self.days_from(clock):
            for opens, closes in self.intervals(day):
                if closes <= clock:
                    continue
                available = closes - max(opens, clock)
                if amount <= available:
                    return max(opens, clock) + amount
                amount -= available
        raise AssertionError("unreachable")

    def add_days(self, start: datetime, days: int) -> datetime:
        clock = self.clock_start(start)
        # The clock starts in working time, so the first working day is its own.
        working = (day for day in self.days_from(clock) if self.intervals(day))
        for _ in range(days + 1):
            day = next(working)
        return self.intervals(day)[-1][1]


def _time(quarter: int) -> time:
    return time(0) if quarter == 96 else time(quarter // 4, quarter % 4 * 15)


# A day: an even number of distinct grid points, paired into disjoint intervals.
day_intervals = st.lists(st.integers(0, 96), unique=True, max_size=4).map(
    lambda points: [
        (_time(a), _time(b))
        for a, b in zip(sorted(points)[::2], sorted(points)[1::2], strict=False)
    ]
)
weeklies = st.dictionaries(st.integers(0, 6), day_intervals, max_size=7)
dates = st.dates(FIRST, LAST)
overrides = st.tuples(dates, st.integers(0, 20), st.none() | weeklies).map(
    lambda o: (o[0], o[0] + timedelta(days=o[1]), o[2])
)
oracles = st.builds(
    Oracle,
    # A week without working time would have no deadlines at all.
    weekly=weeklies.map(lambda w: w if any(w.values()) else {2: [(time(9), time(10))]}),
    overrides=st.lists(overrides, max_size=2),
    closed=st.frozensets(dates, max_size=12),
)
zones = st.sampled_from([UTC, WIB, ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Tokyo")])
# Hypothesis takes naive bounds and attaches each drawn zone to them.
random_instants = st.datetimes(
    datetime(2026, 3, 1),  # noqa: DTZ001
    datetime(2026, 5, 20),  # noqa: DTZ001
    timezones=zones,
)
grid_instants = st.builds(
    lambda day, quarter, nudge: (
        datetime.combine(day, time(0), tzinfo=WIB)
        + timedelta(minutes=15 * quarter)
        + nudge * MICRO
    ),
    st.dates(FIRST, date(2026, 5, 20)),
    st.integers(0, 95),
    st.sampled_from([-1, 0, 0, 0, 1]),
)
instants = random_instants | grid_instants
amounts = st.integers(0, 40 * 4).map(lambda q: timedelta(minutes=15 * q)) | (
    st.integers(0, 40 * 3_600_000_000).map(lambda us: us * MICRO)
)
day_counts = st.integers(0, 15)


def _at_closing_or_working(calendar: WorkingCalendar, t: datetime) -> bool:
    """``t`` is in working time, or exactly the closing of working time."""
    return calendar.is_working(t) or calendar.is_working(t - MICRO)


@given(oracles, instants, instants)
def test_elapsed_agrees_with_the_oracle(oracle, a, b):
    a, b = sorted((a, b))
    assert oracle.calendar().elapsed(a, b) == oracle.elapsed(a, b)


@given(oracles, instants, instants, instants)
def test_elapsed_is_additive(oracle, a, b, c):
    a, b, c = sorted((a, b, c))
    calendar = oracle.calendar()
    assert calendar.elapsed(a, c) == calendar.elapsed(a, b) + calendar.elapsed(b, c)


@given(oracles, instants, amounts)
def test_add_working_time_round_trips(oracle, start, amount):
    """The deadline agrees with the oracle, exactly ``amount`` of working time has
    elapsed at it, and it is in working time or exactly at a closing."""
    calendar = oracle.calendar()
    due = calendar.add_working_time(start, amount)
    assert due == oracle.add(start, amount)
    assert due.tzinfo is UTC
    assert calendar.elapsed(start, due) == amount
    if amount:
        assert _at_closing_or_working(calendar, due)
        assert calendar.elapsed(start, due - MICRO) < amount  # the earliest instant
    else:
        assert due == calendar.clock_start(start)
        assert calendar.is_working(due)


@given(oracles, instants, day_counts)
def test_add_working_days_is_the_closing_of_the_nth_day(oracle, start, days):
    calendar = oracle.calendar()
    due = calendar.add_working_days(start, days)
    assert due == oracle.add_days(start, days)
    last_day = (due - MICRO).astimezone(WIB).date()
    assert due == calendar.intervals_on(last_day)[-1][1]  # exactly at closing
    assert calendar.is_working(due - MICRO)
    assert calendar.deadline(start, days=days).due_at == due


@given(oracles, instants, instants)
def test_deadline_for_the_elapsed_time_is_no_later(oracle, a, b):
    """The deadline for the working time elapsed between a and b is no later than
    b, with no working time between the two. For zero working time the deadline is
    the clock start, which may lie after b, again with no working time between."""
    a, b = sorted((a, b))
    calendar = oracle.calendar()
    amount = calendar.elapsed(a, b)
    due = calendar.add_working_time(a, amount)
    if amount:
        assert due <= b
    assert calendar.elapsed(*sorted((due, b))) == timedelta(0)


@given(oracles, instants, instants, amounts, day_counts)
def test_monotonic_in_start(oracle, first, second, amount, days):
    first, second = sorted((first, second))
    calendar = oracle.calendar()
    assert calendar.add_working_time(first, amount) <= calendar.add_working_time(
        second, amount
    )
    assert calendar.add_working_days(first, days) <= calendar.add_working_days(
        second, days
    )


@given(oracles, instants, amounts, amounts, day_counts, day_counts)
def test_monotonic_in_duration(oracle, start, short, long, few, many):
    short, long = sorted((short, long))
    few, many = sorted((few, many))
    calendar = oracle.calendar()
    assert calendar.add_working_time(start, short) <= calendar.add_working_time(
        start, long
    )
    assert calendar.add_working_days(start, few) <= calendar.add_working_days(
        start, many
    )
    if many > few:
        assert calendar.add_working_days(start, few) < calendar.add_working_days(
            start, many
        )


@given(oracles, instants)
def test_clock_start_and_next_opening(oracle, t):
    calendar = oracle.calendar()
    clock = calendar.clock_start(t)
    assert clock == oracle.clock_start(t)
    assert calendar.is_working(clock)
    assert calendar.elapsed(t, clock) == timedelta(0)
    assert (clock == t) == calendar.is_working(t)
    opening = calendar.next_opening(t)
    assert opening >= t
    assert calendar.is_working(opening)
    assert not calendar.is_working(opening - MICRO)


pause_offsets = st.lists(
    st.tuples(st.integers(0, 5 * 24 * 60), st.integers(0, 4 * 24 * 60)), max_size=3
)


@given(oracles, instants, amounts, day_counts, st.booleans(), pause_offsets)
def test_pauses_consume_exactly_the_budget(oracle, start, amount, days, by_day, gaps):
    """While running, the clock consumes exactly the budget by the deadline, and
    the deadline is the earliest such instant; while paused, less than it."""
    calendar = oracle.calendar()
    pauses, cursor = [], start
    for run, pause in gaps:
        paused_at = cursor + timedelta(minutes=run)
        cursor = paused_at + timedelta(minutes=pause)
        pauses.append((paused_at, cursor))
    sla = {"days": days} if by_day else {"hours": amount}
    result = calendar.deadline(start, pauses=pauses, **sla)

    def running(until: datetime) -> timedelta:
        total = calendar.elapsed(start, max(start, until))
        for paused_at, resumed_at in pauses:
            if paused_at < until:
                total -= calendar.elapsed(paused_at, min(resumed_at, until))
        return total

    assert running(result.due_at) == result.budget
    if result.budget:
        assert running(result.due_at - MICRO) < result.budget
    if pauses:
        open_pause = calendar.deadline(
            start, pauses=[*pauses[:-1], (pauses[-1][0], None)], **sla
        )
        if open_pause.paused:
            assert running(pauses[-1][0]) < result.budget
            assert open_pause.remaining == result.budget - running(pauses[-1][0])
        else:
            assert open_pause.due_at == result.due_at


@given(oracles, instants, instants, day_counts)
def test_pause_without_working_time_changes_nothing(oracle, start, t, days):
    calendar = oracle.calendar()
    start, t = sorted((start, t))
    idle = (t, calendar.clock_start(t))  # no working time in [t, clock start)
    plain = calendar.deadline(start, days=days)
    assert calendar.deadline(start, days=days, pauses=[idle]).due_at == plain.due_at


@given(oracles, instants, st.floats(0, 1), day_counts)
def test_remaining_time_carries_a_day_deadline(oracle, start, fraction, days):
    """A day-based deadline expressed as remaining working time at any instant
    before it leads back to the same deadline."""
    calendar = oracle.calendar()
    due = calendar.add_working_days(start, days)
    at = start + (due - start) * fraction
    left = calendar.remaining(at, due)
    budget = calendar.deadline(start, days=days).budget
    assert left == budget - calendar.elapsed(start, at)
    assert calendar.add_working_time(at, left) == due or left == timedelta(0)
    assert calendar.remaining(due, at) == -left


@given(oracles, instants, amounts, day_counts)
def test_time_zone_of_input_and_pickling_change_nothing(oracle, start, amount, days):
    calendar = oracle.calendar()
    elsewhere = start.astimezone(ZoneInfo("America/Sao_Paulo"))
    again = pickle.loads(pickle.dumps(calendar))  # noqa: S301 (our own bytes)
    assert again == calendar
    assert hash(again) == hash(calendar)
    assert again.add_working_time(elsewhere, amount) == calendar.add_working_time(
        start, amount
    )
    assert again.add_working_days(elsewhere, days) == calendar.add_working_days(
        start, days
    )
