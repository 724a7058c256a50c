"""Celery tasks: thin, by id, safe to run twice."""

from celery import shared_task

from audit.context import audit_actor

from .delivery import notification_deliver
from .services import notifications_redrive


@shared_task(bind=True, ignore_result=True)
def notification_send_task(self, notification_id: int) -> None:
    """Deliver one notification. A duplicate or stale message finds the row
    delivered, leased or not yet due and returns without sending."""
    with audit_actor(system="system:notification_send_task"):
        notification_deliver(
            notification_id=notification_id, worker=self.request.hostname or ""
        )


@shared_task(ignore_result=True)
def notifications_redrive_task() -> None:
    """Hand pending, due and abandoned notifications to the broker (beat, every
    minute)."""
    with audit_actor(system="system:notifications_redrive_task"):
        notifications_redrive()
