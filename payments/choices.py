"""Choices of the payments app. Values are stable: the API and the gateway
protocol (``docs/payments.md``) use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeRuleKind(models.TextChoices):
    """How the portal bills a service (from the catalogue ``fee.type``)."""

    FREE = "free", _("Free of charge")
    FIXED = "fixed", _("Fixed levy")
    PBG = "pbg", _("Building approval levy computed from floor area and indices")
    NOT_BILLED = "not_billed", _("Billed by another system (shown, not billed)")


class RuleStatus(models.TextChoices):
    ASSUMED = "assumed", _("Assumed (placeholder, not yet confirmed)")
    CONFIRMED = "confirmed", _("Confirmed by an administrator")


class BuildingFunction(models.TextChoices):
    """Building function (*fungsi bangunan gedung*, PP 16/2021 art. 4)."""

    RESIDENTIAL = "residential", _("Residential (hunian)")
    RELIGIOUS = "religious", _("Religious (keagamaan)")
    BUSINESS = "business", _("Business (usaha)")
    SOCIAL_CULTURAL = "social_cultural", _("Social and cultural (sosial budaya)")
    SPECIAL = "special", _("Special (khusus)")
    MIXED = "mixed", _("Mixed (campuran)")


class BillStatus(models.TextChoices):
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentChannel(models.TextChoices):
    GATEWAY = "gateway", _("Payment gateway")
    MANUAL = "manual", _("Confirmed manually by an officer")


class CallbackOutcome(models.TextChoices):
    """What became of one gateway callback attempt."""

    ACCEPTED = "accepted", _("Accepted: the bill is paid")
    DUPLICATE = "duplicate", _("Replay of an accepted transaction: nothing changed")
    BAD_SIGNATURE = "bad_signature", _("Refused: signature missing or wrong")
    MALFORMED = "malformed", _("Refused: not a valid message")
    UNKNOWN_BILL = "unknown_bill", _("Refused: unknown billing code")
    AMOUNT_MISMATCH = "amount_mismatch", _("Refused: the amount does not match")
    LATE = "late", _("Refused: the bill had expired or was cancelled")
    ALREADY_PAID = "already_paid", _("Refused: the bill was already paid")
    CONFLICT = "conflict", _("Refused: transaction id reused for other data")


class RefundReason(models.TextChoices):
    OVERPAYMENT = "overpayment", _("Overpayment")
    CANCELLED = "cancelled", _("Application cancelled or rejected")
    OTHER = "other", _("Other")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
