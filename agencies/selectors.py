"""Reads of the catalogue for pages, the API and other apps."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import HolidayCategory
from .models import (
    CITY_WORKING_CALENDAR,
    Agency,
    Calendar,
    Holiday,
    Service,
    ServiceStep,
    ServiceVersion,
)

# Admins are warned from this day (month, day) when next year has no holidays.
HOLIDAY_WARNING_FROM = (11, 1)


def service_qs_public() -> QuerySet[Service]:
    """Published services that have a version, with agency and current version
    joined (one query for any number of rows)."""
    return (
        Service.objects.filter(is_published=True, current_version__isnull=False)
        .select_related("agency", "issuer_agency", "current_version")
        .order_by("current_version__name")
    )


def service_search(qs: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Services whose code, name (either language) or agency matches ``text``."""
    text = text.strip()
    if not text:
        return qs
    query = Q()
    for word in text.split()[:8]:
        query &= (
            Q(code__icontains=word)
            | Q(current_version__name__icontains=word)
            | Q(current_version__name_en__icontains=word)
            | Q(agency__code__icontains=word)
            | Q(agency__short_name__icontains=word)
            | Q(agency__name__icontains=word)
        )
    return qs.filter(query)


def service_steps_qs() -> QuerySet[ServiceStep]:
    return ServiceStep.objects.select_related("agency").order_by("order")


def service_get_public(*, code: str) -> Service | None:
    """A published service with its current version's steps (and their agencies)
    prefetched on ``service.current_version.steps.all()``; ``None`` if unknown."""
    service = service_qs_public().filter(code=code).first()
    if service is None:
        return None
    version = (
        ServiceVersion.objects.filter(pk=service.current_version_id)
        .prefetch_related(Prefetch("steps", queryset=service_steps_qs()))
        .get()
    )
    service.current_version = version
    return service


def city_working_calendar() -> Calendar:
    """The city-wide working-time calendar (``kerja-kota``).

    Raises ``Calendar.DoesNotExist`` before ``load_catalogue`` has run.
    """
    return Calendar.objects.get(code=CITY_WORKING_CALENDAR)


def agency_working_calendar(agency: Agency) -> Calendar:
    """The working-time calendar that governs ``agency``'s SLAs: its override if
    set, else ``kerja-kota``."""
    if agency.working_calendar_id:
        return agency.working_calendar
    return city_working_calendar()


def holiday_coverage_warning(today: dt.date | None = None) -> str | None:
    """A translated warning for admins when, from 1 November, next year's
    holidays (or its cuti bersama) are not in the table; else ``None``."""
    today = today or timezone.localdate()
    if (today.month, today.day) < HOLIDAY_WARNING_FROM:
        return None
    year = today.year + 1
    categories = set(
        Holiday.objects.filter(date__year=year).values_list("category", flat=True)
    )
    if HolidayCategory.PUBLIC not in categories:
        return _(
            "The holidays of %(year)s are missing. Run “manage.py import_holidays "
            "--year %(year)s” and check them against the official decree."
        ) % {"year": year}
    if HolidayCategory.GOVERNMENT not in categories:
        return _(
            "No collective leave (cuti bersama) for %(year)s yet. Add it from the "
            "joint ministerial decree (SKB 3 Menteri) when it is published."
        ) % {"year": year}
    return None
