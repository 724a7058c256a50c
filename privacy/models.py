"""Personal data (*data pribadi*, UU 27/2022 on personal data protection): the log
of staff access to a citizen's data.

``PersonalDataAccess`` rows are written by ``privacy.access.record_access`` (one
line in each staff view) and shown to the citizen (role and agency only) and to
auditors. They are deleted after ``PRIVACY_ACCESS_LOG_DAYS`` by the retention
task (``privacy.retention``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import StaffRole
from audit.registry import audit_exempt

from .choices import AccessKind


@audit_exempt(
    "An access log, itself the record of a read: auditing each insert would copy "
    "it into the permanent trail and defeat its retention period."
)
class PersonalDataAccess(models.Model):
    """One staff access to a citizen's personal data (*log akses data pribadi*).

    ``subject`` is the citizen whose data was opened; ``viewer`` the staff
    account (shown to auditors, never to the citizen); ``viewer_role`` and
    ``viewer_unit`` (agency or office code) and ``viewer_unit_name`` are copied at
    the time of access, so the log says who acted then even after a transfer.
    ``accessed_at`` is an aware UTC instant (shown in WIB).
    """

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_data_accesses",
        verbose_name=_("whose data"),
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff account"),
    )
    viewer_role = models.CharField(
        _("role"), max_length=32, choices=StaffRole, blank=True
    )
    viewer_unit = models.CharField(_("agency or office code"), max_length=64)
    viewer_unit_name = models.CharField(
        _("agency or office"), max_length=200, blank=True
    )
    kind = models.CharField(_("what"), max_length=16, choices=AccessKind)
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    document = models.ForeignKey(
        "permits.ApplicationDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    accessed_at = models.DateTimeField(
        _("accessed at"), default=timezone.now, db_index=True
    )

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-accessed_at", "-id"]
        indexes = [
            models.Index(
                fields=["subject", "-accessed_at", "-id"], name="access_by_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} by {self.viewer_role}@{self.viewer_unit}"
