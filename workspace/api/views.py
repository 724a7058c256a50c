"""Workspace API: the officer's task queues with the page's filters, sorts and
cursor pages; claim and (re)assign in bulk; the officer's view of an
application and its internal notes.

Every queryset starts from the user's agencies (``workspace.selectors``):
another agency's task or application is absent from lists and counts and a
404 on every verb; an id of one in a body is refused like an unknown id.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Officer
from accounts.permissions import user_can
from accounts.selectors import officers_acting_as
from agencies.models import Agency
from permits.models import Application, ApplicationStep
from privacy.access import record_access
from sla.selectors import with_sla_clock
from workspace import services
from workspace.filters import TaskFilter
from workspace.permissions import MANAGING_ROLES
from workspace.selectors import (
    SORTS,
    Tab,
    applications_for_officer,
    capped_count,
    notes_of,
    tasks_for,
)

from . import serializers as s


class IsWorkspaceUser(BasePermission):
    """An active officer with an agency (own or held by delegation)."""

    def has_permission(self, request, view) -> bool:
        return user_can(request.user, "workspace.use", None)


class TaskCursor(CursorPagination):
    """Keyset pages in the ``?sort=`` order (default ``due``), ties broken by
    the primary key; page size ``WORKSPACE_PAGE_SIZE``."""

    page_size_query_param = None

    def get_page_size(self, request):
        return settings.WORKSPACE_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        sort = request.query_params.get("sort", "due")
        return SORTS.get(sort, SORTS["due"]).ordering


TAB_PARAM = OpenApiParameter(
    "tab", str, enum=Tab.values, description="Queue (default mine)."
)
SORT_PARAM = OpenApiParameter("sort", str, enum=list(SORTS), description="Order.")


class TaskViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.TaskOutputSerializer
    filterset_class = TaskFilter
    pagination_class = TaskCursor
    permission_classes = [IsAuthenticated, IsWorkspaceUser]
    queryset = ApplicationStep.objects.none()  # for the schema generator

    def _officers(self):
        if not hasattr(self, "_officers_cache"):
            self._officers_cache = officers_acting_as(self.request.user)
            # Read by the filter's choice lists (``workspace.filters``).
            self.request.workspace_agency_ids = sorted(
                {o.agency_id for o in self._officers_cache if o.agency_id}
            )
        return self._officers_cache

    def get_queryset(self) -> QuerySet[ApplicationStep]:
        if getattr(self, "swagger_fake_view", False):
            return ApplicationStep.objects.none()
        tab = self.request.query_params.get("tab") or Tab.MINE.value
        if tab not in Tab.values:
            raise ValidationError({"tab": "Unknown queue."})
        if tab == Tab.AGENCY and not any(
            o.agency_id and o.role in MANAGING_ROLES for o in self._officers()
        ):
            raise PermissionDenied
        return tasks_for(self.request.user, tab, officers=self._officers())

    def filter_queryset(self, queryset):
        # The clock's state for the rows of the page (``sla_state``,
        # ``sla_remaining``): a paused application has no ``due_at``.
        return with_sla_clock(
            super().filter_queryset(queryset), application="application_id"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["officers"] = self._officers()
            context["agency_codes"] = dict(
                Agency.objects.filter(
                    pk__in=self.request.workspace_agency_ids
                ).values_list("pk", "code")
            )
        return context

    @extend_schema(parameters=[TAB_PARAM, SORT_PARAM])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.CountsOutputSerializer, filters=False)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def counts(self, request: Request) -> Response:
        """Tasks per queue, capped at ``WORKSPACE_COUNT_CAP`` (``capped`` true
        means "at least this many")."""
        officers = self._officers()
        out = {
            t: capped_count(tasks_for(request.user, t, officers=officers))
            for t in (Tab.MINE, Tab.UNASSIGNED)
        }
        if any(o.agency_id and o.role in MANAGING_ROLES for o in officers):
            out[Tab.AGENCY] = capped_count(
                tasks_for(request.user, Tab.AGENCY, officers=officers)
            )
        return Response(s.CountsOutputSerializer(out).data)

    def _steps_out(self, steps) -> Response:
        ids = [step.pk for step in steps]
        qs = (
            ApplicationStep.objects.filter(pk__in=ids)
            .select_related(
                "application__service",
                "application__applicant",
                "assigned_officer__user",
            )
            .order_by("pk")
        )
        data = s.TaskOutputSerializer(
            qs, many=True, context=self.get_serializer_context()
        ).data
        return Response({"results": data})

    @extend_schema(
        request=s.ClaimInputSerializer, responses=s.TaskOutputSerializer(many=True)
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def claim(self, request: Request) -> Response:
        """Claim the tasks ``steps`` (all or none)."""
        data = s.ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        steps = services.tasks_claim(
            user=request.user, step_ids=v["steps"], reason=v["reason"]
        )
        return self._steps_out(steps)

    @extend_schema(
        request=s.AssignInputSerializer, responses=s.TaskOutputSerializer(many=True)
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def assign(self, request: Request) -> Response:
        """Give the tasks ``steps`` to ``officer`` with one ``reason``
        (supervisors and agency heads of the tasks' agency)."""
        data = s.AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        managed = {o.agency_id for o in self._officers() if o.role in MANAGING_ROLES}
        officer = Officer.objects.filter(pk=v["officer"], agency_id__in=managed).first()
        if officer is None:
            raise ValidationError({"officer": "Unknown officer."})
        steps = services.tasks_assign(
            user=request.user, step_ids=v["steps"], officer=officer, reason=v["reason"]
        )
        return self._steps_out(steps)


class OfficerApplicationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An application of the officer's agency, read by its UUID."""

    lookup_field = "uuid"
    serializer_class = s.OfficerApplicationSerializer
    permission_classes = [IsAuthenticated, IsWorkspaceUser]
    queryset = Application.objects.none()  # for the schema generator

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return applications_for_officer(self.request.user)

    def retrieve(self, request: Request, uuid: str) -> Response:
        application = self.get_object()
        record_access(request, application=application)  # PDP access log
        return Response(self.get_serializer(application).data)

    @extend_schema(
        methods=["get"], request=None, responses=s.NoteOutputSerializer(many=True)
    )
    @extend_schema(
        methods=["post"],
        request=s.NoteInputSerializer,
        responses=s.NoteOutputSerializer,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def notes(self, request: Request, uuid: str) -> Response:
        """Internal notes of the application (GET), or add one (POST)."""
        application = get_object_or_404(self.get_queryset(), uuid=uuid)
        if request.method == "GET":
            return Response(
                s.NoteOutputSerializer(notes_of(application), many=True).data
            )
        data = s.NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_add(
            user=request.user, application=application, body=data.validated_data["body"]
        )
        note = notes_of(application).get(pk=note.pk)
        return Response(
            s.NoteOutputSerializer(note).data, status=status.HTTP_201_CREATED
        )
