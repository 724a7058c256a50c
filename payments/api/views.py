"""Payments API: public fee rules; scoped bills (issue at the fee step,
reissue, manual confirmation); refunds with approval; the gateway's signed
inquiry and callback endpoints (no session: the HMAC signature authenticates,
``docs/payments.md``).

Another citizen's or agency's bill is a 404 on every verb (scoped
querysets); domain errors map to 400/409 (``ptsp.api``).
"""

import json

from django.db.models import QuerySet
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes
from rest_framework.decorators import permission_classes as permissions
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from audit.context import audit_actor
from payments import services
from payments.choices import BillStatus
from payments.gateways import get_gateway
from payments.models import Bill, FeeRule, Refund
from payments.selectors import (
    bills_visible_to,
    callbacks_visible_to,
    payments_visible_to,
    refunds_visible_to,
)
from permits.models import ApplicationStep
from permits.selectors import application_qs_visible_to

from . import serializers as s

GATEWAY_ACTOR = "system:payment-gateway"


class NewestFirst(CursorPagination):
    ordering = "-id"


class FeeRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """Published fee rules (anyone may read them)."""

    serializer_class = s.FeeRuleOutputSerializer
    permission_classes = [AllowAny]
    lookup_field = "service__code"
    lookup_url_kwarg = "service"
    queryset = FeeRule.objects.select_related("service").order_by("service__code")
    pagination_class = None


class BillViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    lookup_field = "uuid"
    pagination_class = NewestFirst
    serializer_class = s.BillOutputSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = {"status": ["exact"], "created_at": ["gte", "lte"]}

    def get_queryset(self) -> QuerySet[Bill]:
        return (
            bills_visible_to(self.request.user)
            .select_related("payment", "replaces")
            .order_by("-id")
        )

    @extend_schema(request=s.BillIssueInputSerializer, responses=s.BillOutputSerializer)
    def create(self, request: Request) -> Response:
        """Issue the bill at the fee-assessment step (the officer of the step);
        with an exemption no bill is issued (204)."""
        data = s.BillIssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        # Ids in the body are input: an unseen one is a 400 naming the field.
        application = (
            application_qs_visible_to(request.user)
            .filter(uuid=v["application"])
            .first()
        )
        if application is None:
            raise ValidationError({"application": ["Unknown application."]})
        step = ApplicationStep.objects.filter(
            pk=v["step"], application=application
        ).first()
        if step is None:
            raise ValidationError({"step": ["Not a step of this application."]})
        bill = services.bill_issue(
            application=application,
            step=step,
            user=request.user,
            seen_version=v.get("seen_version"),
            floor_area_m2=v.get("floor_area_m2"),
            building_function=v.get("building_function", ""),
            exemption=v.get("exemption", ""),
            note=v.get("note", ""),
        )
        if bill is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.BillOutputSerializer(bill).data, status=201)

    @extend_schema(request=None, responses=s.BillOutputSerializer)
    @action(detail=True, methods=["post"])
    def reissue(self, request: Request, uuid: str) -> Response:
        bill = services.bill_reissue(bill=self.get_object(), user=request.user)
        return Response(s.BillOutputSerializer(bill).data, status=201)

    @extend_schema(
        request=s.ManualConfirmInputSerializer, responses=s.PaymentOutputSerializer
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, uuid: str) -> Response:
        """Bapenda/BPKD officers confirm a payment with evidence."""
        bill = self.get_object()
        data = s.ManualConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        payment = services.payment_confirm_manual(
            bill=bill,
            user=request.user,
            amount=v["amount"],
            paid_at=v["paid_at"],
            reference=v["reference"],
            evidence=v["evidence"].read(),
            note=v.get("note", ""),
        )
        return Response(s.PaymentOutputSerializer(payment).data, status=201)


class RefundViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    lookup_field = "uuid"
    pagination_class = NewestFirst
    serializer_class = s.RefundOutputSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Refund]:
        return refunds_visible_to(self.request.user).order_by("-id")

    @extend_schema(
        request=s.RefundRequestInputSerializer, responses=s.RefundOutputSerializer
    )
    def create(self, request: Request) -> Response:
        data = s.RefundRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        payment = payments_visible_to(request.user).filter(uuid=v["payment"]).first()
        if payment is None:
            raise ValidationError({"payment": ["Unknown payment."]})
        refund = services.refund_request(
            payment=payment,
            user=request.user,
            amount=v["amount"],
            reason=v["reason"],
            note=v["note"],
        )
        return Response(s.RefundOutputSerializer(refund).data, status=201)

    def _decide(self, request: Request, approve: bool) -> Response:
        refund = self.get_object()
        data = s.RefundDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = services.refund_decide(
            refund=refund,
            user=request.user,
            approve=approve,
            note=data.validated_data.get("note", ""),
        )
        return Response(s.RefundOutputSerializer(refund).data)

    @extend_schema(
        request=s.RefundDecisionInputSerializer, responses=s.RefundOutputSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, uuid: str) -> Response:
        return self._decide(request, True)

    @extend_schema(
        request=s.RefundDecisionInputSerializer, responses=s.RefundOutputSerializer
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, uuid: str) -> Response:
        return self._decide(request, False)


class CallbackViewSet(viewsets.ReadOnlyModelViewSet):
    """Every gateway callback attempt (Bapenda/BPKD officers, auditors)."""

    pagination_class = NewestFirst
    serializer_class = s.CallbackOutputSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return callbacks_visible_to(self.request.user).order_by("-id")


def _remote_addr(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@extend_schema(request=None, responses=s.GatewayAnswerSerializer)
@csrf_exempt
@api_view(["POST"])
@authentication_classes([])
@permissions([AllowAny])
def gateway_callback(request: Request) -> Response:
    """A payment notification from the gateway (HMAC-signed JSON)."""
    body = request._request.body
    with audit_actor(system=GATEWAY_ACTOR):
        callback = services.callback_receive(
            body=body, headers=request.headers, remote_addr=_remote_addr(request)
        )
    return Response(
        {"outcome": callback.outcome, "detail": callback.get_outcome_display()},
        status=services.CALLBACK_HTTP_STATUS[callback.outcome],
    )


@extend_schema(request=None, responses=s.GatewayAnswerSerializer)
@csrf_exempt
@api_view(["POST"])
@authentication_classes([])
@permissions([AllowAny])
def gateway_inquiry(request: Request) -> Response:
    """The gateway asks what a billing code owes (HMAC-signed JSON
    ``{"billing_code": ...}``); answers amount, due time and whether it can
    be paid now. No personal data."""
    body = request._request.body
    gateway = get_gateway()
    if not gateway.verify(body=body, headers=request.headers):
        return Response({"outcome": "bad_signature"}, status=401)
    try:
        code = str(json.loads(body)["billing_code"]).replace(" ", "")
    except (ValueError, KeyError, TypeError):
        return Response({"outcome": "malformed"}, status=400)
    bill = (
        Bill.objects.select_related("application__service_version")
        .filter(billing_code=code)
        .first()
    )
    if bill is None:
        return Response({"outcome": "unknown_bill"}, status=404)
    payable = bill.status == BillStatus.OPEN and bill.due_at > timezone.now()
    return Response(
        {
            "outcome": "ok",
            "billing_code": bill.billing_code,
            "amount": bill.amount,
            "due_at": bill.due_at.isoformat(),
            "status": bill.status,
            "payable": payable,
            "description": f"Retribusi {bill.application.reference}",
        }
    )
