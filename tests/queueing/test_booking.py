"""Online booking: slots inside the office's service hours with a capacity; a
booking code checks in at the kiosk and gets the ticket number then."""

import datetime as dt

from django.utils import translation

import pytest
import time_machine

from ptsp.exceptions import ApplicationError
from queueing.choices import BookingStatus, TicketChannel, TicketStatus
from queueing.models import Booking
from queueing.selectors import booking_slots
from queueing.services import (
    booking_cancel,
    booking_check_in,
    booking_create,
    ticket_call_next,
    ticket_issue,
)

from .conftest import NIK_1, NIK_2, NIK_3
from .factories import (
    WEEKDAYS_8_TO_15,
    OfficeFactory,
    ServiceGroupFactory,
    ServiceHoursFactory,
    make_counter,
    make_operator,
)

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
SUNDAY_EVENING = dt.datetime(2026, 5, 3, 19, tzinfo=WIB)
MONDAY = dt.date(2026, 5, 4)


def wib(hh, mm=0, day=MONDAY):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=WIB)


@pytest.fixture
def kecamatan(db):
    return OfficeFactory(service_calendar=ServiceHoursFactory(hours=WEEKDAYS_8_TO_15))


@pytest.fixture
def group(kecamatan, permit):
    return ServiceGroupFactory(
        office=kecamatan, services=[permit], booking_capacity=2, booking_slot_minutes=60
    )


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="warga", password="kata-sandi-warga-2026", email="warga@example.org"
    )


@pytest.fixture(autouse=True)
def sunday_evening():
    with time_machine.travel(SUNDAY_EVENING, tick=False):
        yield


def book(citizen, office, service, start, nik=NIK_1):
    return booking_create(
        citizen=citizen,
        office=office,
        service=service,
        slot_starts_at=start,
        nik=nik,
    )


def test_slots_cover_the_service_hours(group):
    slots = booking_slots(group, MONDAY)
    assert [s.label() for s in slots] == [
        "08:00-09:00",
        "09:00-10:00",
        "10:00-11:00",
        "11:00-12:00",
        "12:00-13:00",
        "13:00-14:00",
        "14:00-15:00",
    ]
    assert booking_slots(group, dt.date(2026, 5, 9)) == []  # Saturday: closed


def test_booking_gets_a_code_and_takes_a_place(group, kecamatan, permit, citizen):
    booking = book(citizen, kecamatan, permit, wib(9))
    assert booking.code.startswith("BK-")
    assert len(booking.code) == 9
    assert booking.slot_ends_at == wib(10)
    assert booking.local_date == MONDAY
    slot = next(s for s in booking_slots(group, MONDAY) if s.starts_at == wib(9))
    assert (slot.taken, slot.free) == (1, 1)


def test_a_full_slot_is_refused(group, kecamatan, permit, citizen):
    book(citizen, kecamatan, permit, wib(9), NIK_1)
    book(citizen, kecamatan, permit, wib(9), NIK_2)
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        book(citizen, kecamatan, permit, wib(9), NIK_3)
    assert caught.value.message == "That slot is full. Please choose another time."


@pytest.mark.parametrize(
    "start",
    [
        wib(9, 30),  # not a slot boundary
        wib(15),  # closing time
        wib(10, day=dt.date(2026, 5, 9)),  # Saturday
        wib(9, day=dt.date(2026, 6, 1)),  # beyond 14 days
        wib(9, day=dt.date(2026, 5, 1)),  # the past
    ],
)
def test_only_slots_inside_service_hours(group, kecamatan, permit, citizen, start):
    with pytest.raises(ApplicationError):
        book(citizen, kecamatan, permit, start)
    assert not Booking.objects.exists()


def test_one_booking_per_nik_service_and_day(group, kecamatan, permit, citizen):
    book(citizen, kecamatan, permit, wib(9))
    with pytest.raises(ApplicationError):
        book(citizen, kecamatan, permit, wib(11))


def test_no_booking_when_the_group_takes_none(kecamatan, permit, citizen):
    ServiceGroupFactory(office=kecamatan, services=[permit], booking_capacity=0)
    with pytest.raises(ApplicationError):
        book(citizen, kecamatan, permit, wib(9))


def test_check_in_issues_the_ticket_called_first_in_its_window(
    django_user_model, group, kecamatan, permit, citizen
):
    booking = book(citizen, kecamatan, permit, wib(9))
    counter = make_counter(group, number=1)
    operator = make_operator(django_user_model, counter)
    with time_machine.travel(wib(8, 40), tick=False):
        walk_in = ticket_issue(
            office=kecamatan, service=permit, channel=TicketChannel.RECEPTION
        )
        ticket = booking_check_in(
            office=kecamatan, code=booking.code.lower(), nik=NIK_1
        )
    assert ticket.number == "A002"
    assert ticket.citizen == citizen
    assert (ticket.window_starts_at, ticket.window_ends_at) == (wib(8, 45), wib(10, 15))
    booking.refresh_from_db()
    assert (booking.status, booking.ticket) == (BookingStatus.CHECKED_IN, ticket)
    with time_machine.travel(wib(8, 50), tick=False):
        assert ticket_call_next(counter=counter, user=operator) == ticket
    walk_in.refresh_from_db()
    assert walk_in.status == TicketStatus.WAITING


def test_check_in_refusals(group, kecamatan, permit, citizen):
    booking = book(citizen, kecamatan, permit, wib(9))
    with time_machine.travel(wib(8, 40), tick=False), translation.override("en"):
        with pytest.raises(ApplicationError) as wrong_nik:
            booking_check_in(office=kecamatan, code=booking.code, nik=NIK_2)
        with pytest.raises(ApplicationError) as unknown:
            booking_check_in(office=kecamatan, code="BK-ZZZZZZ", nik=NIK_1)
    assert (
        wrong_nik.value.message
        == unknown.value.message
        == ("No booking at this office matches this code and NIK.")
    )
    with (
        time_machine.travel(wib(10, 16), tick=False),
        translation.override("en"),
        pytest.raises(ApplicationError) as late,
    ):
        booking_check_in(office=kecamatan, code=booking.code, nik=NIK_1)
    assert late.value.message == (
        "The booking window has passed. Please take a walk-in ticket."
    )


def test_cancelled_booking_frees_the_place(group, kecamatan, permit, citizen):
    booking = book(citizen, kecamatan, permit, wib(9), NIK_1)
    book(citizen, kecamatan, permit, wib(9), NIK_2)
    booking_cancel(booking=booking, citizen=citizen)
    assert book(citizen, kecamatan, permit, wib(9), NIK_3).status == "booked"
