"""End of day and notifications: tickets never called expire (safe to run twice),
bookings nobody used become no-shows, citizens hear when their turn is near."""

import datetime as dt

from django.utils import timezone

import pytest
import time_machine

from audit.models import AuditEntry
from notifications.models import Notification
from queueing.choices import BookingStatus, TicketChannel, TicketStatus
from queueing.models import Booking, QueueTicket
from queueing.services import (
    ticket_call_next,
    ticket_issue,
    ticket_park,
    ticket_start,
)
from queueing.tasks import (
    queue_booking_reminders_task,
    queue_close_day_task,
    queue_turn_near_task,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MONDAY_NOON_WIB = dt.datetime(2026, 5, 4, 5, tzinfo=UTC)


def issue(office, service, **kwargs):
    return ticket_issue(
        office=office, service=service, channel=TicketChannel.RECEPTION, **kwargs
    )


def test_close_day_expires_what_was_never_called_and_is_idempotent(
    office, group_a, permit, counter_1, counter_2, operator, operator_2
):
    with time_machine.travel(MONDAY_NOON_WIB, tick=False):
        waiting = issue(office, permit)
        called = issue(office, permit)
        serving = issue(office, permit)
        parked = issue(office, permit)
        # counter 1 parks A001... then calls A002 and leaves it called
        assert ticket_call_next(counter=counter_1, user=operator) == waiting
        ticket_park(counter=counter_1, user=operator)
        assert ticket_call_next(counter=counter_1, user=operator) == called
        assert ticket_call_next(counter=counter_2, user=operator_2) == serving
        ticket_start(counter=counter_2, user=operator_2)
        QueueTicket.objects.filter(pk=waiting.pk).audited_update(
            action="test.arrange", status=TicketStatus.WAITING
        )
        QueueTicket.objects.filter(pk=parked.pk).audited_update(
            action="test.arrange", status=TicketStatus.PARKED, counter=counter_1
        )
        queue_close_day_task()  # same day: nothing to close yet
    assert QueueTicket.objects.filter(status=TicketStatus.EXPIRED).count() == 0

    with time_machine.travel(dt.datetime(2026, 5, 4, 17, 5, tzinfo=UTC), tick=False):
        queue_close_day_task()  # 00:05 WIB on the 5th
        entries = AuditEntry.objects.filter(action="queue.tickets_close_day").count()
        queue_close_day_task()  # a second run finds nothing
    statuses = dict(QueueTicket.objects.values_list("number", "status"))
    assert statuses == {
        waiting.number: TicketStatus.EXPIRED,
        called.number: TicketStatus.MISSED,
        serving.number: TicketStatus.DONE,
        parked.number: TicketStatus.EXPIRED,
    }
    assert entries == 4  # one per former state: waiting, parked, called, serving
    assert AuditEntry.objects.filter(action="queue.tickets_close_day").count() == 4


def test_close_day_makes_unused_bookings_no_shows(office, group_a, permit, citizen):
    start = dt.datetime(2026, 5, 4, 2, tzinfo=UTC)
    booking = Booking.objects.create(
        code="BK-UJI001",
        office=office,
        group=group_a,
        service=permit,
        citizen=citizen,
        nik_hash="x" * 64,
        local_date=dt.date(2026, 5, 4),
        slot_starts_at=start,
        slot_ends_at=start + dt.timedelta(minutes=30),
    )
    with time_machine.travel(dt.datetime(2026, 5, 5, 1, tzinfo=UTC), tick=False):
        queue_close_day_task()
        queue_close_day_task()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    assert AuditEntry.objects.filter(action="queue.bookings_no_show").count() == 1


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="warga", password="kata-sandi-warga-2026", email="warga@example.org"
    )


def test_turn_near_notifies_each_account_once(
    office,
    group_a,
    permit,
    counter_1,
    operator,
    citizen,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.QUEUE_TURN_NEAR_AHEAD = 2
    for _ in range(3):
        issue(office, permit)
    mine = issue(office, permit, citizen=citizen)  # 3 before it
    queue_turn_near_task(group_a.pk)
    assert not Notification.objects.filter(event="queue.turn_near").exists()

    with django_capture_on_commit_callbacks() as callbacks:
        ticket_call_next(counter=counter_1, user=operator)  # 2 before it now
    assert len(callbacks) == 1  # the turn-near check waits for the commit
    queue_turn_near_task(group_a.pk)
    queue_turn_near_task(group_a.pk)
    notes = Notification.objects.filter(event="queue.turn_near", recipient=citizen)
    assert notes.count() == 1
    assert notes.get().context["ahead"] == 2
    mine.refresh_from_db()
    assert mine.turn_near_notified_at is not None


def test_calling_a_citizen_s_ticket_notifies_them(
    office, group_a, permit, counter_1, operator, citizen
):
    issue(office, permit, citizen=citizen)
    ticket_call_next(counter=counter_1, user=operator)
    note = Notification.objects.get(event="queue.ticket_called")
    assert note.context["ticket_number"] == "A001"
    assert note.context["counter"] == "Loket 1"
    assert note.context["office"] == {
        "$text": {"id": office.name, "en": office.name_en}
    }


def test_booking_reminders_once(office, group_a, permit, citizen):
    now = timezone.now()
    Booking.objects.create(
        code="BK-UJI002",
        office=office,
        group=group_a,
        service=permit,
        citizen=citizen,
        nik_hash="y" * 64,
        local_date=timezone.localdate(),
        slot_starts_at=now + dt.timedelta(hours=3),
        slot_ends_at=now + dt.timedelta(hours=3, minutes=30),
    )
    queue_booking_reminders_task()
    sent = Notification.objects.filter(event="appointment.reminder")
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "in_app"]
    version = permit.current_version
    assert sent.first().context["service"] == {
        "$text": {"id": version.name, "en": version.name_en}
    }
    queue_booking_reminders_task()
    assert sent.count() == 2
