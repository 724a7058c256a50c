"""The worker's side of the outbox: claim a row with a lease, render, send, record
the attempt, and schedule a retry in ``next_attempt_at`` (never a countdown)."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils import timezone

from .channels import SENDERS, PermanentFailure, TemporaryFailure
from .choices import DeliveryStatus
from .events import UnknownEvent, get_event
from .models import Notification, NotificationAttempt, NotificationTemplate
from .rendering import render_text
from .services import claimable
from .variables import context_decode

logger = logging.getLogger(__name__)

LEASE_EXPIRED = "Lease expired: the worker stopped before finishing."


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff after the ``attempt``-th failure (1-based):
    ``NOTIFICATIONS_RETRY_BASE_SECONDS * 2**(attempt-1)``, capped at
    ``NOTIFICATIONS_RETRY_CAP_SECONDS``."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    seconds = min(
        base * 2 ** max(attempt - 1, 0), settings.NOTIFICATIONS_RETRY_CAP_SECONDS
    )
    return timedelta(seconds=seconds)


def notification_claim(
    *, notification_id: int, worker: str = ""
) -> tuple[Notification, NotificationAttempt] | None:
    """Lease the row for ``NOTIFICATIONS_LEASE_SECONDS`` and open an attempt.

    Returns None when the row is not claimable: delivered, failed for good, not
    yet due, or leased by a live worker (``SKIP LOCKED`` on PostgreSQL also skips
    a row another worker is claiming this instant). An attempt left ``sending`` by
    a dead worker is closed as a temporary failure.
    """
    now = timezone.now()
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(claimable(now), pk=notification_id)
            .first()
        )
        if row is None:
            return None
        row.attempts.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.TEMPORARY_FAILURE,
            finished_at=now,
            error=LEASE_EXPIRED,
        )
        row.status = DeliveryStatus.SENDING
        row.attempt_count += 1
        row.leased_until = now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
        row.lease_token = uuid.uuid4()
        row.save(
            update_fields=[
                "status",
                "attempt_count",
                "leased_until",
                "lease_token",
                "updated_at",
            ]
        )
        attempt = NotificationAttempt.objects.create(
            notification=row, number=row.attempt_count, started_at=now, worker=worker
        )
    return row, attempt


def notification_render(notification: Notification) -> tuple[str, str]:
    """``(subject, body)`` in the notification's language: the admin's template for
    the event, channel and language, else the event's default. The subject is one
    line.

    Raises ``UnknownEvent`` and ``TemplateSyntaxError``.
    """
    event = get_event(notification.event)
    template = NotificationTemplate.objects.filter(
        event=notification.event,
        channel=notification.channel,
        language=notification.language,
    ).first()
    if template is not None:
        subject_source, body_source = template.subject, template.body
    else:
        subject_source, body_source = event.default_text(
            notification.channel, notification.language
        )
    context = context_decode(notification.context)
    subject = render_text(
        subject_source, context=context, language=notification.language
    )
    body = render_text(body_source, context=context, language=notification.language)
    return " ".join(subject.split())[:255], body.strip()


def notification_deliver(*, notification_id: int, worker: str = "") -> str | None:
    """Claim, render and send one notification; return the attempt's outcome, or
    None when there was nothing to claim. Safe to run twice and concurrently."""
    claimed = notification_claim(notification_id=notification_id, worker=worker)
    if claimed is None:
        return None
    row, attempt = claimed
    subject = body = error = ""
    try:
        subject, body = notification_render(row)
        SENDERS[row.channel](row, subject, body)
    except (PermanentFailure, UnknownEvent, TemplateSyntaxError, KeyError) as failure:
        outcome, error = DeliveryStatus.PERMANENT_FAILURE, str(failure)
    except TemporaryFailure as failure:
        outcome, error = DeliveryStatus.TEMPORARY_FAILURE, str(failure)
    except Exception as failure:  # unexpected: retried, bounded by the attempt cap
        logger.exception("Notification %s failed unexpectedly.", row.pk)
        outcome = DeliveryStatus.TEMPORARY_FAILURE
        error = f"{type(failure).__name__}: {failure}"
    else:
        outcome = DeliveryStatus.DELIVERED
    return _finish(
        row, attempt, outcome=outcome, subject=subject, body=body, error=error
    )


def _finish(
    row: Notification,
    attempt: NotificationAttempt,
    *,
    outcome: str,
    subject: str,
    body: str,
    error: str,
) -> str:
    now = timezone.now()
    fields: dict = {
        "leased_until": None,
        "lease_token": None,
        "last_error": error[:2000],
        "updated_at": now,
    }
    if outcome == DeliveryStatus.TEMPORARY_FAILURE and (
        row.attempt_count >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    ):
        outcome = DeliveryStatus.PERMANENT_FAILURE
        error = f"Gave up after {row.attempt_count} attempts. {error}"
        fields["last_error"] = error[:2000]
    if outcome == DeliveryStatus.DELIVERED:
        fields |= {
            "status": outcome,
            "delivered_at": now,
            "next_attempt_at": None,
            "subject": subject,
            "body": body,
        }
    elif outcome == DeliveryStatus.TEMPORARY_FAILURE:
        fields |= {
            "status": outcome,
            "next_attempt_at": now + retry_delay(row.attempt_count),
            "handed_off_at": None,
        }
    else:
        fields |= {"status": outcome, "next_attempt_at": None}
    with transaction.atomic():
        updated = Notification.objects.filter(
            pk=row.pk, lease_token=row.lease_token
        ).update(**fields)
        if not updated:
            # Our lease expired and another worker took the row over: it owns the
            # state now; this attempt is still recorded.
            logger.warning("Notification %s: lease lost before finishing.", row.pk)
        NotificationAttempt.objects.filter(pk=attempt.pk).update(
            status=outcome, finished_at=now, error=error[:2000]
        )
    return outcome
