"""Where a user may be reached besides e-mail: a verified phone number and the
message channels in the order they chose."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedManager
from audit.registry import audit_exempt, audited
from notifications.phones import validate_phone
from ptsp.models import TimeStampedModel


@audited(personal=("phone",))
class ContactPoint(TimeStampedModel):
    """A user's phone number and channel choice (*kontak dan saluran notifikasi*).

    ``phone`` is an Indonesian mobile number in E.164 (``+628…``); SMS and
    WhatsApp use it only once ``phone_verified_at`` is set, by a one-time code
    (``notifications.contacts.phone_verification_confirm``). A new number starts
    unverified. ``channels`` lists the message channels the user allows, in
    order of preference (``whatsapp``, ``sms``, ``email``); empty means "the
    event's default channels" (e-mail for most events). One row per user,
    created on first use.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_point",
        verbose_name=_("user"),
    )
    phone = models.CharField(
        _("mobile phone number"),
        max_length=16,
        blank=True,
        validators=[validate_phone],
        help_text=_("International form, e.g. +6281234567890."),
    )
    phone_verified_at = models.DateTimeField(
        _("phone number verified at"), null=True, blank=True, editable=False
    )
    channels = models.JSONField(
        _("channels in order of preference"),
        default=list,
        blank=True,
        help_text=_("Message channels the user allows, first choice first."),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone_verified_at__isnull=True) | ~Q(phone=""),
                name="contact_verified_phone_is_not_empty",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def verified_phone(self) -> str:
        """The phone number when verified, else ``""``."""
        return self.phone if self.phone and self.phone_verified_at else ""


@audit_exempt(
    "Short-lived phone verification codes (hashed): secrets, not business "
    "changes; the verified phone is audited on its ContactPoint."
)
class PhoneVerification(models.Model):
    """A one-time code sent by SMS to prove a phone number (*verifikasi nomor
    ponsel*).

    Only an HMAC of the code is stored. It expires after
    ``NOTIFICATIONS_PHONE_CODE_VALID_MINUTES``, accepts at most
    ``NOTIFICATIONS_PHONE_CODE_MAX_ATTEMPTS`` wrong tries, and a newer code for
    the same user replaces it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="phone_verifications",
        verbose_name=_("user"),
    )
    phone = models.CharField(_("phone number"), max_length=16)
    code_hash = models.CharField(_("code (HMAC)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="phone_code_by_user"),
            models.Index(fields=["phone", "-created_at"], name="phone_code_by_phone"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="phone_code_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"
