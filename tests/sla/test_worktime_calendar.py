"""``WorkingCalendar`` as a value: construction, validation, the WIB date boundary
at 17:00 UTC, provisional deadlines, service-hours calendars and queries."""

import copy
import pickle
import threading
import time as process_time
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sla.worktime import DEFAULT_WEEKLY, ScheduleOverride, WorkingCalendar

from .calendars import city_calendar, utc, wib

H = timedelta(hours=1)
ALL_DAY = {weekday: [(time(0), time(0))] for weekday in range(7)}  # 00:00-24:00


# --- the WIB date changes at 17:00 UTC -----------------------------------------------


def test_holiday_closes_the_wib_date_not_the_utc_date():
    """On a round-the-clock calendar, Mon 17 Aug 2026 (Hari Kemerdekaan) is closed
    from Sun 16 Aug 17:00 UTC (Mon 00:00 WIB) to Mon 17 Aug 17:00 UTC."""
    calendar = WorkingCalendar(ALL_DAY, closed_dates=[date(2026, 8, 17)])
    micro = timedelta(microseconds=1)
    assert calendar.is_working(utc(2026, 8, 16, 17) - micro)  # Sun 23:59:59.999999
    assert not calendar.is_working(utc(2026, 8, 16, 17))  # Mon 00:00 WIB
    assert not calendar.is_working(utc(2026, 8, 17, 17) - micro)
    assert calendar.is_working(utc(2026, 8, 17, 17))  # Tue 00:00 WIB
    # Sun 12:00-17:00 UTC is Sunday 19:00-24:00 WIB (5 h), then the holiday, then
    # Mon 17:00-20:00 UTC is Tuesday 00:00-03:00 WIB (3 h).
    assert calendar.elapsed(utc(2026, 8, 16, 12), utc(2026, 8, 17, 20)) == 8 * H
    assert calendar.next_opening(utc(2026, 8, 16, 17)) == utc(2026, 8, 17, 17)


def test_weekday_is_the_wib_weekday():
    """A Monday-only night window 00:00-06:00 WIB is Sunday 17:00-23:00 UTC."""
    calendar = WorkingCalendar({0: [(time(0), time(6))]})
    assert not calendar.is_working(utc(2026, 8, 2, 16, 59))  # Sun 23:59 WIB
    assert calendar.is_working(utc(2026, 8, 2, 17))  # Mon 00:00 WIB
    assert calendar.is_working(utc(2026, 8, 2, 22, 59))  # Mon 05:59 WIB
    assert not calendar.is_working(utc(2026, 8, 3, 17, 30))  # Tue 00:30 WIB
    assert calendar.add_working_hours(utc(2026, 8, 2, 16, 59), 6) == utc(2026, 8, 2, 23)


def test_working_days_count_wib_dates_around_17_utc():
    """Thu 6 Aug 16:59 UTC is Thu 23:59 WIB (after closing): the clock starts Fri
    08:00, 1 working day ends Mon 15:00 WIB. Thu 07:59 UTC is Thu 14:59 WIB (working
    time): 1 working day ends Fri 15:00 WIB = 08:00 UTC."""
    calendar = city_calendar()
    assert calendar.add_working_days(utc(2026, 8, 6, 16, 59), 1) == wib(2026, 8, 10, 15)
    assert calendar.add_working_days(utc(2026, 8, 6, 17), 1) == wib(2026, 8, 10, 15)
    assert calendar.add_working_days(utc(2026, 8, 6, 7, 59), 1) == utc(2026, 8, 7, 8)


def test_closing_at_midnight_is_the_end_of_the_day():
    """Round the clock with Mon 17 Aug closed: an event on Sun 16 Aug 00:00 WIB
    (Sat 17:00 UTC) plus 1 working day ends at the close of Tue 18 Aug, 24:00 WIB,
    which is Tue 17:00 UTC."""
    calendar = WorkingCalendar(ALL_DAY, closed_dates=[date(2026, 8, 17)])
    assert calendar.add_working_days(utc(2026, 8, 15, 17), 1) == utc(2026, 8, 18, 17)
    # After the holiday, Tue 00:00 WIB opens; from then on work never stops, and
    # continuous work across midnight is no opening.
    assert calendar.next_opening(utc(2026, 8, 17, 12)) == utc(2026, 8, 17, 17)
    with pytest.raises(ValueError, match="no opening"):
        calendar.next_opening(utc(2026, 8, 18, 12))
    assert calendar.clock_start(utc(2026, 8, 18, 12)) == utc(2026, 8, 18, 12)


@pytest.mark.parametrize(
    "zone",
    [
        UTC,
        timezone(timedelta(hours=7)),
        ZoneInfo("Asia/Jakarta"),
        ZoneInfo("Asia/Jayapura"),
    ],
    ids=["UTC", "+07", "Asia/Jakarta", "Asia/Jayapura"],
)
def test_the_input_zone_does_not_matter(zone):
    calendar = city_calendar()
    start = wib(2026, 8, 7, 14, 30).astimezone(zone)
    assert calendar.add_working_days(start, 1) == wib(2026, 8, 10, 15)
    assert calendar.add_working_hours(start, 1) == wib(2026, 8, 10, 8, 30)


def test_the_process_time_zone_does_not_matter(monkeypatch):
    """Django sets the process zone to Asia/Jakarta; the results are the same under
    UTC and under a zone far from WIB."""
    calendar = city_calendar()
    start = utc(2026, 8, 6, 17)
    expected = calendar.add_working_days(start, 3), calendar.add_working_hours(start, 9)
    for zone in ("UTC", "America/Los_Angeles", "Pacific/Kiritimati"):
        monkeypatch.setenv("TZ", zone)
        process_time.tzset()
        fresh = city_calendar()
        assert (
            fresh.add_working_days(start, 3),
            fresh.add_working_hours(start, 9),
        ) == (expected)
    monkeypatch.undo()
    process_time.tzset()


def test_naive_datetimes_are_refused():
    calendar = city_calendar()
    naive = datetime(2026, 8, 3, 10)  # noqa: DTZ001 (the point of the test)
    aware = wib(2026, 8, 3, 10)
    with pytest.raises(ValueError, match="aware datetime"):
        calendar.add_working_days(naive, 1)
    with pytest.raises(ValueError, match="aware datetime"):
        calendar.add_working_hours(naive, 1)
    with pytest.raises(ValueError, match="aware datetime"):
        calendar.elapsed(aware, naive)
    with pytest.raises(ValueError, match="aware datetime"):
        calendar.is_working(naive)
    with pytest.raises(ValueError, match="aware datetime"):
        calendar.deadline(aware, days=1, pauses=[(naive, None)])
    with pytest.raises(ValueError, match="aware datetime"):
        calendar.next_opening(date(2026, 8, 3))


# --- provisional deadlines ---------------------------------------------------------


def test_deadline_past_the_confirmed_year_is_provisional():
    """Holidays are confirmed through 2026: a deadline in 2027 is provisional."""
    calendar = city_calendar()
    inside = calendar.deadline(wib(2026, 12, 21, 10), days=3)
    assert inside.due_at == wib(2026, 12, 28, 15)  # 22, 23, (24-27 closed), 28
    assert not inside.provisional
    # 29, 30, 31 Dec, 1 Jan 2027 (not closed: 2027 is unknown to it), 4 Jan.
    beyond = calendar.deadline(wib(2026, 12, 28, 10), days=5)
    assert beyond.due_at == wib(2027, 1, 4, 15)
    assert beyond.provisional
    assert calendar.is_provisional(wib(2026, 12, 28, 10), beyond.due_at)


def test_estimated_holiday_on_the_way_makes_a_deadline_provisional():
    """Idul Fitri 2027 (10-11 Mar) is only estimated by the holidays package. A
    deadline that jumps over it is provisional; one that ends before it is not."""
    estimated = [date(2027, 3, 10), date(2027, 3, 11)]
    calendar = WorkingCalendar(
        closed_dates=[*estimated, date(2027, 3, 9), date(2027, 3, 12)],
        provisional_dates=estimated,
        confirmed_through=2027,
    )
    before = calendar.deadline(wib(2027, 3, 1, 10), days=2)
    over = calendar.deadline(wib(2027, 3, 8, 10), days=1)
    assert (before.due_at, before.provisional) == (wib(2027, 3, 3, 15), False)
    assert (over.due_at, over.provisional) == (wib(2027, 3, 15, 15), True)
    paused = calendar.deadline(
        wib(2027, 3, 1, 10), hours=50, pauses=[(wib(2027, 3, 8, 10), None)]
    )
    assert paused.paused
    assert paused.provisional is False  # nothing estimated between 1 and 8 March


def test_without_a_confirmed_year_only_marked_dates_are_provisional():
    calendar = WorkingCalendar()
    assert not calendar.deadline(wib(2040, 1, 2, 10), days=20).provisional


# --- construction and validation -----------------------------------------------------


def test_service_hours_calendar_counts_weekend_service_days():
    """MPP service hours (catalogue ``service_hours``): Mon-Fri 08:00-15:00 and
    Sat-Sun 09:00-12:00. Every day with service hours is a working day: Fri 16:00 +
    1 working day ends Sun 12:00 (Saturday is the starting day)."""
    mpp = WorkingCalendar.from_service_hours(
        [(range(5), time(8), time(15)), ([5, 6], time(9), time(12))]
    )
    assert mpp.add_working_days(wib(2026, 8, 7, 16), 1) == wib(2026, 8, 9, 12)
    assert mpp.add_working_hours(wib(2026, 8, 7, 16), 4) == wib(2026, 8, 9, 10)
    assert mpp.is_working_day(date(2026, 8, 8))
    assert not city_calendar().is_working_day(date(2026, 8, 8))


def test_split_intervals_and_rows_that_add_up():
    """A lunch break: 08:00-12:00 and 13:00-16:00. Days close at 16:00; 12:00-13:00
    counts nothing, and a start at 12:00 waits for 13:00."""
    calendar = WorkingCalendar.from_service_hours(
        [(range(5), time(8), time(12)), (range(5), time(13), time(16))]
    )
    assert calendar.add_working_hours(wib(2026, 8, 3, 11), 2) == wib(2026, 8, 3, 14)
    assert calendar.add_working_hours(wib(2026, 8, 3, 11), 1) == wib(2026, 8, 3, 12)
    assert calendar.next_opening(wib(2026, 8, 3, 12)) == wib(2026, 8, 3, 13)
    assert calendar.next_opening(wib(2026, 8, 3, 9)) == wib(2026, 8, 3, 13)
    assert calendar.add_working_days(wib(2026, 8, 3, 12, 30), 0) == wib(2026, 8, 3, 16)
    assert calendar.intervals_on(date(2026, 8, 3)) == (
        (wib(2026, 8, 3, 8), wib(2026, 8, 3, 12)),
        (wib(2026, 8, 3, 13), wib(2026, 8, 3, 16)),
    )
    assert calendar.intervals_on(date(2026, 8, 8)) == ()


def test_overlapping_overrides_last_listed_wins():
    """A city-wide Ramadan override, then an agency's own (Dukcapil kept 08:00-15:00
    during Ramadan 2024); and a closed range (office move) listed last."""
    ramadan = ScheduleOverride(
        date(2026, 2, 19),
        date(2026, 3, 19),
        {d: [(time(8), time(14))] for d in range(5)},
    )
    dukcapil = ScheduleOverride(date(2026, 2, 19), date(2026, 3, 19), DEFAULT_WEEKLY)
    moving = (date(2026, 3, 2), date(2026, 3, 3), None)
    calendar = WorkingCalendar(overrides=[ramadan, dukcapil, moving])
    assert calendar.add_working_hours(wib(2026, 2, 26, 13), 2) == wib(2026, 2, 26, 15)
    assert not calendar.is_working_day(date(2026, 3, 2))
    assert calendar.is_working_day(date(2026, 3, 4))
    assert WorkingCalendar(overrides=[dukcapil, ramadan]).add_working_hours(
        wib(2026, 2, 26, 13), 2
    ) == wib(2026, 2, 27, 9)


def test_override_weekday_not_named_is_closed_and_holidays_still_close():
    override = ScheduleOverride(
        date(2026, 8, 1), date(2026, 8, 31), {0: [(time(9), time(11))]}
    )
    calendar = WorkingCalendar(overrides=[override], closed_dates=[date(2026, 8, 17)])
    assert calendar.intervals_on(date(2026, 8, 10)) == (
        (wib(2026, 8, 10, 9), wib(2026, 8, 10, 11)),
    )
    assert not calendar.is_working_day(date(2026, 8, 11))  # Tuesday, not named
    assert not calendar.is_working_day(date(2026, 8, 17))  # Monday, but a holiday
    assert calendar.is_working_day(date(2026, 9, 1))  # back to Mon-Fri


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"weekly": {7: [(time(8), time(15))]}}, "Weekday"),
        ({"weekly": {True: [(time(8), time(15))]}}, "Weekday"),
        ({"weekly": {0: [(time(15), time(8))]}}, "open before it closes"),
        ({"weekly": {0: [(time(8), time(8))]}}, "open before it closes"),
        ({"weekly": {0: [(time(8, tzinfo=UTC), time(15))]}}, "naive time"),
        ({"weekly": {0: [("08:00", "15:00")]}}, "naive time"),
        ({"closed_dates": [datetime(2026, 8, 17, tzinfo=UTC)]}, "Expected a date"),
        ({"provisional_dates": [date(2027, 3, 10)]}, "also be a closed date"),
        ({"overrides": [(date(2026, 3, 2), date(2026, 3, 1), None)]}, "ends before"),
        ({"confirmed_through": "2026"}, "year"),
    ],
)
def test_malformed_calendar_data_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        WorkingCalendar(**arguments)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c, t: c.add_working_days(t, -1), "whole number"),
        (lambda c, t: c.add_working_days(t, 1.0), "whole number"),
        (lambda c, t: c.add_working_days(t, True), "whole number"),
        (lambda c, t: c.add_working_hours(t, -1), "negative"),
        (lambda c, t: c.add_working_hours(t, float("nan")), "finite number"),
        (lambda c, t: c.add_working_hours(t, "10"), "number or a timedelta"),
        (lambda c, t: c.add_working_hours(t, True), "number or a timedelta"),
        (lambda c, t: c.add_working_time(t, -H), "timedelta of working time"),
        (lambda c, t: c.add_working_time(t, 3), "timedelta of working time"),
        (lambda c, t: c.elapsed(t, t - H), "a <= b"),
        (lambda c, t: c.deadline(t), "exactly one"),
        (lambda c, t: c.deadline(t, days=1, hours=1), "exactly one"),
        (lambda c, t: c.deadline(t, days=1, pauses=[(t - H, t)]), "after the clock"),
        (lambda c, t: c.deadline(t, days=1, pauses=[(t + H, t)]), "end before"),
        (
            lambda c, t: c.deadline(t, days=1, pauses=[(t, None), (t + H, t + 2 * H)]),
            "Only the last",
        ),
        (
            lambda c, t: c.deadline(
                t, days=1, pauses=[(t + 2 * H, t + 3 * H), (t + H, None)]
            ),
            "in order",
        ),
    ],
)
def test_malformed_arguments_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call(city_calendar(), wib(2026, 8, 3, 10))


def test_hours_accept_numbers_and_timedeltas_alike():
    calendar = city_calendar()
    start = wib(2026, 8, 3, 10)
    due = wib(2026, 8, 4, 8, 30)  # Mon 10:00-15:00 is 5 h, then 30 min on Tue
    for hours in (5.5, Decimal("5.5"), timedelta(hours=5, minutes=30)):
        assert calendar.add_working_hours(start, hours) == due
    assert calendar.add_working_time(start, timedelta(hours=5, minutes=30)) == due


def test_calendar_without_working_time_says_so():
    closed = WorkingCalendar({})
    with pytest.raises(ValueError, match="no working time"):
        closed.add_working_days(wib(2026, 8, 3, 10), 1)
    one_window = WorkingCalendar(
        {}, overrides=[(date(2026, 8, 3), date(2026, 8, 3), {0: [(time(8), time(9))]})]
    )
    assert one_window.add_working_hours(wib(2026, 8, 1), 1) == wib(2026, 8, 3, 9)
    with pytest.raises(ValueError, match="no working time"):
        one_window.add_working_hours(wib(2026, 8, 1), 2)
    with pytest.raises(ValueError, match="no working time"):
        one_window.next_opening(wib(2026, 8, 3, 9))


def test_far_future_and_far_past_work():
    """Tables grow on demand, forwards and backwards, whole years at a time."""
    calendar = city_calendar()
    assert calendar.add_working_days(wib(2026, 8, 3, 10), 2000) > wib(2034, 1, 1)
    assert calendar.add_working_days(wib(1999, 12, 31, 10), 1) == wib(2000, 1, 3, 15)
    assert calendar.elapsed(wib(1999, 12, 31, 10), wib(2026, 8, 3, 10)) > 40_000 * H
    with pytest.raises(ValueError, match="represent"):
        calendar.add_working_days(wib(9999, 12, 30, 10), 5)


# --- a value object ------------------------------------------------------------------


def test_equal_data_gives_equal_hashable_calendars():
    """Intervals are normalized: order, duplicates and touching intervals do not
    make a different calendar."""
    a = WorkingCalendar({0: [(time(8), time(12)), (time(12), time(15))]})
    b = WorkingCalendar({0: [(time(8), time(15)), (time(9), time(10))], 1: []})
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b, city_calendar()}) == 2
    assert a != WorkingCalendar({0: [(time(8), time(14))]})
    assert a != "calendar"


def test_calendar_is_immutable_and_survives_pickle_and_copy():
    calendar = city_calendar(provisional_dates=[date(2026, 8, 17)])
    calendar.add_working_days(wib(2026, 8, 3, 10), 5)  # builds a table
    with pytest.raises(AttributeError):
        calendar._weekly = ()
    restored = pickle.loads(pickle.dumps(calendar))  # noqa: S301 (our own bytes)
    assert restored == calendar
    assert copy.deepcopy(calendar) == calendar
    start = wib(2026, 8, 14, 10)
    assert restored.deadline(start, days=3) == calendar.deadline(start, days=3)
    assert "WorkingCalendar" in repr(calendar)


def test_threads_share_one_calendar():
    """Tables are swapped whole, so threads growing them see consistent answers."""
    calendar = city_calendar()
    starts = [wib(2026, 1, 5, 10) + timedelta(days=40 * i) for i in range(30)]
    expected = [city_calendar().add_working_days(s, 300) for s in starts]
    results: dict[int, list[datetime]] = {}

    def work(worker: int) -> None:
        order = starts if worker % 2 else starts[::-1]
        answers = {s: calendar.add_working_days(s, 300) for s in order}
        results[worker] = [answers[s] for s in starts]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert all(answer == expected for answer in results.values())
