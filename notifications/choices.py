"""Choices of the notifications app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a notification goes (*kanal*).

    E-mail, SMS and WhatsApp are *message channels*: alternatives for the same
    message, tried in the order the recipient chose (``ContactPoint.channels``),
    each falling back to the next when it fails for good. The in-app inbox is
    always written besides.
    """

    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("In-app inbox")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


#: Channels that carry one message to the outside, in the default order of choice.
MESSAGE_CHANNELS: tuple[str, ...] = (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL)
#: Channels addressed to a phone number through an HTTP gateway.
PHONE_CHANNELS: tuple[str, ...] = (Channel.WHATSAPP, Channel.SMS)


class DeliveryStatus(models.TextChoices):
    """State of a notification and of each delivery attempt (*status pengiriman*).

    A notification starts ``queued``; a worker claims it (``sending``) and ends the
    attempt ``delivered``, ``sent`` (an SMS or WhatsApp gateway accepted it; its
    delivery report will say ``delivered`` or ``permanent_failure``),
    ``temporary_failure`` (retried with exponential backoff at
    ``next_attempt_at``) or ``permanent_failure`` (for example an invalid address:
    no retry; the message falls back to the recipient's next channel). Attempts
    are never ``queued``.
    """

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent to the gateway")
    DELIVERED = "delivered", _("Delivered")
    TEMPORARY_FAILURE = "temporary_failure", _("Temporary failure")
    PERMANENT_FAILURE = "permanent_failure", _("Permanent failure")


class CallbackKind(models.TextChoices):
    """What a gateway's callback reports (*laporan gateway*)."""

    STATUS = "status", _("Delivery status")
    INBOUND = "inbound", _("Inbound message")
