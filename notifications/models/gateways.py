"""The gateways' side: WhatsApp templates approved by the provider, WhatsApp
conversation windows, and the signed reports gateways send back."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedManager
from audit.registry import audit_exempt, audited
from notifications.choices import CallbackKind
from ptsp.models import TimeStampedModel


@audited
class WhatsAppTemplate(TimeStampedModel):
    """The provider's pre-approved WhatsApp template for one event in one language
    (*templat WhatsApp*).

    WhatsApp Business lets a business start a conversation only with a template
    the provider approved in advance; free text is allowed only within 24 hours
    of the citizen's last message (``WhatsAppConversation``). Admins copy here
    the template's ``name`` and language code from the provider and list, in
    ``parameters``, the event variables that fill ``{{1}}``, ``{{2}}``, … in
    order. Only ``is_active`` rows are used.
    """

    event = models.CharField(_("event"), max_length=64)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(
        _("template name at the provider"),
        max_length=512,
        validators=[
            RegexValidator(
                r"^[a-z0-9_]+$",
                _("Use lowercase letters, digits and underscores, as the provider."),
            )
        ],
    )
    provider_language = models.CharField(
        _("provider's language code"),
        max_length=16,
        help_text=_("As approved at the provider, e.g. id or en_US."),
    )
    parameters = models.JSONField(
        _("parameters in order"),
        default=list,
        blank=True,
        help_text=_("Event variables that fill {{1}}, {{2}}, … in this order."),
    )
    is_active = models.BooleanField(
        _("approved and in use"),
        default=True,
        help_text=_("Untick when the provider paused or rejected the template."),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("WhatsApp template")
        verbose_name_plural = _("WhatsApp templates")
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="whatsapp_template_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.language} → {self.name}"


@audit_exempt(
    "Provider conversation window (24 h) tracked from gateway reports: "
    "delivery state, not a business change."
)
class WhatsAppConversation(models.Model):
    """The customer-service window of one phone number (*jendela percakapan
    WhatsApp*): free text may be sent until ``window_closes_at``, 24 hours after
    the citizen's last message, as inbound messages or the gateway report."""

    phone = models.CharField(_("phone number"), max_length=16, unique=True)
    last_inbound_at = models.DateTimeField(_("last message from the citizen"))
    window_closes_at = models.DateTimeField(_("window closes at"))

    class Meta:
        verbose_name = _("WhatsApp conversation window")
        verbose_name_plural = _("WhatsApp conversation windows")

    def __str__(self) -> str:
        return self.phone


@audit_exempt(
    "Inbox of signed gateway delivery reports, stored once for idempotency: "
    "delivery state, not a business change."
)
class GatewayCallback(models.Model):
    """One signed report received from a gateway (*laporan gateway*).

    Unique on (``gateway``, ``event_id``): a report delivered twice, or replayed
    within the signature's tolerance, changes nothing the second time. A status
    report for a message still being sent waits (``applied_at`` null) until the
    sending worker has finished, then applies. ``payload`` keeps the report
    without any message text.
    """

    gateway = models.CharField(_("gateway"), max_length=16)
    event_id = models.CharField(_("report id"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=CallbackKind)
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name=_("notification"),
    )
    status = models.CharField(_("reported status"), max_length=24, blank=True)
    payload = models.JSONField(_("report"), default=dict)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("gateway report")
        verbose_name_plural = _("gateway reports")
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "event_id"], name="gateway_callback_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["notification", "received_at"], name="callback_by_notification"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.event_id} {self.status}"
