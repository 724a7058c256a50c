"""Transparency API: public figures; the citizen's survey invitations and
answers; complaints (citizens file and read theirs, the agency's officers
answer, supervisors hand over to SP4N-LAPOR!). Querysets are scoped: another
citizen's or agency's object is a 404 on every verb."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Officer
from accounts.permissions import user_can
from agencies.models import Agency, Office
from permits.models import Application
from transparency import services
from transparency.choices import ComplaintSubject
from transparency.models import Complaint, SurveyInvitation
from transparency.selectors import (
    Semester,
    complaints_visible_to,
    csv_rows,
    dashboard_figures,
    invitations_of,
    officer_workload,
    refreshed_at,
)

from . import serializers as s


class ById(CursorPagination):
    ordering = "id"


class NewestFirst(CursorPagination):
    ordering = "-id"


_AGENCY = OpenApiParameter("agency", str, description="Agency code, e.g. DINKES.")
_SEMESTER = OpenApiParameter("semester", str, description="IKM semester, e.g. 2026-1.")


def _agency(request) -> Agency | None:
    code = request.query_params.get("agency")
    if code and "\x00" in code:
        raise Http404  # PostgreSQL refuses NUL in a text literal (a 500)
    return get_object_or_404(Agency, code=code) if code else None


def _figures(f) -> dict:
    return {
        "label": f.label,
        "code": f.code,
        "received": f.received,
        "finished": f.finished,
        "rejected": f.rejected,
        "median_days": f.median_days,
        "sla_percent": f.sla_percent,
        "open": f.open,
        "overdue": f.overdue,
        "ikm": None
        if f.ikm is None
        else {
            "respondents": f.ikm.respondents,
            "element_means": list(f.ikm.element_means),
            "value": f.ikm.value,
            "grade": f.ikm.grade,
        },
    }


class DashboardView(APIView):
    """Figures of the last 12 months and the IKM of a semester, for the city
    (one line per agency) or ``?agency=CODE`` (one line per service)."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[_AGENCY, _SEMESTER], responses=s.DashboardSerializer)
    def get(self, request: Request) -> Response:
        agency = _agency(request)
        semester = Semester.parse(
            request.query_params.get("semester"), Semester.current()
        )
        total, lines = dashboard_figures(agency=agency, semester=semester)
        data = {
            "semester": semester.code,
            "refreshed_at": refreshed_at(),
            "total": _figures(total) if total else None,
            "lines": [_figures(f) for f in lines],
        }
        return Response(s.DashboardSerializer(data).data)


class WorkloadView(APIView):
    """Workload per officer of ``?agency=CODE``, for that agency's supervisors
    and heads, auditors and admins; 404 for anyone else."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[_AGENCY], responses=s.WorkloadSerializer(many=True))
    def get(self, request: Request) -> Response:
        agency = _agency(request)
        if agency is None or not user_can(
            request.user, "transparency.view_agency", agency
        ):
            raise NotFound
        rows = officer_workload(agency=agency)
        return Response(s.WorkloadSerializer(rows, many=True).data)


class MonthViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Monthly rows (``month`` null: the last 12 months) of every agency and
    service, or of ``?agency=CODE``."""

    permission_classes = [AllowAny]
    serializer_class = s.MonthSerializer
    pagination_class = ById

    def get_queryset(self):
        return csv_rows(agency=_agency(self.request))

    @extend_schema(parameters=[_AGENCY])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class SurveyInvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The citizen's survey invitations; ``answer`` records the nine scores."""

    lookup_field = "uuid"
    permission_classes = [IsAuthenticated]
    serializer_class = s.InvitationSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return SurveyInvitation.objects.none()
        return invitations_of(self.request.user)

    @extend_schema(
        request=s.SurveyAnswerInputSerializer, responses=s.InvitationSerializer
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, uuid: str) -> Response:
        invitation = self.get_object()
        data = s.SurveyAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = dict(data.validated_data)
        suggestion = answers.pop("suggestion", "")
        services.survey_submit(
            invitation=invitation,
            user=request.user,
            answers=answers,
            suggestion=suggestion,
        )
        invitation.refresh_from_db()
        return Response(s.InvitationSerializer(invitation).data, status=201)


class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Complaints visible to the user: their own, or their agency's."""

    lookup_field = "uuid"
    permission_classes = [IsAuthenticated]
    serializer_class = s.ComplaintOutputSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Complaint.objects.none()
        return complaints_visible_to(self.request.user).select_related(
            "application", "office"
        )

    @extend_schema(
        request=s.ComplaintInputSerializer, responses=s.ComplaintOutputSerializer
    )
    def create(self, request: Request) -> Response:
        data = s.ComplaintInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        kind = v["subject_kind"]
        subject = {}
        if kind == ComplaintSubject.APPLICATION:
            subject["application"] = Application.objects.filter(
                applicant=request.user, uuid=v.get("application")
            ).first()
        elif kind == ComplaintSubject.OFFICE:
            subject["office"] = Office.objects.filter(code=v.get("office")).first()
        else:
            subject["officer"] = Officer.objects.filter(pk=v.get("officer")).first()
        if not any(subject.values()):
            raise ValidationError({kind: ["Unknown or not yours."]})
        complaint = services.complaint_file(
            citizen=request.user,
            kind=kind,
            title=v["title"],
            description=v["description"],
            **subject,
        )
        return Response(s.ComplaintOutputSerializer(complaint).data, status=201)

    @extend_schema(
        request=s.AnswerInputSerializer, responses=s.ComplaintOutputSerializer
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, uuid: str) -> Response:
        data = s.AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = services.complaint_answer(
            complaint=self.get_object(),
            user=request.user,
            answer=data.validated_data["answer"],
        )
        return Response(s.ComplaintOutputSerializer(complaint).data)

    @extend_schema(request=None, responses=s.ComplaintOutputSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, uuid: str) -> Response:
        complaint = services.complaint_forward(
            complaint=self.get_object(), user=request.user
        )
        return Response(s.ComplaintOutputSerializer(complaint).data)
