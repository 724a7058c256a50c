"""Writes of the notifications app: the outbox, the hand-off to Celery, the re-drive,
resends and the inbox's read marks."""

import logging
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record

from .choices import Channel, DeliveryStatus
from .events import get_event
from .models import Notification
from .variables import context_encode

logger = logging.getLogger(__name__)


def notify(
    *,
    event: str,
    recipient,
    context: dict,
    channels: Sequence[str] | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Write one outbox row per channel for ``recipient`` and return them.

    Call it inside the transaction of the change that causes the event: the rows
    commit or roll back with it. After the commit each new row is handed to Celery
    (``notification_send_task``); if the broker is down the caller still succeeds
    and the periodic re-drive sends the row later.

    ``event`` is a registered event name (``notifications.events``); ``context``
    holds only its declared variables, as plain values (str, int, Decimal, date,
    aware datetime). ``channels`` defaults to the event's channels. ``dedupe_key``
    names the event occurrence (e.g. ``f"{application.pk}:{application.version}"``
    or a one-time-code challenge id): calling again with the same key, recipient
    and channel returns the existing row and sends nothing new. Empty means a new
    occurrence each call. The language is the recipient's ``preferred_language``.

    Raises ``UnknownEvent``, ``ValueError`` (an undeclared variable or unknown
    channel) and ``notifications.variables.UnsafeVariable`` (an object as value).
    """
    definition = get_event(event)
    undeclared = sorted(set(context) - set(definition.variables))
    if undeclared:
        raise ValueError(f"Event {event!r} does not declare variables {undeclared}.")
    chosen = tuple(definition.channels if channels is None else channels)
    unknown = sorted(set(chosen) - set(Channel.values))
    if unknown:
        raise ValueError(f"Unknown channels {unknown}.")
    stored = context_encode(context)
    occurrence = dedupe_key or uuid.uuid4().hex
    language = recipient.preferred_language
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    now = timezone.now()
    rows: list[Notification] = []
    new_ids: list[int] = []
    for channel in dict.fromkeys(chosen):
        key = {
            "event": event,
            "dedupe_key": occurrence,
            "recipient": recipient,
            "channel": channel,
        }
        try:
            # A savepoint: a duplicate (even from a concurrent transaction) is not
            # an error of the caller's change.
            with transaction.atomic():
                row = Notification.objects.create(
                    **key,
                    language=language,
                    context=stored,
                    address=recipient.email if channel == Channel.EMAIL else "",
                    next_attempt_at=now,
                    handed_off_at=now,
                )
        except IntegrityError:
            row = Notification.objects.filter(**key).first()
            if row is None:
                raise
        else:
            new_ids.append(row.pk)
        rows.append(row)
    if new_ids:
        transaction.on_commit(partial(notifications_hand_off, ids=new_ids), robust=True)
    return rows


# Monotonic time until which publishing is skipped after the broker failed, so that
# a burst of requests does not each wait for the connection timeout.
_publish_paused_until = 0.0


def notifications_hand_off(*, ids: Sequence[int], force: bool = False) -> int:
    """Publish one ``notification_send_task`` per id; return how many were published.

    Never raises: on a broker error it logs, leaves the rows ``queued`` for the
    re-drive (clearing ``handed_off_at`` so it need not wait) and skips publishing
    for ``NOTIFICATIONS_PUBLISH_PAUSE_SECONDS`` in this process (``force`` ignores
    that pause; the re-drive uses it).
    """
    global _publish_paused_until
    from .tasks import notification_send_task

    ids = list(ids)
    if not force and time.monotonic() < _publish_paused_until:
        _release(ids)
        return 0
    for index, pk in enumerate(ids):
        try:
            notification_send_task.apply_async((pk,), retry=False)
        except Exception:
            logger.warning(
                "Broker unavailable; %d notification(s) left for the re-drive.",
                len(ids) - index,
                exc_info=True,
            )
            _publish_paused_until = (
                time.monotonic() + settings.NOTIFICATIONS_PUBLISH_PAUSE_SECONDS
            )
            _release(ids[index:])
            return index
    return len(ids)


def _release(ids: list[int]) -> None:
    try:
        Notification.objects.filter(pk__in=ids).update(handed_off_at=None)
    except DatabaseError:  # the re-drive's grace period covers this case too
        logger.exception("Could not release notifications %s for the re-drive.", ids)


def claimable(now) -> Q:
    """Rows a worker may claim at ``now``: due and open, or leased by a worker whose
    lease has expired."""
    return Q(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.TEMPORARY_FAILURE],
        next_attempt_at__lte=now,
    ) | Q(status=DeliveryStatus.SENDING, leased_until__lt=now)


def notifications_redrive(*, limit: int | None = None) -> int:
    """Publish a send task for every claimable row not handed to the broker within
    ``NOTIFICATIONS_REDRIVE_GRACE_SECONDS``; return how many were published.

    Run every minute by beat (``CELERY_BEAT_SCHEDULE``). Picks rows whose publish
    failed, retries that are due (``next_attempt_at``) and rows of dead workers
    (expired ``leased_until``), oldest first, at most ``limit`` (default
    ``NOTIFICATIONS_REDRIVE_BATCH``). Concurrent re-drives skip each other's rows
    (``SKIP LOCKED`` on PostgreSQL).
    """
    limit = limit or settings.NOTIFICATIONS_REDRIVE_BATCH
    now = timezone.now()
    grace = timedelta(seconds=settings.NOTIFICATIONS_REDRIVE_GRACE_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(claimable(now))
            .filter(Q(handed_off_at__isnull=True) | Q(handed_off_at__lte=now - grace))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(handed_off_at=now)
    if ids:
        logger.info("Re-drive: handing %d notification(s) to the broker.", len(ids))
    return notifications_hand_off(ids=ids, force=True)


def _notification_resend(*, notification: Notification, reason: str = "") -> bool:
    """Queue ``notification`` again now; return False when it is already waiting.

    A delivered message gets a new idempotency key (``generation`` + 1): the
    resend is a deliberate second copy. A failed one keeps its key. The e-mail
    address is refreshed from the recipient (an admin may have corrected it).
    Writes a ``notification.resend`` audit entry; for callers already in a
    transaction (the admin). Raises ``AuditOutsideTransaction`` outside one.
    """
    row = Notification.objects.select_for_update().get(pk=notification.pk)
    if row.status in (DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
        return False
    before = row.status
    now = timezone.now()
    if row.status == DeliveryStatus.DELIVERED:
        row.generation += 1
    if row.channel == Channel.EMAIL:
        row.address = row.recipient.email
    row.status = DeliveryStatus.QUEUED
    row.next_attempt_at = now
    row.handed_off_at = now
    row.leased_until = None
    row.lease_token = None
    row.last_error = ""
    row.save(
        update_fields=[
            "generation",
            "address",
            "status",
            "next_attempt_at",
            "handed_off_at",
            "leased_until",
            "lease_token",
            "last_error",
            "updated_at",
        ]
    )
    audit_record(
        action="notification.resend",
        obj=row,
        changes={"status": [before, row.status], "generation": [None, row.generation]},
        reason=reason,
    )
    transaction.on_commit(partial(notifications_hand_off, ids=[row.pk]), robust=True)
    return True


@transaction.atomic(durable=True)
def notification_resend(*, notification: Notification, reason: str = "") -> bool:
    """Durable entry point of ``_notification_resend``."""
    return _notification_resend(notification=notification, reason=reason)


def inbox_mark_read(*, user, uuids: Sequence[uuid.UUID | str] | None = None) -> int:
    """Mark ``user``'s unread inbox notifications read (all of them when ``uuids``
    is None); return how many changed. Other users' notifications are never
    touched: their uuids match nothing here. Not audited: a read mark changes
    nothing but the reader's own view."""
    from .selectors import inbox_for

    rows = inbox_for(user=user).filter(read_at__isnull=True)
    if uuids is not None:
        rows = rows.filter(uuid__in=list(uuids))
    return rows.update(read_at=timezone.now())


def notification_templates_sync(*, reset: bool = False) -> int:
    """Create the missing ``NotificationTemplate`` rows from the events' defaults
    (every default channel, every language); return how many were written.

    ``reset`` also restores edited rows to the defaults. Runs after ``migrate``.
    """
    from .events import all_events
    from .models import NotificationTemplate

    wanted = {
        (event.name, channel, language): event.default_text(channel, language)
        for event in all_events()
        for channel in event.channels
        for language, _name in settings.LANGUAGES
    }
    if reset:
        for (event, channel, language), (subject, body) in wanted.items():
            NotificationTemplate.objects.update_or_create(
                event=event,
                channel=channel,
                language=language,
                defaults={"subject": subject, "body": body},
            )
        return len(wanted)
    existing = set(
        NotificationTemplate.objects.values_list("event", "channel", "language")
    )
    missing = [
        NotificationTemplate(
            event=event, channel=channel, language=language, subject=subject, body=body
        )
        for (event, channel, language), (subject, body) in wanted.items()
        if (event, channel, language) not in existing
    ]
    NotificationTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def context_preview(*, event: str) -> dict[str, Any]:
    """The event's sample variables, as a template sees them."""
    from .variables import context_decode

    return context_decode(context_encode(get_event(event).sample))
