"""Agencies, regions and offices: who serves, where."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import AgencyKind, CalendarKind, OfficeKind
from agencies.text import BilingualNameMixin
from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel

agency_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,15}$",
    _("Use 2 to 16 capital letters or digits, e.g. DINKES."),
)


@audited
class Agency(BilingualNameMixin, TimeStampedModel):
    """A government body that processes applications (*perangkat daerah* or
    *instansi*), e.g. ``DINKES``. Source: catalogue ``agencies[]``.

    ``working_calendar`` overrides the city-wide working-time calendar
    (``kerja-kota``) for this agency's SLAs; use
    ``agencies.selectors.agency_working_calendar(agency)`` rather than reading it.
    """

    code = models.CharField(
        _("code"), max_length=16, unique=True, validators=[agency_code_validator]
    )
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("E.g. Dinkes.")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind)
    role = models.TextField(_("role (Indonesian)"), blank=True)
    role_en = models.TextField(_("role (English)"), blank=True)
    working_calendar = models.ForeignKey(
        "agencies.Calendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        limit_choices_to={"kind": CalendarKind.WORKING_TIME},
        verbose_name=_("working-time calendar override"),
        help_text=_("Leave empty to use the city-wide working-time calendar."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} - {self.short_name or self.name}"


@audited
class District(TimeStampedModel):
    """A sub-district of Kota Tangerang (*kecamatan*). Source: catalogue
    ``districts[]`` (Kepmendagri No. 300.2.2-2138 Tahun 2025; BPS codes).

    ``nik_prefix`` is the first six NIK digits for people whose NIK was first
    issued here (not proof of current residence).
    """

    code = models.CharField(
        _("Kemendagri code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{2}\.\d{2}\.\d{2}$")],
        help_text=_("E.g. 36.71.05."),
    )
    bps_code = models.CharField(
        _("BPS code"),
        max_length=7,
        unique=True,
        validators=[RegexValidator(r"^\d{7}$")],
    )
    nik_prefix = models.CharField(
        _("NIK prefix"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$")],
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    source = models.TextField(_("source"), blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("district (kecamatan)")
        verbose_name_plural = _("districts (kecamatan)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@audited
class Village(TimeStampedModel):
    """An urban village (*kelurahan*) of a district. Source: catalogue
    ``districts[].kelurahan_detail``."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("district"),
    )
    code = models.CharField(
        _("Kemendagri code"),
        max_length=13,
        unique=True,
        validators=[RegexValidator(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")],
        help_text=_("E.g. 36.71.05.1001."),
    )
    name = models.CharField(_("name"), max_length=100)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("village (kelurahan)")
        verbose_name_plural = _("villages (kelurahan)")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="village_name_unique_in_district"
            )
        ]

    def __str__(self) -> str:
        return self.name


@audited
class Office(BilingualNameMixin, TimeStampedModel):
    """A place where people are served (*tempat pelayanan*): the MPP, an agency
    office, or a kecamatan/kelurahan service point.

    ``service_calendar`` gives its counter hours (WIB); whether a counter is open
    at an instant is ``agencies.calendars.calendar_is_open(office.service_calendar,
    at)``.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OfficeKind)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("agency"),
        help_text=_("The agency that runs the office, if any."),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("district"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("village"),
    )
    address = models.TextField(_("address"), blank=True)
    service_calendar = models.ForeignKey(
        "agencies.Calendar",
        on_delete=models.PROTECT,
        related_name="offices",
        limit_choices_to={"kind": CalendarKind.SERVICE_HOURS},
        verbose_name=_("service-hours calendar"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OfficeKind.KECAMATAN) | Q(district__isnull=False),
                name="kecamatan_office_has_district",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OfficeKind.KELURAHAN) | Q(village__isnull=False),
                name="kelurahan_office_has_village",
            ),
        ]

    def __str__(self) -> str:
        return self.name
