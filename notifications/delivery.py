"""The worker's side of the outbox: claim a row with a lease, render, send, record
the attempt, and schedule a retry in ``next_attempt_at`` (never a countdown).
SMS and WhatsApp wait out quiet hours here too; a message that fails for good
falls back to the recipient's next channel."""

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils import timezone, translation

from .channels import SENDERS, PermanentFailure, TemporaryFailure
from .choices import DeliveryStatus
from .events import UnknownEvent, get_event
from .models import Notification, NotificationAttempt, NotificationTemplate
from .quiet import is_held, quiet_hours_end
from .rendering import render_text
from .services import _notification_fall_back, claimable
from .variables import context_decode

logger = logging.getLogger(__name__)

LEASE_EXPIRED = "Lease expired: the worker stopped before finishing."
REDACTED = "[redacted]"


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
    a dead worker is closed as a temporary failure. An SMS or WhatsApp message
    that becomes due in quiet hours (a retry, a fallback, a resend) is not
    claimed either: its ``next_attempt_at`` moves to the end of quiet hours.
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
        closed = row.attempts.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.TEMPORARY_FAILURE,
            finished_at=now,
            error=LEASE_EXPIRED,
        )
        held_until = _quiet_hours_hold(row, now)
        if held_until is not None:
            if row.status == DeliveryStatus.SENDING or closed:
                row.status = DeliveryStatus.TEMPORARY_FAILURE
            row.next_attempt_at = held_until
            row.handed_off_at = row.leased_until = row.lease_token = None
            row.save(
                update_fields=[
                    "status",
                    "next_attempt_at",
                    "handed_off_at",
                    "leased_until",
                    "lease_token",
                    "updated_at",
                ]
            )
            return None
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


def _quiet_hours_hold(row: Notification, now):
    try:
        urgent = get_event(row.event).urgent
    except UnknownEvent:
        urgent = False
    if not is_held(channel=row.channel, urgent=urgent):
        return None
    return quiet_hours_end(now)


_UNSET = object()


def notification_render(
    notification: Notification,
    *,
    redact: bool = False,
    language: str | None = None,
    template: NotificationTemplate | object | None = _UNSET,
) -> tuple[str, str]:
    """``(subject, body)`` of ``notification`` (its event, channel and stored
    variables) in ``language`` (default: the notification's own, the language
    of the message sent out): the admin's template for the event, channel and
    language, else the event's default. Bilingual variables (catalogue names,
    ``notifications.variables.BilingualText``) are shown in ``language`` too.
    The subject is one line. ``redact`` replaces the event's sensitive
    variables by ``[redacted]``. ``template`` passes the admin's template
    already read (``None``: there is none), so a page of notifications reads
    them in one query.

    Raises ``UnknownEvent`` and ``TemplateSyntaxError``.
    """
    language = language or notification.language
    event = get_event(notification.event)
    if template is _UNSET:
        template = NotificationTemplate.objects.filter(
            event=notification.event,
            channel=notification.channel,
            language=language,
        ).first()
    if template is not None:
        subject_source, body_source = template.subject, template.body
    else:
        subject_source, body_source = event.default_text(notification.channel, language)
    context = context_decode(notification.context, language=language)
    if redact:
        context |= {name: REDACTED for name in event.sensitive if name in context}
    subject = render_text(subject_source, context=context, language=language)
    body = render_text(body_source, context=context, language=language)
    return " ".join(subject.split())[:255], body.strip()


def display_language() -> str:
    """The active language as one of ``settings.LANGUAGES`` (``en-us`` gives
    ``en``), else the default ``LANGUAGE_CODE``."""
    available = dict(settings.LANGUAGES)
    language = translation.get_language() or settings.LANGUAGE_CODE
    for candidate in (language, language.split("-")[0]):
        if candidate in available:
            return candidate
    return settings.LANGUAGE_CODE


def notifications_for_display(
    notifications: Sequence[Notification], *, language: str | None = None
) -> list[Notification]:
    """Give each notification ``shown_subject`` and ``shown_body``: its text in
    ``language`` (default: the active one, i.e. the viewer's; not the one it
    was sent in),
    rendered from its event and stored variables with the admin's in-app
    template when there is one (read in one query for the whole page). A row
    whose event is no longer known or whose template cannot render keeps the
    text stored when it was delivered. Returns the same rows, in order."""
    language = language or display_language()
    rows = list(notifications)
    templates = {
        (t.event, t.channel): t
        for t in NotificationTemplate.objects.filter(
            event__in={row.event for row in rows},
            channel__in={row.channel for row in rows},
            language=language,
        )
    }
    for row in rows:
        try:
            row.shown_subject, row.shown_body = notification_render(
                row,
                language=language,
                template=templates.get((row.event, row.channel)),
            )
        except (UnknownEvent, TemplateSyntaxError, KeyError):
            row.shown_subject, row.shown_body = row.subject, row.body
    return rows


def notification_deliver(*, notification_id: int, worker: str = "") -> str | None:
    """Claim, render and send one notification; return the attempt's outcome, or
    None when there was nothing to claim. Safe to run twice and concurrently."""
    claimed = notification_claim(notification_id=notification_id, worker=worker)
    if claimed is None:
        return None
    row, attempt = claimed
    subject = body = error = ""
    reference = None
    try:
        subject, body = notification_render(row)
        reference = SENDERS[row.channel](row, subject, body)
    except (PermanentFailure, UnknownEvent, TemplateSyntaxError, KeyError) as failure:
        outcome, error = DeliveryStatus.PERMANENT_FAILURE, str(failure)
    except TemporaryFailure as failure:
        outcome, error = DeliveryStatus.TEMPORARY_FAILURE, str(failure)
    except Exception as failure:  # unexpected: retried, bounded by the attempt cap
        logger.exception("Notification %s failed unexpectedly.", row.pk)
        outcome = DeliveryStatus.TEMPORARY_FAILURE
        error = f"{type(failure).__name__}: {failure}"
    else:
        # A gateway only accepted it: its delivery report will tell the rest.
        outcome = DeliveryStatus.DELIVERED if reference is None else DeliveryStatus.SENT
    return _finish(
        row,
        attempt,
        outcome=outcome,
        subject=subject,
        body=body,
        error=error,
        reference=reference or "",
    )


def _finish(
    row: Notification,
    attempt: NotificationAttempt,
    *,
    outcome: str,
    subject: str,
    body: str,
    error: str,
    reference: str = "",
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
    elif outcome == DeliveryStatus.SENT:
        fields |= {
            "status": outcome,
            "next_attempt_at": None,
            "subject": subject,
            "body": body,
            "provider_message_id": reference[:128],
        }
    elif outcome == DeliveryStatus.TEMPORARY_FAILURE:
        fields |= {
            "status": outcome,
            "next_attempt_at": now + retry_delay(row.attempt_count),
            "handed_off_at": None,
        }
    else:
        fields |= {"status": outcome, "next_attempt_at": None}
    if outcome != DeliveryStatus.TEMPORARY_FAILURE:
        fields |= _redactions(row)
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
        if updated and outcome == DeliveryStatus.PERMANENT_FAILURE:
            # ``row`` still holds the unredacted variables the fallback needs.
            _notification_fall_back(failed=row)
        elif updated and outcome == DeliveryStatus.SENT:
            from .callbacks import callbacks_apply_pending

            callbacks_apply_pending(notification_id=row.pk)
    return outcome


def _redactions(row: Notification) -> dict:
    """Once a notification is final, its sensitive variables (a one-time code, a
    sign-in link) leave the database: the stored context and text keep
    ``[redacted]`` in their place, so that no admin can read them in the log."""
    try:
        event = get_event(row.event)
    except UnknownEvent:
        return {}
    if not event.sensitive:
        return {}
    context = dict(row.context)
    context |= {name: REDACTED for name in event.sensitive if name in context}
    try:
        subject, body = notification_render(row, redact=True)
    except TemplateSyntaxError:
        subject = body = ""
    return {"context": context, "subject": subject, "body": body}
