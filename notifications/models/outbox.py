"""The notification outbox (*kotak keluar notifikasi*), its delivery attempts and the
admin-editable templates."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedManager
from audit.registry import audit_exempt, audited
from notifications.choices import Channel, DeliveryStatus
from ptsp.models import TimeStampedModel

#: Rows a worker or the re-drive may still have to send.
OPEN_STATUSES = (
    DeliveryStatus.QUEUED,
    DeliveryStatus.SENDING,
    DeliveryStatus.TEMPORARY_FAILURE,
)


@audit_exempt(
    "Outbox of messages: delivery state, not a business change; the change that "
    "caused it is audited and each attempt is kept in NotificationAttempt."
)
class Notification(TimeStampedModel):
    """One message promised to one recipient on one channel (*notifikasi*).

    Written by ``notifications.services.notify`` in the transaction of the change
    that caused it (the transactional outbox), unique on (``event``, ``dedupe_key``,
    ``recipient``, ``channel``): the portal never creates a second row for the same
    event occurrence, recipient and channel. ``uuid`` is the stable idempotency key
    sent with every attempt (``Message-ID`` and ``X-Idempotency-Key`` headers), so a
    receiver can drop the duplicates that at-least-once delivery may produce.

    A message on an SMS or WhatsApp gateway is ``sent`` once the gateway accepts
    it (``provider_message_id`` is its reference there) and becomes ``delivered``
    or ``permanent_failure`` when the gateway's signed delivery report arrives.
    A permanent failure of a routed message writes a *fallback* row for the next
    channel in ``route``: it points back with ``fallback_of`` (at most one per
    failed row) and its ``uuid`` is derived from the failed row's
    (``uuid5(failed.uuid, channel)``), the same idempotency lineage.

    Scheduling lives in columns, never in Celery countdowns: ``next_attempt_at``
    (when the next attempt is due, aware UTC; null once final; the end of quiet
    hours for a held SMS or WhatsApp message), ``leased_until``
    (a worker's time-limited claim; a dead worker's claim expires) and
    ``handed_off_at`` (when a send task was last published, so the re-drive does
    not publish it again while it waits in the queue).
    """

    uuid = models.UUIDField(
        _("idempotency key"), default=uuid.uuid4, unique=True, editable=False
    )
    event = models.CharField(_("event"), max_length=64, editable=False)
    dedupe_key = models.CharField(
        _("event occurrence"),
        max_length=128,
        editable=False,
        help_text=_(
            "Identifies one occurrence of the event, e.g. an application and its "
            "version."
        ),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("recipient"),
        editable=False,
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel, editable=False
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        editable=False,
        help_text=_(
            "Language of the message sent out (the recipient's at the event). "
            "The in-app inbox shows each notice in the reader's current language."
        ),
    )
    context = models.JSONField(
        _("variables"),
        default=dict,
        editable=False,
        help_text=_(
            "The event's variables: with the event and channel they render the "
            "text again in any language."
        ),
    )
    address = models.CharField(
        _("address"),
        max_length=254,
        blank=True,
        editable=False,
        help_text=_(
            "E-mail address or phone number (+62…) at the time of the event; "
            "empty for in-app."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=DeliveryStatus,
        default=DeliveryStatus.QUEUED,
        editable=False,
    )
    generation = models.PositiveSmallIntegerField(
        _("resends"),
        default=0,
        editable=False,
        help_text=_("Bumped when an admin resends a delivered message on purpose."),
    )
    attempt_count = models.PositiveSmallIntegerField(
        _("attempts"), default=0, editable=False
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt at"), null=True, blank=True, default=timezone.now
    )
    handed_off_at = models.DateTimeField(
        _("handed to the broker at"), null=True, blank=True, editable=False
    )
    leased_until = models.DateTimeField(
        _("leased until"), null=True, blank=True, editable=False
    )
    lease_token = models.UUIDField(_("lease"), null=True, blank=True, editable=False)
    subject = models.CharField(
        _("subject"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("As sent, in the message's language."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        editable=False,
        help_text=_("As sent, in the message's language."),
    )
    delivered_at = models.DateTimeField(
        _("delivered at"), null=True, blank=True, editable=False
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    provider_message_id = models.CharField(
        _("gateway's message id"),
        max_length=128,
        blank=True,
        editable=False,
        help_text=_("The SMS or WhatsApp gateway's reference for this message."),
    )
    route = models.JSONField(
        _("fallback channels"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "Channels still to try, in order, if this one fails for good; empty "
            "when the caller named the channels."
        ),
    )
    fallback_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fallback",
        verbose_name=_("fallback of"),
        editable=False,
        help_text=_("The message that failed for good on another channel."),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        permissions = [("resend_notification", _("Can resend notifications"))]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "dedupe_key", "recipient", "channel"],
                name="notification_once_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(read_at__isnull=True) | Q(channel=Channel.IN_APP),
                name="notification_only_in_app_is_read",
            ),
            models.CheckConstraint(
                condition=Q(next_attempt_at__isnull=False)
                | ~Q(
                    status__in=[DeliveryStatus.QUEUED, DeliveryStatus.TEMPORARY_FAILURE]
                ),
                name="notification_open_has_next_attempt",
            ),
        ]
        indexes = [
            # The re-drive's scan: only open rows are indexed.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="notification_due",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["recipient", "channel", "-id"], name="notification_inbox"
            ),
            models.Index(fields=["event", "-id"], name="notification_by_event"),
            # Delivery reports that name only the gateway's reference.
            models.Index(
                fields=["channel", "provider_message_id"],
                name="notification_provider_ref",
                condition=~Q(provider_message_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id} ({self.channel})"

    @property
    def idempotency_key(self) -> str:
        """The stable key receivers use to drop duplicates: the row's UUID, with
        ``-<n>`` after the n-th deliberate resend of a delivered message."""
        return f"{self.uuid}-{self.generation}" if self.generation else str(self.uuid)


@audit_exempt(
    "Delivery log of the outbox: append-only record of send attempts, "
    "not a business change."
)
class NotificationAttempt(models.Model):
    """One try to deliver a notification (*percobaan pengiriman*).

    Created ``sending`` when a worker claims the notification and closed as
    ``delivered``, ``temporary_failure`` or ``permanent_failure``. An attempt whose
    worker died stays ``sending`` until the next claim closes it as a temporary
    failure ("lease expired").
    """

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("notification"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=DeliveryStatus,
        default=DeliveryStatus.SENDING,
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "number"], name="attempt_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.QUEUED),
                name="attempt_is_never_queued",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.status}"


@audited
class NotificationTemplate(TimeStampedModel):
    """The text of one event on one channel in one language (*templat notifikasi*),
    editable by admins.

    ``subject`` and ``body`` use the Django template language restricted to the
    event's declared variables and a short list of tags and filters (see
    ``notifications.rendering``). Rows are created from the defaults each event
    declares (``notifications.events``) after ``migrate``; an edited row is kept.
    """

    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(
        _("subject"),
        max_length=255,
        help_text=_("E-mail subject, or the title in the inbox."),
    )
    body = models.TextField(_("body"), help_text=_("Plain text."))

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"],
                name="template_once_per_event_channel_language",
            )
        ]
        ordering = ["event", "channel", "language"]

    def __str__(self) -> str:
        return f"{self.event} · {self.channel} · {self.language}"
