"""Celery tasks of the queue: thin, by id, safe to run twice."""

from celery import shared_task

from audit.context import audit_actor

from .models import ServiceGroup
from .services import bookings_remind, queue_close_past_days, tickets_notify_turn_near


@shared_task(ignore_result=True)
def queue_turn_near_task(group_id: int) -> None:
    """Notify the accounts whose turn in ``group_id``'s line is near; enqueued
    after each call and transfer commits. Each ticket is notified once."""
    group = ServiceGroup.objects.filter(pk=group_id).first()
    if group is None:
        return
    with audit_actor(system="system:queue_turn_near_task"):
        tickets_notify_turn_near(group=group)


@shared_task(ignore_result=True)
def queue_close_day_task() -> None:
    """End of day (beat, 00:05 WIB): expire what was never called, close
    bookings nobody used. A second run finds nothing to do."""
    with audit_actor(system="system:queue_close_day_task"):
        queue_close_past_days()


@shared_task(ignore_result=True)
def queue_booking_reminders_task() -> None:
    """Remind citizens of tomorrow's bookings (beat, every 15 minutes)."""
    with audit_actor(system="system:queue_booking_reminders_task"):
        bookings_remind()
