"""API filters (the service filter is shared with the public pages)."""

import django_filters

from agencies.filters import ServiceFilter
from agencies.models import Agency, Holiday, Office, ServiceVersion

__all__ = [
    "AgencyFilter",
    "HolidayFilter",
    "OfficeFilter",
    "ServiceFilter",
    "ServiceVersionFilter",
]


class AgencyFilter(django_filters.FilterSet):
    class Meta:
        model = Agency
        fields = ["kind", "is_active"]


class OfficeFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__code")
    district = django_filters.CharFilter(field_name="district__code")

    class Meta:
        model = Office
        fields = ["kind", "agency", "district", "is_active"]


class HolidayFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year")

    class Meta:
        model = Holiday
        fields = {
            "date": ["gte", "lte"],
            "category": ["exact"],
            "source": ["exact"],
            "is_provisional": ["exact"],
        }


class ServiceVersionFilter(django_filters.FilterSet):
    service = django_filters.CharFilter(field_name="service__code")

    class Meta:
        model = ServiceVersion
        fields = ["service", "origin"]
