"""Calendar read helpers: weekly hours, dated overrides and holidays as UTC
intervals (WIB is UTC+7)."""

import datetime as dt

import pytest

from agencies.calendars import calendar_intervals, calendar_is_open, calendar_schedule
from agencies.models import Agency, Calendar, CalendarOverride, Holiday
from agencies.selectors import agency_working_calendar
from tests.agencies.factories import CalendarFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]

UTC = dt.UTC


def at(day: str, hhmm: str) -> dt.datetime:
    """An aware UTC instant from a UTC date and time."""
    return dt.datetime.fromisoformat(f"{day}T{hhmm}:00+00:00")


def _calendar(code: str) -> Calendar:
    return Calendar.objects.get(code=code)


def test_city_working_time_is_mon_fri_0800_1500_wib():
    """Monday 4 January 2027: one interval 08:00-15:00 WIB = 01:00-08:00 UTC;
    Tuesday is Isra Mikraj and the weekend is closed."""
    intervals = calendar_intervals(
        _calendar("kerja-kota"), dt.date(2027, 1, 4), dt.date(2027, 1, 10)
    )
    assert intervals[0] == (at("2027-01-04", "01:00"), at("2027-01-04", "08:00"))
    assert len(intervals) == 4
    assert dt.date(2027, 1, 5) not in {start.date() for start, _ in intervals}
    assert all(start.tzinfo == UTC for start, _ in intervals)
    assert intervals[-1][0].date() == dt.date(2027, 1, 8)


def test_mpp_opens_on_weekends_in_the_morning():
    intervals = calendar_intervals(
        _calendar("layanan-mpp"), dt.date(2027, 1, 9), dt.date(2027, 1, 10)
    )
    assert intervals == [
        (at("2027-01-09", "02:00"), at("2027-01-09", "05:00")),
        (at("2027-01-10", "02:00"), at("2027-01-10", "05:00")),
    ]


def test_national_holiday_closes_both_calendars():
    """1 January 2027 (Tahun Baru, a Friday)."""
    for code in ("kerja-kota", "layanan-mpp"):
        assert (
            calendar_intervals(
                _calendar(code), dt.date(2027, 1, 1), dt.date(2027, 1, 1)
            )
            == []
        )


def test_cuti_bersama_flags_decide_which_calendar_closes():
    """24 December 2026 is cuti bersama: closed by default; when the MPP stays
    open (closes_service_hours off) only back-office working time is closed."""
    day = dt.date(2026, 12, 24)
    mpp, city = _calendar("layanan-mpp"), _calendar("kerja-kota")
    assert calendar_intervals(mpp, day, day) == []
    Holiday.objects.filter(date=day).audited_update(
        action="test.arrange", reason="test set-up", closes_service_hours=False
    )
    assert calendar_intervals(mpp, day, day) == [
        (at("2026-12-24", "01:00"), at("2026-12-24", "08:00"))
    ]
    assert calendar_intervals(city, day, day) == []


def test_ramadan_override_shortens_weekdays_and_keeps_weekends():
    """Ramadan 1448 H (provisional dates): weekdays 08:00-14:00 WIB; the MPP's
    weekend hours stay; a kecamatan point stays closed at weekends."""
    wednesday, saturday = dt.date(2027, 2, 10), dt.date(2027, 2, 13)
    assert calendar_intervals(_calendar("kerja-kota"), wednesday, wednesday) == [
        (at("2027-02-10", "01:00"), at("2027-02-10", "07:00"))
    ]
    assert calendar_intervals(_calendar("layanan-mpp"), saturday, saturday) == [
        (at("2027-02-13", "02:00"), at("2027-02-13", "05:00"))
    ]
    assert (
        calendar_intervals(_calendar("layanan-kec-cipondoh"), saturday, saturday) == []
    )
    assert CalendarOverride.objects.get(code="ramadan-1448").is_provisional


def test_latest_override_wins_and_closed_override_closes():
    city = _calendar("kerja-kota")
    day = dt.date(2027, 1, 6)
    closed = CalendarOverride.objects.create(
        code="banjir",
        name="Kantor tutup (banjir)",
        date_from=day,
        date_to=day,
        is_closed=True,
    )
    closed.calendars.add(city)
    assert calendar_intervals(city, day, day) == []
    later = CalendarOverride.objects.create(
        code="buka-sore", name="Buka sore", date_from=day, date_to=day
    )
    later.calendars.add(city)
    later.intervals.create(weekday=2, opens_at=dt.time(13), closes_at=dt.time(16))
    assert calendar_intervals(city, day, day) == [
        (at("2027-01-06", "06:00"), at("2027-01-06", "09:00"))
    ]


def test_is_open_uses_start_inclusive_end_exclusive():
    mpp = _calendar("layanan-mpp")
    assert calendar_is_open(mpp, at("2027-01-09", "02:00"))  # Sat 09:00 WIB
    assert not calendar_is_open(mpp, at("2027-01-09", "05:00"))  # Sat 12:00 WIB
    assert not calendar_is_open(mpp, at("2027-01-01", "03:00"))  # holiday
    with pytest.raises(ValueError, match="aware"):
        calendar_is_open(mpp, dt.datetime(2027, 1, 9, 10))  # noqa: DTZ001


def test_schedule_loads_in_four_queries_and_is_reusable(django_assert_num_queries):
    city = _calendar("kerja-kota")
    with django_assert_num_queries(4):
        schedule = calendar_schedule(city, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    with django_assert_num_queries(0):
        intervals = schedule.intervals()
        assert schedule.is_open(at("2027-01-04", "02:00"))
    # A year: about 250 working days less holidays and cuti bersama.
    assert 220 < len(intervals) < 250
    with pytest.raises(ValueError, match="outside"):
        schedule.local_spans(dt.date(2028, 1, 1))


def test_agency_working_calendar_defaults_to_the_city_and_can_be_overridden():
    dinkes = Agency.objects.get(code="DINKES")
    assert agency_working_calendar(dinkes).code == "kerja-kota"
    own = CalendarFactory(weekdays=True, code="kerja-dinkes")
    dinkes.working_calendar = own
    dinkes.save()
    assert agency_working_calendar(dinkes) == own
    assert len(calendar_intervals(own, dt.date(2027, 1, 4), dt.date(2027, 1, 4))) == 1
