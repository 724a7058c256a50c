"""Tickets are issued from 30 minutes before opening until closing, by the office's
service-hours calendar; outside that the refusal names the next opening."""

import datetime as dt

from django.utils import translation

import pytest
import time_machine

from agencies.models import CalendarOverride, OverrideInterval
from queueing.choices import TicketChannel
from queueing.opening import QueueClosed, ensure_issuing_open
from queueing.services import ticket_issue
from tests.agencies.factories import HolidayFactory

from .factories import WEEKDAYS_8_TO_15, OfficeFactory, ServiceHoursFactory

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
MONDAY = dt.date(2026, 5, 4)


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=WIB)


@pytest.fixture
def kecamatan(db):
    return OfficeFactory(service_calendar=ServiceHoursFactory(hours=WEEKDAYS_8_TO_15))


def refusal(office, when: dt.datetime) -> QueueClosed:
    with translation.override("en"), pytest.raises(QueueClosed) as caught:
        ensure_issuing_open(office, when)
    return caught.value


@pytest.mark.parametrize("when", [at(MONDAY, 7, 30), at(MONDAY, 8), at(MONDAY, 14, 59)])
def test_open_from_thirty_minutes_before_opening_until_closing(kecamatan, when):
    ensure_issuing_open(kecamatan, when)  # no refusal


def test_too_early_names_the_start_of_issuing(kecamatan):
    error = refusal(kecamatan, at(MONDAY, 7, 29))
    assert error.message == (
        "Tickets for today are issued from 07:30 WIB; the counters open at 08:00 WIB."
    )
    assert error.extra["opens_at"] == "2026-05-04T01:00:00+00:00"


def test_after_closing_names_the_next_day(kecamatan):
    error = refusal(kecamatan, at(MONDAY, 15))
    assert error.message == (
        "Ticket issuing has ended for today: the counters closed at 15:00 WIB. "
        "Tickets are issued again on Tuesday, 5 May 2026 from 07:30 WIB; the "
        "counters open at 08:00 WIB."
    )


def test_weekend_names_monday(kecamatan):
    error = refusal(kecamatan, at(dt.date(2026, 5, 9), 10))
    assert error.message == (
        "The office is closed today (no service hours). Tickets are issued again "
        "on Monday, 11 May 2026 from 07:30 WIB; the counters open at 08:00 WIB."
    )


def test_friday_evening_names_monday(kecamatan):
    error = refusal(kecamatan, at(dt.date(2026, 5, 8), 16))
    assert "Monday, 11 May 2026 from 07:30 WIB" in error.message


def test_a_holiday_that_closes_service_hours_is_named(kecamatan):
    HolidayFactory(date=dt.date(2026, 5, 5), name="Hari Uji Libur")
    error = refusal(kecamatan, at(dt.date(2026, 5, 5), 9))
    assert error.message.startswith("The office is closed today (Hari Uji Libur).")
    assert "Wednesday, 6 May 2026 from 07:30 WIB" in error.message


def test_a_holiday_that_keeps_service_hours_open_does_not_refuse(kecamatan):
    HolidayFactory(
        date=dt.date(2026, 5, 5), name="Cuti bersama", closes_service_hours=False
    )
    ensure_issuing_open(kecamatan, at(dt.date(2026, 5, 5), 9))


def test_ramadan_hours_close_earlier(kecamatan):
    ramadan = CalendarOverride.objects.create(
        code="ramadan-uji",
        name="Ramadan",
        date_from=dt.date(2026, 5, 1),
        date_to=dt.date(2026, 5, 31),
    )
    ramadan.calendars.add(kecamatan.service_calendar)
    for weekday in range(5):
        OverrideInterval.objects.create(
            override=ramadan,
            weekday=weekday,
            opens_at=dt.time(8),
            closes_at=dt.time(14),
        )
    ensure_issuing_open(kecamatan, at(MONDAY, 13, 59))
    error = refusal(kecamatan, at(MONDAY, 14))
    assert "the counters closed at 14:00 WIB" in error.message


def test_lunch_break_reopens_issuing_thirty_minutes_before(db):
    split = {0: (dt.time(8), dt.time(12))}
    calendar = ServiceHoursFactory(hours=split)
    from agencies.models import WeeklyInterval

    WeeklyInterval.objects.create(
        calendar=calendar, weekday=0, opens_at=dt.time(13), closes_at=dt.time(15)
    )
    office = OfficeFactory(service_calendar=calendar)
    error = refusal(office, at(MONDAY, 12, 10))
    assert error.message == (
        "The counters are on a break. Tickets are issued again today from "
        "12:30 WIB; the counters reopen at 13:00 WIB."
    )
    ensure_issuing_open(office, at(MONDAY, 12, 30))


def test_no_hours_at_all_says_so(db):
    office = OfficeFactory(service_calendar=ServiceHoursFactory(hours={}))
    # An empty dict falls back to the factory default; remove the hours.
    office.service_calendar.weekly_intervals.all().audited_delete(action="test.arrange")
    error = refusal(office, at(MONDAY, 9))
    assert error.message == "This office has no service hours in the next 31 days."


def test_ticket_issue_refuses_in_indonesian(kecamatan, permit):
    from .factories import ServiceGroupFactory

    ServiceGroupFactory(office=kecamatan, services=[permit])
    with (
        time_machine.travel(at(MONDAY, 6), tick=False),
        translation.override("id"),
        pytest.raises(QueueClosed) as caught,
    ):
        ticket_issue(office=kecamatan, service=permit, channel=TicketChannel.RECEPTION)
    assert caught.value.message == (
        "Nomor antrean hari ini diberikan mulai pukul 07:30 WIB; loket buka "
        "pukul 08:00 WIB."
    )
