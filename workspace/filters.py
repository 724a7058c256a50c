"""Filters of the officer queue (django-filter), shared by the page and the API.

Dates are WIB calendar dates (Asia/Jakarta, UTC+7, no DST): ``submitted_from``
2026-03-01 means from 2026-03-01 00:00 WIB. SLA states compare the step's
``due_at`` (written by the SLA engine, aware UTC) with now; "due soon" is the
next ``WORKSPACE_DUE_SOON_HOURS`` calendar hours (default 24).
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import django_filters

from agencies.choices import StepRole
from agencies.models import Office, Service
from permits.choices import ApplicationStatus
from permits.models import ApplicationStep

from .permissions import agency_ids_of
from .selectors import QUEUE_STATES

WIB = dt.timezone(dt.timedelta(hours=7))


SLA_CHOICES = [
    ("overdue", _("Overdue")),
    ("due_soon", _("Due soon")),
    ("on_time", _("On time")),
    ("no_deadline", _("No deadline")),
]


def _wib_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=WIB)


def _agency_ids(request) -> list[int]:
    """The user's agencies, read once per request (the views set
    ``request.workspace_agency_ids``)."""
    ids = getattr(request, "workspace_agency_ids", None)
    return agency_ids_of(request.user) if ids is None else ids


def _services(request):
    if request is None:
        return Service.objects.none()
    ids = _agency_ids(request)
    return (
        Service.objects.filter(versions__steps__agency_id__in=ids)
        .distinct()
        .select_related("current_version")
        .order_by("code")
        if ids
        else Service.objects.none()
    )


def _offices(request):
    if request is None:
        return Office.objects.none()
    ids = agency_ids_of(request.user)
    return (
        Office.objects.filter(officers__agency_id__in=ids).distinct().order_by("code")
    )


class TaskFilter(django_filters.FilterSet):
    """Filters of the queue; every choice list is limited to the user's
    agencies (pass ``request``)."""

    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        field_name="application__service",
        to_field_name="code",
        queryset=_services,
    )
    state = django_filters.ChoiceFilter(
        label=_("Application state"),
        field_name="application__status",
        choices=[(s.value, s.label) for s in ApplicationStatus if s in QUEUE_STATES],
    )
    step = django_filters.ChoiceFilter(
        label=_("Step (role)"), field_name="role", choices=StepRole.choices
    )
    office = django_filters.ModelChoiceFilter(
        label=_("Office of the assigned officer"),
        field_name="assigned_officer__office",
        to_field_name="code",
        queryset=_offices,
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from (WIB)"), method="filter_submitted_from"
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until (WIB)"), method="filter_submitted_to"
    )
    sla = django_filters.ChoiceFilter(
        label=_("Deadline"), choices=SLA_CHOICES, method="filter_sla"
    )
    due_before = django_filters.DateFilter(
        label=_("Due by (WIB)"), method="filter_due_before"
    )
    q = django_filters.CharFilter(
        label=_("Reference or applicant name"), method="filter_q", max_length=100
    )

    class Meta:
        model = ApplicationStep
        fields: list[str] = []

    def filter_submitted_from(self, queryset, name, value):
        return queryset.filter(application__submitted_at__gte=_wib_start(value))

    def filter_submitted_to(self, queryset, name, value):
        end = _wib_start(value + dt.timedelta(days=1))
        return queryset.filter(application__submitted_at__lt=end)

    def filter_due_before(self, queryset, name, value):
        end = _wib_start(value + dt.timedelta(days=1))
        return queryset.filter(due_at__lt=end)

    def filter_sla(self, queryset, name, value):
        now = timezone.now()
        soon = now + dt.timedelta(hours=settings.WORKSPACE_DUE_SOON_HOURS)
        if value == "overdue":
            return queryset.filter(due_at__lt=now)
        if value == "due_soon":
            return queryset.filter(due_at__gte=now, due_at__lt=soon)
        if value == "on_time":
            return queryset.filter(due_at__gte=soon)
        if value == "no_deadline":
            return queryset.filter(due_at__isnull=True)
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(application__reference__istartswith=value)
            | Q(application__applicant__full_name__icontains=value)
        )
