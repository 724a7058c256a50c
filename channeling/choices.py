"""Choices of the channeling app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistedStatus(models.TextChoices):
    """Where an assisted submission (*pengajuan berbantuan*) stands."""

    DRAFT = "draft", _("Being filled in")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Waiting for the code")
    CONFIRMED = "confirmed", _("Confirmed and submitted")
    CANCELLED = "cancelled", _("Cancelled")


class HandoverStatus(models.TextChoices):
    """Where a hand-over to BPJS's own system stands."""

    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent, waiting for BPJS")
    COMPLETED = "completed", _("Done by BPJS")
    REJECTED = "rejected", _("Refused by BPJS")
    FAILED = "failed", _("Could not be sent")
