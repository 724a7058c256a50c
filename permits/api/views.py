"""Applications API: citizens' drafts, documents, submission, timeline,
withdrawal and objection; officers' step actions as POST actions.

Querysets are scoped (``application_qs_visible_to``): another citizen's or
agency's application is a 404 on every verb; an id of someone else's object
in a body (a step of another application, another citizen's document) is a
400. ``InvalidTransition``/``StaleVersion`` are 409 (``ptsp.api``).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.models import Service
from permits import services
from permits.models import Application, ApplicationDocument, ApplicationStep
from permits.selectors import application_qs_visible_to, application_timeline
from privacy.access import record_access

from . import serializers as s
from .filters import ApplicationFilter
from .permissions import IsOfficer


class NewestFirst(CursorPagination):
    ordering = "-id"


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "uuid"
    pagination_class = NewestFirst
    serializer_class = s.ApplicationOutputSerializer
    filterset_class = ApplicationFilter
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Application]:
        return application_qs_visible_to(self.request.user).prefetch_related(
            "steps__agency"
        )

    def retrieve(self, request: Request, uuid: str) -> Response:
        application = self.get_object()
        record_access(request, application=application)  # PDP access log
        return Response(self.get_serializer(application).data)

    def _own(self) -> Application:
        application = self.get_object()
        if application.applicant_id != self.request.user.pk:
            raise NotFound
        return application

    def _out(self, application: Application, code: int = 200) -> Response:
        application = self.get_queryset().get(pk=application.pk)
        return Response(s.ApplicationOutputSerializer(application).data, status=code)

    @extend_schema(request=s.DraftCreateInputSerializer)
    def create(self, request: Request) -> Response:
        data = s.DraftCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = Service.objects.filter(
            code=data.validated_data["service"], is_published=True
        ).first()
        if service is None:
            raise ValidationError({"service": "Unknown service."})
        application = services.application_create_draft(
            applicant=request.user,
            service=service,
            form_data=data.validated_data["form_data"],
        )
        return self._out(application, status.HTTP_201_CREATED)

    @extend_schema(request=s.DraftUpdateInputSerializer)
    def partial_update(self, request: Request, uuid: str) -> Response:
        own = self._own()
        data = s.DraftUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_update_draft(
            application=own,
            applicant=request.user,
            form_data=data.validated_data["form_data"],
        )
        return self._out(application)

    @extend_schema(
        request=None,
        responses=s.SubmitOutputSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, uuid: str) -> Response:
        application = self._own()  # 404 before anything else is said
        key = request.headers.get("Idempotency-Key", "")[:64]
        if not key:
            raise ValidationError({"Idempotency-Key": "This header is required."})
        application, code = services.application_submit(
            application=application, applicant=request.user, idempotency_key=key
        )
        application = self.get_queryset().get(pk=application.pk)
        application.tracking_code = code
        return Response(s.SubmitOutputSerializer(application).data)

    @extend_schema(
        request=s.DocumentInputSerializer, responses=s.DocumentOutputSerializer
    )
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, uuid: str) -> Response:
        application = self._own()
        data = s.DocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("document"):
            document = ApplicationDocument.objects.filter(
                uuid=data.validated_data["document"], owner=request.user
            ).first()
            if document is None:
                raise ValidationError({"document": "Unknown document."})
            services.document_attach(
                application=application, document=document, owner=request.user
            )
        else:
            upload = data.validated_data["file"]
            document = services.document_upload(
                owner=request.user,
                requirement_code=data.validated_data["requirement_code"],
                content=upload.read(),
                original_name=upload.name,
                application=application,
            )
        return Response(
            s.DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=s.TimelineOutputSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, uuid: str) -> Response:
        changes = application_timeline(self.get_object())
        return Response(s.TimelineOutputSerializer(changes, many=True).data)

    @extend_schema(request=s.WithdrawInputSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, uuid: str) -> Response:
        own = self._own()
        data = s.WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_withdraw(
            application=own, applicant=request.user, **data.validated_data
        )
        return self._out(application)

    @extend_schema(request=s.ReasonInputSerializer)
    @action(detail=True, methods=["post"])
    def objection(self, request: Request, uuid: str) -> Response:
        own = self._own()
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_object(
            application=own, applicant=request.user, **data.validated_data
        )
        return self._out(application)

    @extend_schema(request=s.ResubmitInputSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, uuid: str) -> Response:
        own = self._own()
        data = s.ResubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_resubmit(
            application=own,
            applicant=request.user,
            form_data=data.validated_data.get("form_data"),
        )
        return self._out(application)

    # --- Officer actions ---------------------------------------------------------

    def _step(self, application: Application, step_id: int) -> ApplicationStep:
        step = ApplicationStep.objects.filter(
            pk=step_id, application=application
        ).first()
        if step is None:
            raise ValidationError({"step": "Unknown step of this application."})
        return step

    def _officer_call(self, request, serializer_class, service, **extra_map):
        application = get_object_or_404(self.get_queryset(), uuid=self.kwargs["uuid"])
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        kwargs = {
            "application": application,
            "step": self._step(application, v.pop("step")),
            "user": request.user,
            "seen_version": v.pop("version"),
        }
        for target, source in extra_map.items():
            kwargs[target] = v.pop(source)
        service(**kwargs, **v)
        return self._out(application)

    @extend_schema(request=s.StepActionInputSerializer)
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsOfficer]
    )
    def complete(self, request: Request, uuid: str) -> Response:
        return self._officer_call(
            request, s.StepActionInputSerializer, services.application_step_complete
        )

    @extend_schema(request=s.ExternalInputSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="record-external",
        permission_classes=[IsAuthenticated, IsOfficer],
    )
    def record_external(self, request: Request, uuid: str) -> Response:
        return self._officer_call(
            request, s.ExternalInputSerializer, services.application_step_complete
        )

    @extend_schema(request=s.RevisionInputSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="request-revision",
        permission_classes=[IsAuthenticated, IsOfficer],
    )
    def request_revision(self, request: Request, uuid: str) -> Response:
        return self._officer_call(
            request, s.RevisionInputSerializer, services.application_request_revision
        )

    @extend_schema(request=s.StepActionInputSerializer)
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsOfficer]
    )
    def approve(self, request: Request, uuid: str) -> Response:
        return self._officer_call(
            request, s.StepActionInputSerializer, services.application_approve
        )

    @extend_schema(request=s.RejectInputSerializer)
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsOfficer]
    )
    def reject(self, request: Request, uuid: str) -> Response:
        application = get_object_or_404(self.get_queryset(), uuid=uuid)
        data = s.RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.application_reject(
            application=application,
            step=self._step(application, v["step"]),
            user=request.user,
            seen_version=v["version"],
            reason=v["reason"],
        )
        return self._out(application)


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The citizen's own uploads (to reuse them in a later application)."""

    lookup_field = "uuid"
    pagination_class = NewestFirst
    serializer_class = s.DocumentOutputSerializer
    permission_classes = [IsAuthenticated]

    queryset = ApplicationDocument.objects.none()  # for the schema generator

    def get_queryset(self) -> QuerySet[ApplicationDocument]:
        if getattr(self, "swagger_fake_view", False):
            return ApplicationDocument.objects.none()
        return ApplicationDocument.objects.filter(owner=self.request.user).order_by(
            "-created_at", "pk"
        )
