"""One-time codes for contact verification and password reset."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import CodeChannel, CodePurpose
from audit.registry import audit_exempt


@audit_exempt(
    "One-time codes are short-lived secrets (stored as HMACs), not "
    "business changes; issuing and verifying them is audited by the services."
)
class OneTimeCode(models.Model):
    """A six-digit code sent to an e-mail address or phone (*kode sekali pakai*).

    Why not django-otp's e-mail device: it stores the token in clear, sends its own
    e-mail outside the notification outbox, and has one address per user, while a
    change of e-mail address must send the code to the new, not yet saved, address.
    This model keeps only an HMAC of the code (``accounts.services.codes``), its
    target ``address``, an expiry (``PTSP_OTP_VALID_MINUTES``) and a count of wrong
    tries (``PTSP_OTP_MAX_ATTEMPTS``); a newer code for the same purpose replaces
    older ones. Rows of a closed account are deleted with its personal data.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="one_time_codes",
        verbose_name=_("user"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=CodePurpose)
    channel = models.CharField(_("channel"), max_length=8, choices=CodeChannel)
    address = models.CharField(
        _("sent to"),
        max_length=254,
        help_text=_("The e-mail address or phone number the code was sent to."),
    )
    code_hash = models.CharField(_("code (HMAC)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [
            models.Index(
                fields=["user", "purpose", "-created_at"], name="code_latest_by_purpose"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="code_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"
