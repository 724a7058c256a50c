"""Issued documents (*dokumen terbit*): receipts, permits, decision letters and
completion notices, their numbering and renewal links.

A document row is written in the transaction of the workflow change that
causes it (submission, issuance); its PDF is rendered and signed afterwards
by ``documents.tasks.document_render_task``. The PDF never changes once
stored; revocation and supersession are columns read live by the public
verification page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel

from .choices import DocumentKind, RenderStatus, Validity


@audited
class DocumentCounter(models.Model):
    """Last document number handed out for a service in a WIB year
    (*nomor urut dokumen*). Locked with ``select_for_update``; gaps are
    allowed (a rolled-back issuance loses its number)."""

    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    year = models.PositiveSmallIntegerField(_("year (WIB)"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year"], name="document_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.year}: {self.last_number}"


@audited(personal=("holder_name", "holder_identifier", "data"))
class IssuedDocument(TimeStampedModel):
    """A document the portal issued (*dokumen terbit*: tanda terima, izin,
    surat keputusan, surat keterangan selesai).

    ``number`` is unique (the reference for receipts); ``verification_token``
    is 256 random bits (URL-safe base64) printed as a QR code; ``sha256`` is
    the hex digest of the stored, signed PDF. ``valid_until`` is an aware UTC
    instant (end of the last valid day in WIB), empty when indefinite.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind)
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("application"),
    )
    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("service"),
    )
    number = models.CharField(_("number"), max_length=64, unique=True)
    verification_token = models.CharField(
        _("verification token"), max_length=64, unique=True, editable=False
    )
    holder_name = models.CharField(_("holder"), max_length=200, blank=True)
    holder_identifier = models.CharField(
        _("holder identifier"),
        max_length=32,
        blank=True,
        help_text=_("NIK or NIB of the holder; shown masked in public."),
    )
    data = models.JSONField(
        _("document data"),
        default=dict,
        blank=True,
        help_text=_("What the document states (permitted data, documents received)."),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_position = models.CharField(
        _("signatory position"), max_length=200, blank=True
    )
    render_status = models.CharField(
        _("file status"),
        max_length=16,
        choices=RenderStatus,
        default=RenderStatus.PENDING,
        editable=False,
    )
    file = models.FileField(
        _("file"), upload_to="issued/%Y/%m/", max_length=200, blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    signed = models.BooleanField(_("digitally signed"), default=False, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    renewal_reminder_sent_at = models.DateTimeField(
        _("renewal reminder sent at"), null=True, blank=True, editable=False
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revocation_has_reason",
            ),
            models.UniqueConstraint(
                fields=["application", "kind"], name="one_document_of_a_kind"
            ),
        ]
        indexes = [models.Index(fields=["valid_until"], name="document_valid_until")]

    def __str__(self) -> str:
        return self.number

    def validity(self, at=None) -> Validity:
        """Revoked, superseded, expired (``valid_until`` passed) or valid."""
        at = at or timezone.now()
        if self.revoked_at is not None:
            return Validity.REVOKED
        if self.superseded_by_id is not None:
            return Validity.SUPERSEDED
        if self.valid_until is not None and self.valid_until < at:
            return Validity.EXPIRED
        return Validity.VALID


@audited
class RenewalLink(models.Model):
    """An application that renews an earlier permit (*perpanjangan*): started
    from the old document, whose holder and data it copies; the new permit
    supersedes the old one when issued."""

    application = models.OneToOneField(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="renewal",
        verbose_name=_("application"),
    )
    previous = models.ForeignKey(
        IssuedDocument,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=_("previous document"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")

    def __str__(self) -> str:
        return f"{self.application_id} ← {self.previous_id}"
