"""Read-only, public catalogue API (``/api/v1/``)."""

from django.db.models import Prefetch, QuerySet

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ReadOnlyModelViewSet

from agencies.models import (
    Agency,
    Calendar,
    CalendarOverride,
    District,
    Holiday,
    Office,
    Service,
    ServiceVersion,
)
from agencies.selectors import service_qs_public, service_steps_qs

from .filters import (
    AgencyFilter,
    HolidayFilter,
    OfficeFilter,
    ServiceFilter,
    ServiceVersionFilter,
)
from .serializers import (
    AgencySerializer,
    CalendarSerializer,
    DistrictSerializer,
    HolidaySerializer,
    OfficeSerializer,
    ServiceDetailSerializer,
    ServiceSerializer,
    ServiceVersionSerializer,
)


class CodePagination(CursorPagination):
    ordering = "code"
    page_size = 50


class PublicCatalogueViewSet(ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = CodePagination
    lookup_field = "code"


def _calendar_prefetches(prefix: str = "") -> list:
    overrides = CalendarOverride.objects.prefetch_related("intervals").order_by(
        "date_from"
    )
    return [
        f"{prefix}weekly_intervals",
        Prefetch(f"{prefix}overrides", queryset=overrides),
    ]


def _versions_qs() -> QuerySet[ServiceVersion]:
    return ServiceVersion.objects.select_related("service").prefetch_related(
        Prefetch("steps", queryset=service_steps_qs())
    )


class AgencyViewSet(PublicCatalogueViewSet):
    """Agencies (*perangkat daerah*) by code, e.g. ``DINKES``."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    queryset = Agency.objects.select_related("working_calendar")


class ServiceViewSet(PublicCatalogueViewSet):
    """Published services. The list carries a summary of the current version;
    the detail the full current version with its steps; ``versions/`` every
    version."""

    filterset_class = ServiceFilter

    def get_queryset(self) -> QuerySet[Service]:
        qs = service_qs_public().select_related("issuer_agency")
        if self.action == "retrieve":
            qs = qs.select_related("current_version__service").prefetch_related(
                Prefetch("current_version__steps", queryset=service_steps_qs())
            )
        return qs

    def get_serializer_class(self):
        return (
            ServiceDetailSerializer if self.action == "retrieve" else ServiceSerializer
        )

    @extend_schema(responses=ServiceVersionSerializer(many=True))
    @action(detail=True, pagination_class=None, filterset_class=None)
    def versions(self, request: Request, code: str) -> Response:
        service = self.get_object()
        versions = _versions_qs().filter(service=service).order_by("-number")
        return Response(ServiceVersionSerializer(versions, many=True).data)


class ServiceVersionViewSet(ReadOnlyModelViewSet):
    """Service versions by id (what applications store); immutable."""

    permission_classes = [AllowAny]
    serializer_class = ServiceVersionSerializer
    filterset_class = ServiceVersionFilter

    class Pagination(CursorPagination):
        ordering = "-id"
        page_size = 25

    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[ServiceVersion]:
        return _versions_qs().filter(service__is_published=True)


class OfficeViewSet(PublicCatalogueViewSet):
    """Offices (*tempat pelayanan*) with their service-hours calendar."""

    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    queryset = Office.objects.select_related(
        "agency", "district", "village", "service_calendar"
    ).prefetch_related(*_calendar_prefetches("service_calendar__"))


class CalendarViewSet(PublicCatalogueViewSet):
    """Calendars with weekly intervals and dated overrides (WIB wall-clock)."""

    serializer_class = CalendarSerializer
    queryset = Calendar.objects.prefetch_related(*_calendar_prefetches())
    filterset_fields = ["kind"]


class DistrictViewSet(PublicCatalogueViewSet):
    """Kecamatan with their kelurahan, Kemendagri and BPS codes, NIK prefix."""

    serializer_class = DistrictSerializer
    queryset = District.objects.prefetch_related("villages")
    lookup_value_regex = r"[0-9.]+"
    filterset_fields = ["nik_prefix"]


class HolidayViewSet(ReadOnlyModelViewSet):
    """National holidays and cuti bersama, ``?year=2027``."""

    permission_classes = [AllowAny]
    serializer_class = HolidaySerializer
    filterset_class = HolidayFilter
    queryset = Holiday.objects.all()

    class Pagination(CursorPagination):
        ordering = ("date", "category")
        page_size = 100

    pagination_class = Pagination
