"""Applications (*permohonan*) and their workflow records.

``Application`` is what a citizen files for a service version; its
``ApplicationStep`` rows are copied from the version's ``ServiceStep`` list at
submission; every status change appends a ``StatusChange``; uploaded files are
``ApplicationDocument`` rows owned by the applicant (reusable across their
applications). ``ReferenceCounter`` hands out reference numbers per WIB year.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import StepKind, StepRole
from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel

from .choices import ApplicationStatus, StepStatus


@audited
class ReferenceCounter(models.Model):
    """Last reference number handed out in a WIB year (*nomor registrasi*).

    Locked with ``select_for_update`` while the next number is taken; numbers
    of rolled-back submissions are lost (gaps allowed, issue 6)."""

    year = models.PositiveSmallIntegerField(_("year (WIB)"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


@audited(personal=("form_data", "subject"))
class Application(TimeStampedModel):
    """An application for a service (*permohonan*).

    ``form_data`` holds the answers to the version's ``form_schema`` (validated
    with JSON Schema on submission); ``subject`` the identity of the person the
    application is about when it is not the applicant (``SubjectIdentity`` as
    JSON). ``version`` is bumped by every change; officer actions carry the
    version they saw (``StaleVersion`` otherwise). ``due_at`` is written by the
    SLA engine (aware UTC), never by this app.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("reference"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Number quoted to the applicant, e.g. PTSP-2026-000123."),
    )
    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("service"),
    )
    service_version = models.ForeignKey(
        "agencies.ServiceVersion",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("service version"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    business = models.ForeignKey(
        "accounts.Business",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("business"),
    )
    subject = models.JSONField(_("subject identity"), null=True, blank=True)
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=ApplicationStatus,
        default=ApplicationStatus.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_(
            "Bumped by every change; actions carry the version the officer saw."
        ),
    )
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, editable=False
    )
    decided_at = models.DateTimeField(
        _("decided at"), null=True, blank=True, editable=False
    )
    due_at = models.DateTimeField(
        _("due at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Service-level deadline, written by the SLA engine."),
    )
    applicant_deadline_at = models.DateTimeField(
        _("applicant deadline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Until when the applicant may answer a revision request."),
    )
    applicant_reminded_for = models.DateTimeField(
        _("reminder sent for deadline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The applicant deadline the last reminder was sent for; a new "
            "deadline gets its own reminder."
        ),
    )
    revision_fields = models.JSONField(
        _("fields to revise"), default=list, blank=True, editable=False
    )
    # What the flagged items were when the revision was asked:
    # {"fields": {name: answer}, "documents": {requirement code: document id}};
    # a resubmission must change each of them (``application_resubmit``).
    revision_baseline = models.JSONField(
        _("flagged items when the revision was asked"),
        default=dict,
        blank=True,
        editable=False,
    )
    tracking_code_hash = models.CharField(
        _("tracking code (hashed)"), max_length=128, blank=True, editable=False
    )
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, blank=True, editable=False
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        permissions = [("decide_application", _("Can decide applications"))]
        indexes = [
            # The reminder and lapse sweeps read only waiting applications.
            models.Index(
                fields=["applicant_deadline_at"],
                condition=Q(applicant_deadline_at__isnull=False),
                name="application_applicant_deadline",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True)
                | ~Q(status=ApplicationStatus.DRAFT),
                name="draft_has_no_submission_time",
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.DRAFT)
                | Q(status=ApplicationStatus.WITHDRAWN)
                | Q(reference__isnull=False),
                name="submitted_application_has_reference",
            ),
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="application_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(self.uuid)

    @property
    def revision_choices(self) -> list[tuple[str, str]]:
        """``(key, label)`` of what an officer may ask to fix (see
        ``forms_schema.revision_targets``)."""
        from .forms_schema import revision_targets

        return revision_targets(self.service_version)

    @property
    def revision_field_labels(self) -> list[str]:
        """``revision_fields`` as the applicant reads them: form field titles
        and requirement names in the active language (unknown keys as-is)."""
        labels = dict(self.revision_choices)
        return [labels.get(key, key) for key in self.revision_fields or []]


@audited
class ApplicationStep(models.Model):
    """One step of an application's procedure (*tahapan permohonan*), copied
    from the version's ``ServiceStep`` at submission."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("application"),
    )
    service_step = models.ForeignKey(
        "agencies.ServiceStep",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service step"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name (Indonesian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application_steps",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=32, choices=StepRole, blank=True)
    external_system = models.CharField(_("external system"), max_length=60, blank=True)
    parallel_group = models.CharField(_("parallel group"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus, default=StepStatus.PENDING
    )
    assigned_officer = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application_steps",
        verbose_name=_("assigned officer"),
    )
    external_reference = models.CharField(
        _("external reference"), max_length=120, blank=True
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("due at"),
        null=True,
        blank=True,
        help_text=_("Step deadline, written by the SLA engine."),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["application", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "order"], name="application_step_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


@audited
class StatusChange(models.Model):
    """One row of an application's history (*riwayat status*); append-only."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("application"),
    )
    from_status = models.CharField(
        _("from"), max_length=32, choices=ApplicationStatus, blank=True
    )
    to_status = models.CharField(_("to"), max_length=32, choices=ApplicationStatus)
    step = models.ForeignKey(
        ApplicationStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("step"),
    )
    action = models.CharField(_("action"), max_length=32, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


@audited
class ApplicationDocument(TimeStampedModel):
    """A file the applicant uploaded (*berkas persyaratan*), stored privately
    under a generated name; reusable in the applicant's later applications.

    ``content_type`` is sniffed from the bytes (PDF, JPEG or PNG only);
    ``size`` is in bytes; ``sha256`` the hex digest of the content.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="application_documents",
        verbose_name=_("owner"),
    )
    applications = models.ManyToManyField(
        Application,
        through="ApplicationDocumentLink",
        related_name="documents",
        verbose_name=_("applications"),
    )
    requirement_code = models.CharField(_("requirement"), max_length=64)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", max_length=200)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.requirement_code}: {self.original_name}"


@audited
class ApplicationDocumentLink(models.Model):
    """Which document answers which requirement of an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="document_links"
    )
    document = models.ForeignKey(
        ApplicationDocument, on_delete=models.PROTECT, related_name="links"
    )
    requirement_code = models.CharField(_("requirement"), max_length=64)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("application document link")
        verbose_name_plural = _("application document links")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement_code"],
                name="one_document_per_requirement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.requirement_code}"

    @property
    def requirement_name(self) -> str:
        """The requirement's name from the catalogue (active language)."""
        return self.application.service_version.requirement_name(self.requirement_code)
