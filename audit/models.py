"""The audit trail (*jejak audit*): one append-only table for every transaction."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One audited action (*catatan audit*), written by ``audit.services.audit_record``
    inside the transaction of the change it records.

    ``changes`` maps each changed field to ``[before, after]``; personal data (NIK,
    phone, e-mail) is stored as a reference (``{"ref": "accounts.user:12#nik"}``),
    never as the value. ``occurred_at`` is an aware UTC instant (shown in WIB).
    """

    occurred_at = models.DateTimeField(
        _("occurred at"), default=timezone.now, editable=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(
        _("actor label"),
        max_length=120,
        help_text=_("user:<id>, system:<task> or anonymous."),
    )
    actor_role = models.CharField(_("actor role"), max_length=64, blank=True)
    actor_agency = models.CharField(
        _("actor agency or office"), max_length=64, blank=True
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    caused_by_request = models.CharField(
        _("caused by request"),
        max_length=64,
        blank=True,
        help_text=_("For system actors: the request whose work this is."),
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(
                fields=["object_type", "object_id", "id"], name="audit_by_object"
            ),
            models.Index(fields=["actor_label", "id"], name="audit_by_actor"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label}"
        )
