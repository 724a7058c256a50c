"""Issued documents API: the scoped register (list, retrieve, download,
revoke) and the public verification lookup (no login, rate-limited,
audited)."""

from django.http import FileResponse, Http404

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import user_can
from audit.services import audit_record_standalone
from documents import services
from documents.choices import RenderStatus
from documents.selectors import (
    document_by_token,
    documents_visible_to,
    register_search,
)
from documents.views import signature_status, verify_limited

from . import serializers as s


class NewestFirst(CursorPagination):
    ordering = "-id"


class IssuedDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Documents the user may see; ``?q=`` searches number, reference and
    holder; ``?validity=`` is valid, expired, revoked or superseded."""

    lookup_field = "uuid"
    pagination_class = NewestFirst
    serializer_class = s.IssuedDocumentOutputSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        queryset = documents_visible_to(self.request.user)
        if self.action == "list":
            params = self.request.query_params
            queryset = register_search(
                queryset, q=params.get("q", ""), validity=params.get("validity", "")
            )
        return queryset

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, uuid: str):
        document = self.get_object()
        if document.render_status != RenderStatus.READY or not document.file:
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{document.number.replace('/', '-')}.pdf",
            content_type="application/pdf",
        )

    @extend_schema(
        request=s.RevokeInputSerializer,
        responses=s.IssuedDocumentOutputSerializer,
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, uuid: str) -> Response:
        document = self.get_object()
        if not user_can(request.user, "document.revoke", document):
            raise PermissionDenied
        data = s.RevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_revoke(
            document=document, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(s.IssuedDocumentOutputSerializer(document).data)


class VerificationView(APIView):
    """Public verification by the token printed in the QR code."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.DocumentVerificationOutputSerializer)
    def get(self, request: Request, token: str) -> Response:
        if verify_limited(request):
            raise Throttled
        document = document_by_token(token)
        audit_record_standalone(
            action="document.verify",
            obj=document,
            object_type="" if document else "documents.issueddocument",
            object_id="" if document else "unknown",
            changes={
                "result": [None, document.validity() if document else "unknown"],
                "channel": [None, "api"],
            },
        )
        if document is None:
            raise NotFound
        return Response(
            s.DocumentVerificationOutputSerializer.from_document(
                document, signature_status(document)
            )
        )
