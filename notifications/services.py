"""Writes of the notifications app: the outbox, the hand-off to Celery, the re-drive,
resends and the inbox's read marks."""

import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record

from .choices import MESSAGE_CHANNELS, PHONE_CHANNELS, Channel, DeliveryStatus
from .events import get_event
from .models import Notification
from .quiet import release_at
from .routing import channel_address, contact_for, message_route
from .variables import context_encode

logger = logging.getLogger(__name__)


def notify(
    *,
    event: str,
    recipient,
    context: dict,
    channels: Sequence[str] | None = None,
    dedupe_key: str = "",
    to: Mapping[str, str] | None = None,
) -> list[Notification]:
    """Write the outbox rows of one event for ``recipient`` and return them.

    Call it inside the transaction of the change that causes the event: the rows
    commit or roll back with it. After the commit each row that is due is handed
    to Celery (``notification_send_task``); if the broker is down the caller
    still succeeds and the periodic re-drive sends the row later.

    ``event`` is a registered event name (``notifications.events``); ``context``
    holds only its declared variables, as plain values (str, int, Decimal, date,
    aware datetime, and ``BilingualText.of(model)`` for a catalogue name, shown
    in the reader's language). ``dedupe_key`` names the event occurrence (e.g.
    ``f"{application.pk}:{application.version}"`` or a one-time-code challenge
    id): calling again with the same key returns the existing rows and sends
    nothing new. Empty means a new occurrence each call. The language is the
    recipient's ``preferred_language``.

    ``channels=None`` (the usual call): the inbox row when the event declares
    one, and *one* message on the recipient's first reachable channel in their
    order (``notifications.routing.message_route``); the rest of that order is
    the fallback ``route`` taken if the channel fails for good. Explicit
    ``channels`` write exactly those rows, without fallback. ``to`` overrides the
    address per channel, e.g. ``{"sms": "+6281234567890"}`` for a code sent to
    a number that is not verified yet; otherwise SMS and WhatsApp go to the
    recipient's verified phone (``ContactPoint``). SMS and WhatsApp messages
    of events that are not ``urgent`` wait for the end of quiet hours
    (``notifications.quiet``).

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
    # One query for the contact point, only when a phone or a route needs it.
    needs_contact = channels is None or bool(set(chosen) & set(PHONE_CHANNELS))
    contact = contact_for(recipient) if needs_contact else None
    plan: list[tuple[str, list[str]]] = []
    if channels is None:
        route = message_route(recipient=recipient, event=definition, contact=contact)
        for channel in dict.fromkeys(chosen):
            if channel not in MESSAGE_CHANNELS:
                plan.append((channel, []))
            elif route:
                plan.append((route[0], route[1:]))
                route = []  # one message per occurrence
    else:
        plan = [(channel, []) for channel in dict.fromkeys(chosen)]
    now = timezone.now()
    rows: list[Notification] = []
    new_ids: list[int] = []
    for channel, rest in plan:
        key = {
            "event": event,
            "dedupe_key": occurrence,
            "recipient": recipient,
            "channel": channel,
        }
        if channels is None and channel in MESSAGE_CHANNELS and dedupe_key:
            # The occurrence already has its message (perhaps on another channel,
            # when the recipient's order changed since): never a second one.
            existing = (
                Notification.objects.filter(
                    event=event,
                    dedupe_key=occurrence,
                    recipient=recipient,
                    channel__in=MESSAGE_CHANNELS,
                    fallback_of__isnull=True,
                )
                .order_by("pk")
                .first()
            )
            if existing is not None:
                rows.append(existing)
                continue
        address = (to or {}).get(channel) or channel_address(
            recipient=recipient, channel=channel, contact=contact
        )
        due = release_at(channel=channel, urgent=definition.urgent, now=now)
        try:
            # A savepoint: a duplicate (even from a concurrent transaction) is not
            # an error of the caller's change.
            with transaction.atomic():
                row = Notification.objects.create(
                    **key,
                    language=language,
                    context=stored,
                    address=address,
                    route=rest,
                    next_attempt_at=due,
                    handed_off_at=now if due <= now else None,
                )
        except IntegrityError:
            row = Notification.objects.filter(**key).first()
            if row is None:
                raise
        else:
            if due <= now:
                new_ids.append(row.pk)
        rows.append(row)
    if new_ids:
        transaction.on_commit(partial(notifications_hand_off, ids=new_ids), robust=True)
    return rows


def _notification_fall_back(*, failed: Notification) -> Notification | None:
    """Write the message again on the next channel of ``failed.route`` that
    still reaches the recipient and has no row for this occurrence yet; return
    it, or None when the route is exhausted.

    For callers in a transaction that hold ``failed``'s row lock (the worker
    finishing an attempt, a delivery report). ``failed`` must carry its
    unredacted ``context``. The new row links back (``fallback_of``, at most one
    per failed row), keeps the event, occurrence, language and variables, and
    takes ``uuid5(failed.uuid, channel)`` as its key, so writing it twice is
    impossible. After the commit it is handed to Celery (quiet hours apply).
    """
    if not failed.route:
        return None
    existing = Notification.objects.filter(fallback_of=failed).first()
    if existing is not None:
        return existing
    definition = get_event(failed.event)
    recipient = failed.recipient
    contact = contact_for(recipient)
    now = timezone.now()
    for index, channel in enumerate(failed.route):
        address = channel_address(recipient=recipient, channel=channel, contact=contact)
        if not address and channel != Channel.EMAIL:
            continue  # the phone was removed or not verified since
        taken = Notification.objects.filter(
            event=failed.event,
            dedupe_key=failed.dedupe_key,
            recipient=recipient,
            channel=channel,
        ).exists()
        if taken:
            continue
        due = release_at(channel=channel, urgent=definition.urgent, now=now)
        row = Notification.objects.create(
            uuid=uuid.uuid5(failed.uuid, channel),
            event=failed.event,
            dedupe_key=failed.dedupe_key,
            recipient=recipient,
            channel=channel,
            language=failed.language,
            context=failed.context,
            address=address,
            route=failed.route[index + 1 :],
            fallback_of=failed,
            next_attempt_at=due,
            handed_off_at=now if due <= now else None,
        )
        logger.info(
            "Notification %s failed on %s; falling back to %s (%s).",
            failed.pk,
            failed.channel,
            channel,
            row.pk,
        )
        if due <= now:
            transaction.on_commit(
                partial(notifications_hand_off, ids=[row.pk]), robust=True
            )
        return row
    return None


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
    """Queue ``notification`` again now; return False when it is already waiting
    or carries a sensitive variable (a one-time code is never resent).

    A delivered (or sent) message gets a new idempotency key (``generation`` +
    1): the resend is a deliberate second copy. A failed one keeps its key. The
    address is refreshed from the recipient's e-mail address or verified phone
    (an admin may have corrected it).
    Writes a ``notification.resend`` audit entry; for callers already in a
    transaction (the admin). Raises ``AuditOutsideTransaction`` outside one.
    """
    row = Notification.objects.select_for_update().get(pk=notification.pk)
    if row.status in (DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
        return False
    if get_event(row.event).sensitive:
        # A one-time code or sign-in link is redacted once sent and expires
        # anyway: the user asks for a new one instead.
        return False
    before = row.status
    now = timezone.now()
    if row.status in (DeliveryStatus.DELIVERED, DeliveryStatus.SENT):
        row.generation += 1
    if row.channel == Channel.EMAIL:
        row.address = row.recipient.email
    elif row.channel in PHONE_CHANNELS:
        row.address = channel_address(
            recipient=row.recipient,
            channel=row.channel,
            contact=contact_for(row.recipient),
        )
    row.provider_message_id = ""
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
            "provider_message_id",
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
    (every channel an event may take, every language); return how many were
    written.

    ``reset`` also restores edited rows to the defaults. Runs after ``migrate``.
    """
    from .events import all_events
    from .models import NotificationTemplate

    wanted = {
        (event.name, channel, language): event.default_text(channel, language)
        for event in all_events()
        for channel in event.text_channels
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


def context_preview(*, event: str, language: str | None = None) -> dict[str, Any]:
    """The event's sample variables, as a template sees them in ``language``
    (bilingual names as text in it; ``None`` keeps them ``BilingualText``)."""
    from .variables import context_decode

    return context_decode(context_encode(get_event(event).sample), language=language)
