"""Auditor API: the trail with the workspace's filters (keyset pages, no
counts), the integrity status and "verify now". Auditors and admins only; the
read-only rule of auditors is enforced for every endpoint by
``auditor.middleware``."""

from django.conf import settings

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from auditor import services
from auditor.forms import TrailFilterForm
from auditor.selectors import BadCursor, integrity_status, trail_page

from . import serializers as s
from .permissions import CanReadTrail

FILTER_PARAMETERS = [
    OpenApiParameter("date_from", str, description="WIB date, YYYY-MM-DD."),
    OpenApiParameter("date_to", str, description="WIB date, inclusive."),
    OpenApiParameter("reference", str, description="Application reference."),
    OpenApiParameter("actor", str, description="Username or system:<task>."),
    OpenApiParameter("role", str),
    OpenApiParameter("agency", str, description="Agency or office code."),
    OpenApiParameter("action", str, description="Exact, or a prefix ending in '.'."),
    OpenApiParameter("object_type", str),
    OpenApiParameter("object_id", str),
    OpenApiParameter("order", str, enum=["asc", "desc"]),
    OpenApiParameter("cursor", str),
]


class EntryListView(APIView):
    """``GET /api/v1/auditor/entries/``: entries matching the filters in time
    order (newest first; ``order=asc`` for a timeline); ``next`` is the cursor
    of the next page, ``null`` at the end. No total count."""

    permission_classes = [IsAuthenticated, CanReadTrail]

    @extend_schema(parameters=FILTER_PARAMETERS, responses=s.EntryPageSerializer)
    def get(self, request: Request) -> Response:
        form = TrailFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        ascending = request.query_params.get("order") == "asc"
        try:
            page = trail_page(
                form.filters(ascending=ascending),
                cursor=request.query_params.get("cursor", ""),
                limit=settings.AUDITOR_PAGE_SIZE,
            )
        except BadCursor:
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None
        return Response(
            {
                "next": page.next_cursor,
                "results": s.EntryOutputSerializer(page.entries, many=True).data,
            }
        )


def _integrity_data() -> dict:
    st = integrity_status()
    seal, cp = st.last_seal, st.last_checkpoint
    return {
        "last_seal_seq": seal.seq if seal else None,
        "last_seal_hash": seal.hash if seal else None,
        "last_sealed_entry": seal.entry_id if seal else None,
        "last_sealed_at": seal.sealed_at if seal else None,
        "last_checkpoint_number": cp.number if cp else None,
        "last_checkpoint_seq": cp.seq if cp else None,
        "last_checkpoint_at": cp.created_at if cp else None,
        "last_verification": st.last_run,
        "pending_verification": st.pending_run,
    }


class IntegrityView(APIView):
    """``GET /api/v1/auditor/integrity/``: last seal, last signed checkpoint,
    the latest stored verification and one waiting. ``POST``: verify now
    (enqueued after commit; 202 with the pending run)."""

    permission_classes = [IsAuthenticated, CanReadTrail]

    @extend_schema(responses=s.IntegrityOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.IntegrityOutputSerializer(_integrity_data()).data)

    @extend_schema(
        request=s.VerifyRequestInputSerializer,
        responses={202: s.VerificationRunOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.VerifyRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.verification_request(
            user=request.user, full=data.validated_data["full"]
        )
        return Response(
            s.VerificationRunOutputSerializer(run).data, status=status.HTTP_202_ACCEPTED
        )
