"""Choices of the issued-documents app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    """What an issued document is (*jenis dokumen*)."""

    RECEIPT = "receipt", pgettext_lazy("document kind", "Receipt")
    PERMIT = "permit", pgettext_lazy("document kind", "Permit")
    DECISION_LETTER = (
        "decision_letter",
        pgettext_lazy("document kind", "Decision letter"),
    )
    COMPLETION_NOTICE = (
        "completion_notice",
        pgettext_lazy("document kind", "Completion notice"),
    )


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Validity(models.TextChoices):
    """What the public verification page says about a document."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
