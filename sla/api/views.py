"""SLA API (``/api/v1/sla/``): "when would it be due" (public, like the
catalogue) and formal extensions (officers of the owning agency ask, its head
decides; other agencies' applications are 404)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Service
from permits.api.permissions import IsOfficer
from permits.selectors import application_qs_visible_to
from sla.models import SlaExtension
from sla.services import sla_due_for, sla_extension_decide, sla_extension_request

from .serializers import (
    DueInputSerializer,
    DueOutputSerializer,
    ExtensionDecideInputSerializer,
    ExtensionOutputSerializer,
    ExtensionRequestInputSerializer,
)


class DueView(APIView):
    """``GET /api/v1/sla/due/?service=<code>&at=<instant>``: if an application
    were submitted at ``at`` (default now) to the service's current version,
    with no pause, when would it be due? 404 for an unknown or unpublished
    service."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[DueInputSerializer], responses=DueOutputSerializer)
    def get(self, request: Request) -> Response:
        data = DueInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        service = get_object_or_404(
            Service.objects.select_related("current_version", "agency"),
            code=data.validated_data["service"],
            is_published=True,
            current_version__isnull=False,
        )
        answer = sla_due_for(
            service=service, at=data.validated_data.get("at") or timezone.now()
        )
        return Response(DueOutputSerializer(answer).data)


def _extensions_visible_to(user):
    return SlaExtension.objects.filter(
        application__in=application_qs_visible_to(user)
    ).select_related("application")


class ExtensionPagination(CursorPagination):
    ordering = ("-requested_at", "-id")


class ExtensionListView(ListAPIView):
    """``GET`` the extensions of applications the officer may see; ``POST``
    ``{application, days, reason}`` to ask for one (201)."""

    permission_classes = [IsAuthenticated, IsOfficer]
    serializer_class = ExtensionOutputSerializer
    pagination_class = ExtensionPagination

    def get_queryset(self):
        return _extensions_visible_to(self.request.user)

    @extend_schema(
        request=ExtensionRequestInputSerializer,
        responses={201: ExtensionOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = ExtensionRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = get_object_or_404(
            application_qs_visible_to(request.user),
            uuid=data.validated_data["application"],
        )
        extension = sla_extension_request(
            application=application,
            user=request.user,
            days=data.validated_data["days"],
            reason=data.validated_data["reason"],
        )
        return Response(ExtensionOutputSerializer(extension).data, status=201)


class ExtensionDecideView(APIView):
    """``POST /api/v1/sla/extensions/<id>/decide/`` ``{approve, note}``: the
    head of the owning agency approves or refuses (400 for anyone else)."""

    permission_classes = [IsAuthenticated, IsOfficer]

    @extend_schema(
        request=ExtensionDecideInputSerializer, responses=ExtensionOutputSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        extension = get_object_or_404(_extensions_visible_to(request.user), pk=pk)
        data = ExtensionDecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        extension = sla_extension_decide(
            extension=extension,
            user=request.user,
            approve=data.validated_data["approve"],
            note=data.validated_data["note"],
        )
        extension.application.refresh_from_db()
        return Response(ExtensionOutputSerializer(extension).data)
