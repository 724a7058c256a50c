"""Queue API (``/api/v1/queue/``): kiosk (issue, check in), counter (call next and
the other transitions, each a POST), board, "my ticket" and bookings.

Kiosk, board and ticket endpoints are public like their pages (a ticket is
found only by its UUID). Counters are scoped to their operators: another
office's counter is a 404 on every verb. Bookings are the user's own.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from agencies.models import Service
from agencies.selectors import service_qs_public
from queueing import services
from queueing.choices import TicketChannel
from queueing.models import Booking, Counter, PriorityGroup, QueueTicket
from queueing.opening import QueueClosed, ensure_issuing_open
from queueing.permissions import (
    can_issue_reception,
    counters_operated_by,
    kiosk_network_allowed,
)
from queueing.selectors import (
    board_calls,
    booking_slots,
    bookings_of,
    counter_current_ticket,
    group_for_service,
    offices_with_queue,
)

from .serializers import (
    BoardCallSerializer,
    BookingInputSerializer,
    BookingSerializer,
    CheckInInputSerializer,
    CounterSerializer,
    CounterTicketSerializer,
    IssueInputSerializer,
    RecallInputSerializer,
    SlotSerializer,
    TicketSerializer,
    TransferInputSerializer,
)


def _service(code: str, office=None) -> Service:
    qs = service_qs_public()
    if office is not None:
        qs = qs.filter(queue_groups__office=office, queue_groups__is_active=True)
    service = qs.filter(code=code).first()
    if service is None:
        raise ValidationError({"service": ["Unknown service at this office."]})
    return service


class QueueOfficeViewSet(GenericViewSet):
    """Offices with a queue, by code: opening state, kiosk, board, slots."""

    permission_classes = [AllowAny]
    lookup_field = "code"
    queryset = offices_with_queue()
    pagination_class = None

    @extend_schema(responses={200: dict})
    def retrieve(self, request: Request, code: str) -> Response:
        """Whether tickets are issued now (with the message when not) and the
        services per group prefix."""
        office = self.get_object()
        try:
            ensure_issuing_open(office, timezone.now())
            state = {"issuing": True, "message": ""}
        except QueueClosed as exc:
            state = {"issuing": False, "message": exc.message, **exc.extra}
        groups = {}
        for service in (
            service_qs_public()
            .filter(queue_groups__office=office, queue_groups__is_active=True)
            .values("code", "queue_groups__prefix")
        ):
            groups.setdefault(service["queue_groups__prefix"], []).append(
                service["code"]
            )
        return Response(
            {"code": office.code, "name": office.name, **state, "groups": groups}
        )

    @extend_schema(request=IssueInputSerializer, responses={201: TicketSerializer})
    @action(detail=True, methods=["post"])
    def tickets(self, request: Request, code: str) -> Response:
        """Issue a ticket (kiosk: NIK required; staff of the office: reception,
        with an optional priority group)."""
        office = self.get_object()
        data = IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reception = can_issue_reception(request.user, office)
        if not reception and not kiosk_network_allowed(request):
            raise NotFound
        priority = None
        if reception and data.validated_data.get("priority"):
            priority = get_object_or_404(
                PriorityGroup, code=data.validated_data["priority"], is_active=True
            )
        ticket = services.ticket_issue(
            office=office,
            service=_service(data.validated_data["service"], office),
            nik=data.validated_data.get("nik", ""),
            channel=TicketChannel.RECEPTION if reception else TicketChannel.KIOSK,
            priority=priority,
            application_reference=(
                data.validated_data.get("application_reference", "")
                if reception
                else ""
            ),
        )
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckInInputSerializer, responses={201: TicketSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, code: str) -> Response:
        """Check a booking in with its code and the NIK; returns the ticket."""
        office = self.get_object()
        if not can_issue_reception(request.user, office) and not kiosk_network_allowed(
            request
        ):
            raise NotFound
        data = CheckInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.booking_check_in(office=office, **data.validated_data)
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BoardCallSerializer(many=True))
    @action(detail=True)
    def board(self, request: Request, code: str) -> Response:
        """The current call of each counter; ``key`` changes with every call."""
        calls = board_calls(self.get_object())
        return Response(BoardCallSerializer(calls, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("service", str, required=True),
            OpenApiParameter("date", dt.date, required=True),
        ],
        responses=SlotSerializer(many=True),
    )
    @action(detail=True)
    def slots(self, request: Request, code: str) -> Response:
        """Booking slots of a service on a WIB date, with free places."""
        office = self.get_object()
        service = _service(request.query_params.get("service", ""), office)
        try:
            day = dt.date.fromisoformat(request.query_params.get("date", ""))
        except ValueError as exc:
            raise ValidationError({"date": ["Use YYYY-MM-DD."]}) from exc
        group = group_for_service(office, service)
        slots = booking_slots(group, day) if group else []
        return Response(
            SlotSerializer(
                [
                    {
                        "starts_at": s.starts_at,
                        "ends_at": s.ends_at,
                        "capacity": s.capacity,
                        "free": s.free,
                    }
                    for s in slots
                ],
                many=True,
            ).data
        )


class TicketViewSet(mixins.RetrieveModelMixin, GenericViewSet):
    """A ticket by its UUID (the link on the slip): status, position, wait."""

    permission_classes = [AllowAny]
    serializer_class = TicketSerializer
    lookup_field = "uuid"
    queryset = QueueTicket.objects.select_related(
        "office", "service__current_version", "counter", "group"
    )


class CounterViewSet(ReadOnlyModelViewSet):
    """The counters the user operates. Each action is a POST and answers with
    the ticket concerned (``call-next``: 204 when nobody waits)."""

    permission_classes = [IsAuthenticated]
    serializer_class = CounterSerializer

    class Pagination(CursorPagination):
        ordering = "id"

    pagination_class = Pagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Counter.objects.none()
        return counters_operated_by(self.request.user).prefetch_related(
            "service_groups"
        )

    def _answer(self, ticket) -> Response:
        return Response(CounterTicketSerializer(ticket).data)

    @extend_schema(responses={200: CounterTicketSerializer})
    @action(detail=True)
    def current(self, request: Request, pk: str) -> Response:
        ticket = counter_current_ticket(self.get_object())
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._answer(ticket)

    @extend_schema(request=None, responses={200: CounterTicketSerializer, 204: None})
    @action(detail=True, methods=["post"], url_path="call-next")
    def call_next(self, request: Request, pk: str) -> Response:
        ticket = services.ticket_call_next(counter=self.get_object(), user=request.user)
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._answer(ticket)

    @extend_schema(request=RecallInputSerializer, responses=CounterTicketSerializer)
    @action(detail=True, methods=["post"])
    def recall(self, request: Request, pk: str) -> Response:
        counter = self.get_object()
        data = RecallInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parked = None
        if data.validated_data.get("ticket"):
            parked = get_object_or_404(
                QueueTicket, uuid=data.validated_data["ticket"], counter=counter
            )
        ticket = services.ticket_recall(
            counter=counter, user=request.user, ticket=parked
        )
        return self._answer(ticket)

    @extend_schema(request=None, responses=CounterTicketSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._answer(
            services.ticket_start(counter=self.get_object(), user=request.user)
        )

    @extend_schema(request=None, responses=CounterTicketSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str) -> Response:
        return self._answer(
            services.ticket_finish(counter=self.get_object(), user=request.user)
        )

    @extend_schema(request=None, responses=CounterTicketSerializer)
    @action(detail=True, methods=["post"])
    def park(self, request: Request, pk: str) -> Response:
        return self._answer(
            services.ticket_park(counter=self.get_object(), user=request.user)
        )

    @extend_schema(request=TransferInputSerializer, responses=CounterTicketSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        counter = self.get_object()
        data = TransferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        to_counter = None
        if data.validated_data.get("to_counter"):
            to_counter = Counter.objects.filter(
                pk=data.validated_data["to_counter"], office_id=counter.office_id
            ).first()
            if to_counter is None:
                raise ValidationError({"to_counter": ["Unknown counter."]})
        to_service = None
        if data.validated_data.get("to_service"):
            to_service = _service(data.validated_data["to_service"], counter.office)
        ticket = services.ticket_transfer(
            counter=counter,
            user=request.user,
            to_counter=to_counter,
            to_service=to_service,
        )
        return self._answer(ticket)


class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The user's own bookings; ``POST`` books a slot, ``cancel`` cancels."""

    permission_classes = [IsAuthenticated]
    serializer_class = BookingSerializer
    lookup_field = "uuid"

    class Pagination(CursorPagination):
        ordering = "-slot_starts_at"

    pagination_class = Pagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Booking.objects.none()
        return bookings_of(self.request.user)

    @extend_schema(request=BookingInputSerializer, responses={201: BookingSerializer})
    def create(self, request: Request) -> Response:
        data = BookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        office = get_object_or_404(
            offices_with_queue(), code=data.validated_data["office"]
        )
        booking = services.booking_create(
            citizen=request.user,
            office=office,
            service=_service(data.validated_data["service"], office),
            slot_starts_at=data.validated_data["slot_starts_at"],
            nik=data.validated_data["nik"],
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, uuid: str) -> Response:
        booking = services.booking_cancel(
            booking=self.get_object(), citizen=request.user
        )
        return Response(BookingSerializer(booking).data)
