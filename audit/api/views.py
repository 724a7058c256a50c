"""Audit API: chain verification (staff and auditors) and the public checkpoints."""

from django.http import Http404

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditCheckpoint
from audit.verification import audit_verify

from .permissions import CanVerifyAuditTrail
from .serializers import (
    CheckpointOutputSerializer,
    VerificationOutputSerializer,
    VerifyInputSerializer,
)


class VerifyView(APIView):
    """``GET /api/v1/audit/verify/``: verify the seal chain and the checkpoints.

    By default from the latest validly signed checkpoint (seconds even on a large
    trail); ``?full=true`` from the first seal (about 100,000 entries a second).
    Always 200; ``ok`` is false and ``first_broken`` names the entry when the
    chain is broken.
    """

    permission_classes = [IsAuthenticated, CanVerifyAuditTrail]

    @extend_schema(
        parameters=[OpenApiParameter("full", bool)],
        responses=VerificationOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        data = VerifyInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        result = audit_verify(since_checkpoint=not data.validated_data["full"])
        return Response(VerificationOutputSerializer(result.as_dict()).data)


class CheckpointPagination(CursorPagination):
    ordering = "-number"


class CheckpointListView(ListAPIView):
    """``GET /api/v1/audit/checkpoints/``: every signed checkpoint, newest first.

    Public on purpose: anyone may archive them and later prove that the trail
    was not rewritten. Verify a signature with the ``public_key`` (Ed25519, raw,
    base64) over ``message`` (UTF-8).
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = CheckpointOutputSerializer
    pagination_class = CheckpointPagination
    queryset = AuditCheckpoint.objects.all()


class LatestCheckpointView(RetrieveAPIView):
    """``GET /api/v1/audit/checkpoints/latest/``: the newest checkpoint (public)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = CheckpointOutputSerializer

    def get_object(self) -> AuditCheckpoint:
        checkpoint = AuditCheckpoint.objects.order_by("-number").first()
        if checkpoint is None:
            raise Http404
        return checkpoint
