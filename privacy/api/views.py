"""Personal-data API for the citizen: who accessed my data, and my data."""

from django.db.models import QuerySet
from django.http import HttpResponse

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from privacy.export import personal_data_export
from privacy.models import PersonalDataAccess
from privacy.selectors import accesses_of

from .serializers import AccessOutputSerializer


class NewestFirst(CursorPagination):
    ordering = ("-accessed_at", "-id")


class AccessListView(ListAPIView):
    """``GET /api/v1/privacy/accesses/``: staff accesses to the user's own data,
    newest first (role and agency only)."""

    permission_classes = [IsAuthenticated]
    serializer_class = AccessOutputSerializer
    pagination_class = NewestFirst
    queryset = PersonalDataAccess.objects.none()  # for the schema generator

    def get_queryset(self) -> QuerySet[PersonalDataAccess]:
        if getattr(self, "swagger_fake_view", False):
            return PersonalDataAccess.objects.none()
        return accesses_of(self.request.user)


class ExportView(APIView):
    """``POST /api/v1/privacy/export/``: the user's data as a ZIP (``data.json``
    inside); recorded as ``privacy.export``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={(200, "application/zip"): OpenApiResponse(description="ZIP file")},
    )
    def post(self, request: Request) -> HttpResponse:
        filename, content = personal_data_export(user=request.user)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
