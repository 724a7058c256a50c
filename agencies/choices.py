"""Enumerations of the catalogue. Values are stable: the API, the loader and other
apps' data use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    DINAS = "dinas", _("Service office (dinas)")
    BADAN = "badan", _("Agency (badan)")
    NATIONAL_PUBLIC_BODY = "national_public_body", _("National public body")


class OfficeKind(models.TextChoices):
    MPP = "mpp", _("Public service mall (MPP)")
    AGENCY_OFFICE = "agency_office", _("Agency office")
    KECAMATAN = "kecamatan", _("Sub-district service point (kecamatan)")
    KELURAHAN = "kelurahan", _("Village service point (kelurahan)")


class ServiceCategory(models.TextChoices):
    """Catalogue ``category``: ``perizinan``, ``non-perizinan``, ``data correction``,
    ``civil registration`` (mapped by ``agencies.catalogue_loader``)."""

    PERMIT = "permit", _("Permit")
    NON_PERMIT = "non_permit", _("Non-permit service")
    DATA_CORRECTION = "data_correction", _("Data correction")
    CIVIL_REGISTRATION = "civil_registration", _("Civil registration")


class ApplicantType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    BUSINESS = "business", _("Business")
    BOTH = "both", _("Individual or business")


class SlaUnit(models.TextChoices):
    """Working days and working hours count only the open intervals of the
    agency's working-time calendar (holidays and cuti bersama excluded)."""

    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")


class SlaBasis(models.TextChoices):
    """How well a service-level promise is supported (catalogue ``sla.basis``)."""

    TANGERANG_SOURCE = "tangerang_source", _("Kota Tangerang source")
    TANGERANG_SOURCE_UPPER_BOUND = (
        "tangerang_source_upper_bound",
        _("Kota Tangerang source (upper bound)"),
    )
    COMPARABLE_REGION = "comparable_region", _("Comparable region")
    NATIONAL_REGULATION = "national_regulation", _("National regulation")
    ASSUMED = "assumed", _("Assumed (placeholder)")
    CONFIRMED = "confirmed", _("Confirmed by the portal administrator")


class SlaClockStart(models.TextChoices):
    SUBMITTED = "submitted", _("When the complete application is submitted")
    PAYMENT_NOTICE_SENT = (
        "payment_notice_sent",
        _("When the applicant receives the payment notice"),
    )


class FeeType(models.TextChoices):
    FREE = "free", _("Free of charge")
    RETRIBUSI = "retribusi", _("Regional levy (retribusi)")
    TAX = "tax", _("Regional tax")
    LEASE = "lease", _("Lease payment")
    CONTRIBUTION = "contribution", _("Social security contribution")


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class VersionOrigin(models.TextChoices):
    CATALOGUE = "catalogue", _("Catalogue file")
    ADMIN = "admin", _("Administrator")


class StepKind(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    AGENCY = "agency", _("Agency")
    EXTERNAL_SYSTEM = "external_system", _("External system")


class StepRole(models.TextChoices):
    """Who inside the agency acts on a step (the permission the workflow checks)."""

    FRONT_OFFICE = "front_office", _("Front office")
    VERIFIER = "verifier", _("Verifier")
    TECHNICAL_REVIEWER = "technical_reviewer", _("Technical reviewer")
    APPROVER = "approver", _("Approver / signatory")


class CalendarKind(models.TextChoices):
    """``working_time`` governs back-office SLAs; ``service_hours`` counters."""

    WORKING_TIME = "working_time", _("Working time (back office)")
    SERVICE_HOURS = "service_hours", _("Service hours (counters)")


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()`` numbering."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class HolidayCategory(models.TextChoices):
    """The ``holidays`` package's categories for Indonesia."""

    PUBLIC = "public", _("National holiday")
    GOVERNMENT = "government", _("Collective leave (cuti bersama)")


class HolidaySource(models.TextChoices):
    PACKAGE = "package", _("holidays package")
    DECREE = "decree", _("Official decree")


TIMEZONES = [
    ("Asia/Jakarta", _("WIB (Asia/Jakarta)")),
    ("Asia/Makassar", _("WITA (Asia/Makassar)")),
    ("Asia/Jayapura", _("WIT (Asia/Jayapura)")),
]
