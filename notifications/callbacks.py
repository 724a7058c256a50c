"""Reports from the SMS and WhatsApp gateways: delivery status and inbound
messages. Each report is stored once (``GatewayCallback``, unique per gateway and
report id), so a report delivered twice or replayed changes nothing more."""

import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .channels import WHATSAPP_WINDOW
from .choices import CallbackKind, Channel, DeliveryStatus
from .events import UnknownEvent, get_event
from .gateways import CallbackReport
from .models import (
    GatewayCallback,
    Notification,
    NotificationAttempt,
    WhatsAppConversation,
)
from .phones import phone_normalise

logger = logging.getLogger(__name__)

DUPLICATE = "duplicate"
PENDING = "pending"


class UnknownMessage(LookupError):
    """A status report names no message this gateway sent for us."""


@transaction.atomic(durable=True)
def gateway_callback_receive(*, gateway: str, report: CallbackReport) -> str:
    """Record ``report`` from ``gateway`` (``sms`` or ``whatsapp``) and apply it;
    return the outcome (``duplicate``, ``pending``, ``window opened`` or what
    the status did).

    A status report finds its notification by ``reference`` (our idempotency
    key) or the gateway's ``message_id``, on that gateway's channel only.
    ``delivered``/``read`` make it ``delivered``; ``failed`` makes an open or
    sent message ``permanent_failure`` and falls back to the next channel;
    ``sent`` changes nothing. A report about a message whose worker has not
    finished yet waits and is applied when it finishes. An inbound WhatsApp
    message (or a report with ``window_closes_at``) opens the conversation
    window for free text.

    Raises ``UnknownMessage`` (nothing is stored) when no notification matches.
    """
    now = timezone.now()
    notification = None
    if report.kind == CallbackKind.STATUS:
        notification = _find(gateway=gateway, report=report)
        if notification is None:
            raise UnknownMessage(report.reference or report.message_id)
    try:
        with transaction.atomic():
            callback = GatewayCallback.objects.create(
                gateway=gateway,
                event_id=report.event_id,
                kind=report.kind,
                notification=notification,
                status=report.status,
                payload=report.payload,
                received_at=now,
            )
    except IntegrityError:
        return DUPLICATE
    if report.kind == CallbackKind.INBOUND:
        _window_open(
            phone=report.phone,
            at=report.occurred_at or now,
            closes=report.window_closes_at,
        )
        outcome = "window opened"
    else:
        if gateway == Channel.WHATSAPP and report.window_closes_at:
            _window_open(
                phone=notification.address,
                at=None,
                closes=report.window_closes_at,
            )
        if notification.status == DeliveryStatus.SENDING:
            outcome = PENDING  # applied by the worker when it finishes
        else:
            outcome = _apply(notification, callback, now=now)
    if outcome != PENDING:
        callback.applied_at = now
    callback.outcome = outcome[:64]
    callback.save(update_fields=["applied_at", "outcome"])
    return outcome


def callbacks_apply_pending(*, notification_id: int) -> int:
    """Apply the reports that arrived while ``notification_id`` was being sent;
    return how many. For the worker's transaction that just finished sending."""
    row = Notification.objects.select_for_update().get(pk=notification_id)
    now = timezone.now()
    pending = list(
        GatewayCallback.objects.filter(
            notification=row, applied_at__isnull=True, kind=CallbackKind.STATUS
        ).order_by("received_at", "pk")
    )
    for callback in pending:
        callback.outcome = _apply(row, callback, now=now)[:64]
        callback.applied_at = now
        callback.save(update_fields=["outcome", "applied_at"])
    return len(pending)


def _find(*, gateway: str, report: CallbackReport) -> Notification | None:
    rows = Notification.objects.select_for_update().filter(channel=gateway)
    if report.reference:
        try:
            key = uuid.UUID(report.reference[:36])
        except ValueError:
            return None
        row = rows.filter(uuid=key).first()
        if row is not None and row.idempotency_key == report.reference:
            return row
        if row is not None:
            return None  # a report about an earlier copy, before a resend
    if report.message_id:
        return rows.filter(provider_message_id=report.message_id).first()
    return None


def _apply(row: Notification, callback: GatewayCallback, *, now) -> str:
    """Apply one status report to the locked ``row``; return what it did."""
    from .delivery import _redactions
    from .services import _notification_fall_back

    status = callback.status
    payload_error = callback.payload.get("error") or {}
    if status in ("delivered", "read"):
        if row.status == DeliveryStatus.DELIVERED:
            return "already delivered"
        before = row.status
        row.status = DeliveryStatus.DELIVERED
        row.delivered_at = now
        row.next_attempt_at = None
        row.leased_until = row.lease_token = None
        row.last_error = ""
        fields = [
            "status",
            "delivered_at",
            "next_attempt_at",
            "leased_until",
            "lease_token",
            "last_error",
            "updated_at",
        ]
        if before != DeliveryStatus.SENT:  # a retry was pending: not redacted yet
            for name, value in _redactions(row).items():
                setattr(row, name, value)
                fields.append(name)
        row.save(update_fields=fields)
        _attempt_close(row, DeliveryStatus.DELIVERED, "")
        return "delivered"
    if status == "failed":
        if row.status in (DeliveryStatus.DELIVERED, DeliveryStatus.PERMANENT_FAILURE):
            return f"ignored: already {row.status}"
        error = "Gateway reported failure: {} {}".format(
            payload_error.get("code", ""), payload_error.get("message", "")
        ).strip()
        before = row.status
        row.status = DeliveryStatus.PERMANENT_FAILURE
        row.next_attempt_at = None
        row.leased_until = row.lease_token = None
        row.last_error = error[:2000]
        row.save(
            update_fields=[
                "status",
                "next_attempt_at",
                "leased_until",
                "lease_token",
                "last_error",
                "updated_at",
            ]
        )
        _attempt_close(row, DeliveryStatus.PERMANENT_FAILURE, error)
        if before != DeliveryStatus.SENT or not _sensitive(row):
            # A one-time code already handed to a gateway is redacted and is
            # never sent again elsewhere: the citizen asks for a new one.
            fallback = _notification_fall_back(failed=row)
            if before != DeliveryStatus.SENT:
                redacted = _redactions(row)
                if redacted:
                    Notification.objects.filter(pk=row.pk).update(**redacted)
            if fallback is not None:
                return f"failed; fallback {fallback.channel}"
        return "failed"
    return "no change"


def _sensitive(row: Notification) -> bool:
    try:
        return bool(get_event(row.event).sensitive)
    except UnknownEvent:
        return False


def _attempt_close(row: Notification, status: str, error: str) -> None:
    """The last attempt handed the message over; the report tells how it ended."""
    NotificationAttempt.objects.filter(
        notification=row,
        number=row.attempt_count,
        status__in=[DeliveryStatus.SENT, DeliveryStatus.TEMPORARY_FAILURE],
    ).update(status=status, error=error[:2000])


def _window_open(*, phone: str, at, closes) -> None:
    """Open (or extend) the WhatsApp window of ``phone`` until ``closes``, else
    24 hours after ``at``. Never shortens a window."""
    try:
        phone = phone_normalise(phone)
    except ValidationError:
        logger.warning("Inbound report from an unusable number ignored.")
        return
    closes = closes or (at + WHATSAPP_WINDOW if at else None)
    if closes is None:
        return
    conversation, created = (
        WhatsAppConversation.objects.select_for_update().get_or_create(
            phone=phone,
            defaults={
                "last_inbound_at": at or closes - WHATSAPP_WINDOW,
                "window_closes_at": closes,
            },
        )
    )
    if created:
        return
    if at is not None and at > conversation.last_inbound_at:
        conversation.last_inbound_at = at
    conversation.window_closes_at = max(conversation.window_closes_at, closes)
    conversation.save(update_fields=["last_inbound_at", "window_closes_at"])
