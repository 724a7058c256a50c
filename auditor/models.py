"""The auditor workspace's own record: runs of the chain verification.

The trail itself lives in ``audit``; this app only reads it, except for
``VerificationRun``, the stored result of each verification asked for with
"verify now" (``auditor.services.verification_request``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audit_exempt


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    INTACT = "intact", _("Intact")
    BROKEN = "broken", _("Broken")
    FAILED = "failed", _("Could not run")


@audit_exempt(
    "A job record: the request is audited (audit.verify_request) and the result "
    "is a reading of the trail, not a change to it."
)
class VerificationRun(models.Model):
    """One verification of the seal chain (*pemeriksaan rantai audit*).

    Created ``pending`` by the request, finished by
    ``auditor.tasks.verification_run_task`` with the result of
    ``audit.verification.audit_verify`` (``result`` is its ``as_dict()``).
    ``full`` verifies from the first seal, else from the latest checkpoint.
    Instants are aware UTC (shown in WIB).
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    full = models.BooleanField(_("from the first seal"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VerificationStatus,
        default=VerificationStatus.PENDING,
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    entries_checked = models.BigIntegerField(_("entries checked"), default=0)
    last_seq = models.BigIntegerField(_("last sealed entry checked"), default=0)
    first_broken_entry = models.BigIntegerField(
        _("first broken entry"), null=True, blank=True
    )
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=VerificationStatus.PENDING)
                | Q(finished_at__isnull=False),
                name="finished_run_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"verification {self.pk}: {self.status}"
