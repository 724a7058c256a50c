"""The versioned service catalogue: a ``Service`` is the stable identity, each
``ServiceVersion`` an immutable snapshot of what the service requires and promises,
and ``ServiceStep`` rows its ordered procedure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import (
    ApplicantType,
    Confidence,
    FeeType,
    ServiceCategory,
    SlaBasis,
    SlaClockStart,
    SlaUnit,
    StepKind,
    StepRole,
    VersionOrigin,
)
from agencies.text import BilingualNameMixin, localized
from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel


@audited
class Service(TimeStampedModel):
    """A service of the catalogue (*jenis layanan*), e.g. ``sip-dokter``.

    ``agency`` is where the substantive decision is made (catalogue
    ``services[].agency``); ``issuer_agency`` signs the result (catalogue
    ``issuer``, mapped by the overlay; null when a national system such as OSS
    issues it, see ``issuer_system``). Everything an applicant sees or an
    application depends on lives in ``current_version``; applications keep a
    foreign key to the ``ServiceVersion`` they started with.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("responsible agency"),
    )
    issuer_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_services",
        verbose_name=_("issuing agency"),
    )
    issuer_system = models.CharField(
        _("issuing system"),
        max_length=60,
        blank=True,
        help_text=_("National system that issues the result, e.g. OSS."),
    )
    issuer_text = models.CharField(
        _("issuer (as published)"), max_length=200, blank=True
    )
    category = models.CharField(_("category"), max_length=32, choices=ServiceCategory)
    applicant_type = models.CharField(
        _("applicant type"), max_length=16, choices=ApplicantType
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Shown in the public catalogue and open for applications."),
    )
    current_version = models.ForeignKey(
        "agencies.ServiceVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("current version"),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["code"]

    def __str__(self) -> str:
        if self.current_version_id:
            return self.current_version.display_name
        return self.code


@audited
class ServiceVersion(BilingualNameMixin, models.Model):
    """One immutable definition of a service (*versi standar layanan*).

    Never updated or deleted once created (a PostgreSQL trigger enforces it);
    ``agencies.services.service_version_create`` makes the next ``number`` and
    points ``Service.current_version`` at it.

    Shapes (Indonesian ``…`` / English ``…_en``, English may be ``""``):
    ``requirements``: ``[{"code": slug, "name": str, "name_en": str}]``;
    ``legal_basis`` and ``fee_exemptions``: ``[{"text": str, "text_en": str}]``;
    ``sources``: ``[url]``; ``eligibility``: free-form dict from the catalogue;
    ``form_schema``: a JSON Schema (draft 2020-12) of the application form, ``{}``
    until the applications issue fills it.

    SLA: ``sla_value`` ``sla_unit`` (working days or working hours of the agency's
    working-time calendar), counted from ``sla_clock_start``; steps with
    ``pauses_sla`` stop the clock. ``sla_provisional`` is true while the basis is
    ``assumed`` and no administrator confirmed it. Fee: ``fee_amount`` in whole
    rupiah (IDR), null when computed per case (``fee_rule`` says how).
    """

    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("service"),
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name (Indonesian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    sla_value = models.PositiveIntegerField(_("service-level value"))
    sla_unit = models.CharField(_("service-level unit"), max_length=16, choices=SlaUnit)
    sla_basis = models.CharField(
        _("service-level basis"), max_length=32, choices=SlaBasis
    )
    sla_provisional = models.BooleanField(
        _("service level provisional"),
        default=False,
        help_text=_("Shown as provisional until an administrator confirms it."),
    )
    sla_clock_start = models.CharField(
        _("service-level clock starts"),
        max_length=32,
        choices=SlaClockStart,
        default=SlaClockStart.SUBMITTED,
    )
    sla_note = models.TextField(_("service-level note (Indonesian)"), blank=True)
    sla_note_en = models.TextField(_("service-level note (English)"), blank=True)
    fee_type = models.CharField(_("fee type"), max_length=16, choices=FeeType)
    fee_amount = models.PositiveBigIntegerField(
        _("fee amount (IDR)"),
        null=True,
        blank=True,
        help_text=_("Whole rupiah; empty when the amount is computed per case."),
    )
    fee_rule = models.TextField(_("fee rule (Indonesian)"), blank=True)
    fee_rule_en = models.TextField(_("fee rule (English)"), blank=True)
    fee_exemptions = models.JSONField(_("fee exemptions"), default=list, blank=True)
    validity_text = models.TextField(_("validity (Indonesian)"), blank=True)
    validity_text_en = models.TextField(_("validity (English)"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("validity in months"),
        null=True,
        blank=True,
        help_text=_("Empty when indefinite or not applicable."),
    )
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence)
    notes = models.TextField(_("notes (Indonesian)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    volume_note = models.TextField(_("volume note"), blank=True)
    form_schema = models.JSONField(
        _("application form schema"),
        default=dict,
        blank=True,
        help_text=_("JSON Schema of the application form for this version."),
    )
    origin = models.CharField(_("origin"), max_length=16, choices=VersionOrigin)
    source_digest = models.CharField(
        _("catalogue digest"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the catalogue entry and overlay this came from."),
    )
    change_reason = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "number"], name="service_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(sla_value__gt=0), name="service_version_sla_positive"
            ),
            models.CheckConstraint(
                condition=~Q(fee_type=FeeType.FREE)
                | Q(fee_amount__isnull=True)
                | Q(fee_amount=0),
                name="free_service_costs_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"

    def requirement_name(self, code: str, language: str | None = None) -> str:
        """The catalogue's name of requirement ``code`` in ``language`` (default:
        the active one; Indonesian when no English exists); ``code`` itself when
        the version has no such requirement."""
        for item in self.requirements or []:
            if item.get("code") == code:
                return localized(
                    item.get("name") or code, item.get("name_en") or "", language
                ).text
        return code


@audited
class ServiceStep(BilingualNameMixin, models.Model):
    """One step of a version's procedure (*tahapan*), immutable like its version.

    ``kind``: the applicant acts (``agency`` null), an agency acts (``agency`` and
    ``role`` set), or a national system does (``external_system`` names it, e.g.
    ``OSS``). ``external_system`` may also name where an applicant or agency step
    happens (SIMBG, SIAK). Steps run in ``order``; consecutive steps that share a
    non-empty ``parallel_group`` run at the same time (fan-out) and all must finish
    before the next step (join). ``pauses_sla`` stops the service-level clock
    while the step is open (applicant steps by default). The optional step SLA
    (``sla_value`` ``sla_unit``) is advisory: the service SLA governs.
    """

    version = models.ForeignKey(
        ServiceVersion,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("service version"),
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
        related_name="steps",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=32, choices=StepRole, blank=True)
    external_system = models.CharField(_("external system"), max_length=60, blank=True)
    pauses_sla = models.BooleanField(_("pauses the service-level clock"), default=False)
    sla_value = models.PositiveIntegerField(_("step SLA value"), null=True, blank=True)
    sla_unit = models.CharField(
        _("step SLA unit"), max_length=16, choices=SlaUnit, blank=True
    )
    parallel_group = models.CharField(_("parallel group"), max_length=32, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("service step")
        verbose_name_plural = _("service steps")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"], name="service_step_order_unique"
            ),
            models.CheckConstraint(
                condition=~Q(kind=StepKind.AGENCY)
                | (Q(agency__isnull=False) & ~Q(role="")),
                name="agency_step_has_agency_and_role",
            ),
            models.CheckConstraint(
                condition=~Q(kind=StepKind.APPLICANT)
                | (Q(agency__isnull=True) & Q(role="")),
                name="applicant_step_has_no_agency",
            ),
            models.CheckConstraint(
                condition=~Q(kind=StepKind.EXTERNAL_SYSTEM) | ~Q(external_system=""),
                name="external_step_names_system",
            ),
            models.CheckConstraint(
                condition=(Q(sla_value__isnull=True) & Q(sla_unit=""))
                | (Q(sla_value__gt=0) & ~Q(sla_unit="")),
                name="step_sla_value_and_unit_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
