"""Records of the officer workspace.

``InternalNote`` is a note officers leave on an application (*catatan
internal*). Notes are read by officers of the agencies with a step in the
application (and by auditors through the audit trail); never by the applicant,
neither on the citizen's pages nor through the API (issue 7).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel


@audited(personal=("body",))
class InternalNote(TimeStampedModel):
    """An officer's note on an application (*catatan internal petugas*).

    ``agency`` is the agency the author acted for when writing it (their own,
    or a delegator's); notes are append-only: a correction is a new note.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="internal_notes",
        verbose_name=_("application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    body = models.TextField(_("note"), max_length=4000)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["application", "created_at", "pk"]
        indexes = [
            models.Index(
                fields=["application", "created_at"], name="note_by_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.body[:40]}"
