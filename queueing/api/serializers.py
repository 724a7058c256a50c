"""Serializers of the queue API: input ones only validate, output ones are
read-only. Times are UTC (ISO 8601)."""

from rest_framework import serializers

from queueing.models import Booking, Counter, QueueTicket
from queueing.selectors import BoardCall, ticket_progress


class TicketSerializer(serializers.ModelSerializer):
    """A ticket as its holder sees it: number, status, where to go, and while
    waiting, ``ahead`` (tickets before it) and ``wait_minutes`` (estimate)."""

    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_name = serializers.CharField(source="service.__str__", read_only=True)
    counter = serializers.CharField(
        source="counter.signage", read_only=True, default=None
    )
    ahead = serializers.SerializerMethodField()
    wait_minutes = serializers.SerializerMethodField()

    class Meta:
        model = QueueTicket
        fields = [
            "uuid",
            "number",
            "status",
            "office",
            "service",
            "service_name",
            "issued_at",
            "called_at",
            "counter",
            "ahead",
            "wait_minutes",
        ]
        read_only_fields = fields

    def _progress(self, ticket):
        cache = self.context.setdefault("_progress", {})
        if ticket.pk not in cache:
            cache[ticket.pk] = ticket_progress(ticket)
        return cache[ticket.pk]

    def get_ahead(self, ticket) -> int | None:
        return self._progress(ticket).ahead

    def get_wait_minutes(self, ticket) -> int | None:
        return self._progress(ticket).wait_minutes


class CounterTicketSerializer(serializers.ModelSerializer):
    """A ticket as the counter officer sees it (with the application link)."""

    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    priority = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = QueueTicket
        fields = [
            "uuid",
            "number",
            "status",
            "service",
            "priority",
            "application_reference",
            "recall_count",
            "issued_at",
            "called_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class CounterSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    label = serializers.CharField(source="signage", read_only=True)
    service_groups = serializers.SlugRelatedField(
        slug_field="prefix", many=True, read_only=True
    )

    class Meta:
        model = Counter
        fields = ["id", "number", "label", "office", "service_groups", "is_active"]
        read_only_fields = fields


class BoardCallSerializer(serializers.Serializer):
    counter = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()
    key = serializers.CharField()
    speech = serializers.CharField()

    def get_counter(self, call: BoardCall) -> str:
        return call.counter.signage

    def get_number(self, call: BoardCall) -> str | None:
        return call.ticket.number if call.ticket else None


class IssueInputSerializer(serializers.Serializer):
    service = serializers.SlugField(help_text="Service code, e.g. pbg-umum.")
    nik = serializers.CharField(
        required=False, allow_blank=True, max_length=24, help_text="16 digits."
    )
    priority = serializers.SlugField(
        required=False, help_text="Priority group code (reception only)."
    )
    application_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=32
    )


class CheckInInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
    nik = serializers.CharField(max_length=24)


class TransferInputSerializer(serializers.Serializer):
    to_counter = serializers.IntegerField(required=False)
    to_service = serializers.SlugField(required=False)


class RecallInputSerializer(serializers.Serializer):
    ticket = serializers.UUIDField(
        required=False, help_text="A parked ticket to call back."
    )


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    free = serializers.IntegerField()


class BookingSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ticket = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "uuid",
            "code",
            "office",
            "service",
            "slot_starts_at",
            "slot_ends_at",
            "status",
            "ticket",
            "application_reference",
        ]
        read_only_fields = fields


class BookingInputSerializer(serializers.Serializer):
    office = serializers.SlugField()
    service = serializers.SlugField()
    slot_starts_at = serializers.DateTimeField()
    nik = serializers.CharField(max_length=24)
