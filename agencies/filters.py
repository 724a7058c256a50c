"""Catalogue filters shared by the public pages and the API."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from .choices import ApplicantType, ServiceCategory
from .models import Agency, Service
from .selectors import service_search


class ServiceFilter(django_filters.FilterSet):
    """``?q=`` words in the code, name (either language) or agency;
    ``?agency=DINKES``; ``?category=permit``; ``?applicant_type=business``."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", max_length=100
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
        empty_label=_("All agencies"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=ServiceCategory.choices, empty_label=_("All")
    )
    applicant_type = django_filters.ChoiceFilter(
        label=_("Applicant"),
        method="filter_applicant_type",
        choices=ApplicantType.choices,
        empty_label=_("All"),
    )

    class Meta:
        model = Service
        fields = ["q", "agency", "category", "applicant_type"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return service_search(queryset, value)

    def filter_applicant_type(
        self, queryset: QuerySet, name: str, value: str
    ) -> QuerySet:
        # A service open to both kinds of applicant matches either.
        if value in (ApplicantType.INDIVIDUAL, ApplicantType.BUSINESS):
            return queryset.filter(applicant_type__in=[value, ApplicantType.BOTH])
        return queryset.filter(applicant_type=value)
