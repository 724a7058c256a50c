"""Counter API (assisted submission) and BPJS correction actions.

``/assisted/`` is scoped to the office of the officer (front office or office
head): another office's submission is a 404 on every verb. Writes need a
front-office officer of that office. ``/assisted/claim/`` is public (the
claim is limited by its own count of wrong tries). ``/bpjs-corrections/``
are the BPJS officer's actions on an application visible to them
(``application_qs_visible_to``).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import user_can
from agencies.models import Service
from channeling import services
from channeling.models import AssistedSubmission
from channeling.permissions import BPJS_AGENCIES
from channeling.selectors import assisted_visible_to, handovers_of
from permits.api.serializers import DocumentOutputSerializer
from permits.models import Application
from permits.selectors import application_qs_visible_to

from . import serializers as s


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")


class SeesAssisted(BasePermission):
    def has_permission(self, request, view) -> bool:
        return user_can(request.user, "channeling.view_assisted", None)


class AssistedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    lookup_field = "uuid"
    pagination_class = NewestFirst
    serializer_class = s.AssistedOutputSerializer
    permission_classes = [IsAuthenticated, SeesAssisted]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[AssistedSubmission]:
        return assisted_visible_to(self.request.user).select_related(
            "application__service"
        )

    def _out(self, assisted, code=200) -> Response:
        assisted = self.get_queryset().get(pk=assisted.pk)
        return Response(s.AssistedOutputSerializer(assisted).data, status=code)

    @extend_schema(request=s.AssistedStartInputSerializer)
    def create(self, request: Request) -> Response:
        data = s.AssistedStartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = Service.objects.filter(
            code=data.validated_data.pop("service"), is_published=True
        ).first()
        if service is None:
            raise ValidationError({"service": "Unknown service."})
        assisted = services.assisted_start(
            user=request.user, service=service, **data.validated_data
        )
        return self._out(assisted, status.HTTP_201_CREATED)

    @extend_schema(request=s.AnswersInputSerializer)
    @action(detail=True, methods=["post"])
    def answers(self, request: Request, uuid: str) -> Response:
        assisted = self.get_object()
        data = s.AnswersInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assisted_update(
            assisted=assisted,
            user=request.user,
            form_data=data.validated_data["form_data"],
        )
        return self._out(assisted)

    @extend_schema(request=s.UploadInputSerializer, responses=DocumentOutputSerializer)
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, uuid: str) -> Response:
        assisted = self.get_object()
        data = s.UploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        document = services.assisted_document_upload(
            assisted=assisted,
            user=request.user,
            requirement_code=data.validated_data["requirement_code"],
            content=upload.read(),
            original_name=upload.name,
        )
        return Response(
            DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="send-code")
    def send_code(self, request: Request, uuid: str) -> Response:
        assisted = services.assisted_send_code(
            assisted=self.get_object(), user=request.user
        )
        return self._out(assisted)

    @extend_schema(
        request=s.CodeInputSerializer, responses=s.AssistedConfirmedSerializer
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, uuid: str) -> Response:
        assisted = self.get_object()
        if not user_can(request.user, "channeling.assist"):
            raise NotFound
        data = s.CodeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assisted, tracking = services.assisted_confirm(
            assisted=assisted, code=data.validated_data["code"]
        )
        assisted = self.get_queryset().get(pk=assisted.pk)
        assisted.tracking_code = tracking
        return Response(s.AssistedConfirmedSerializer(assisted).data)

    @extend_schema(request=s.CancelInputSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, uuid: str) -> Response:
        assisted = self.get_object()
        data = s.CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assisted_cancel(
            assisted=assisted, user=request.user, reason=data.validated_data["reason"]
        )
        return self._out(assisted)


class ClaimView(APIView):
    """Claim an account made at a counter: NIK or phone, the code, a password."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=s.AccountClaimInputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = s.AccountClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.account_claim(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BpjsCorrectionViewSet(viewsets.GenericViewSet):
    """Actions of the BPJS officer on a correction (no list: the work list
    is ``/applications/``)."""

    lookup_field = "uuid"
    permission_classes = [IsAuthenticated]
    serializer_class = s.HandoverOutputSerializer

    def get_queryset(self) -> QuerySet[Application]:
        return application_qs_visible_to(self.request.user).filter(
            service__agency__code__in=BPJS_AGENCIES
        )

    def _application(self, uuid) -> Application:
        return get_object_or_404(self.get_queryset(), uuid=uuid)

    @extend_schema(responses=s.HandoverOutputSerializer(many=True))
    @action(detail=True, methods=["get"])
    def handovers(self, request: Request, uuid: str) -> Response:
        application = self._application(uuid)
        return Response(
            s.HandoverOutputSerializer(handovers_of(application), many=True).data
        )

    @extend_schema(request=None, responses=s.HandoverOutputSerializer)
    @action(detail=True, methods=["post"])
    def handover(self, request: Request, uuid: str) -> Response:
        handover = services.bpjs_handover_start(
            application=self._application(uuid), user=request.user
        )
        return Response(
            s.HandoverOutputSerializer(handover).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(request=s.CompleteInputSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, uuid: str) -> Response:
        application = self._application(uuid)
        data = s.CompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.bpjs_correction_complete(
            application=application,
            user=request.user,
            reference=data.validated_data["reference"],
            seen_version=data.validated_data["version"],
        )
        return Response({"status": application.status, "version": application.version})

    @extend_schema(request=s.BpjsRejectInputSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, uuid: str) -> Response:
        application = self._application(uuid)
        data = s.BpjsRejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.bpjs_correction_reject(
            application=application,
            user=request.user,
            reason=data.validated_data["reason"],
            seen_version=data.validated_data["version"],
        )
        return Response({"status": application.status, "version": application.version})
