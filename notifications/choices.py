"""Choices of the notifications app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a notification goes (*kanal*). SMS and WhatsApp come next, through the
    same outbox."""

    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("In-app inbox")


class DeliveryStatus(models.TextChoices):
    """State of a notification and of each delivery attempt (*status pengiriman*).

    A notification starts ``queued``; a worker claims it (``sending``) and ends the
    attempt ``delivered``, ``temporary_failure`` (retried with exponential backoff at
    ``next_attempt_at``) or ``permanent_failure`` (for example an invalid address: no
    retry). Attempts are never ``queued``.
    """

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    TEMPORARY_FAILURE = "temporary_failure", _("Temporary failure")
    PERMANENT_FAILURE = "permanent_failure", _("Permanent failure")
