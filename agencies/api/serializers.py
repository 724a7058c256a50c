"""Read-only output serializers of the catalogue API. Times are ISO 8601 UTC;
calendar wall-clock times are local to the calendar's ``timezone`` (WIB)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import (
    Agency,
    Calendar,
    CalendarOverride,
    District,
    Holiday,
    Office,
    OverrideInterval,
    Service,
    ServiceStep,
    ServiceVersion,
    Village,
    WeeklyInterval,
)


class AgencySerializer(serializers.ModelSerializer):
    working_calendar = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "name_en",
            "short_name",
            "kind",
            "role",
            "role_en",
            "working_calendar",
            "is_active",
        ]


class IntervalSerializer(serializers.ModelSerializer):
    class Meta:
        model = WeeklyInterval
        fields = ["weekday", "opens_at", "closes_at"]


class OverrideIntervalSerializer(serializers.ModelSerializer):
    class Meta:
        model = OverrideInterval
        fields = ["weekday", "opens_at", "closes_at"]


class CalendarOverrideSerializer(serializers.ModelSerializer):
    intervals = OverrideIntervalSerializer(many=True, read_only=True)

    class Meta:
        model = CalendarOverride
        fields = [
            "code",
            "name",
            "name_en",
            "date_from",
            "date_to",
            "is_closed",
            "is_provisional",
            "source",
            "note",
            "intervals",
        ]


class CalendarSerializer(serializers.ModelSerializer):
    weekly_intervals = IntervalSerializer(many=True, read_only=True)
    overrides = CalendarOverrideSerializer(many=True, read_only=True)

    class Meta:
        model = Calendar
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "timezone",
            "is_assumed",
            "source",
            "note",
            "weekly_intervals",
            "overrides",
        ]


class OfficeSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_calendar = CalendarSerializer(read_only=True)

    class Meta:
        model = Office
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "agency",
            "district",
            "village",
            "address",
            "is_active",
            "service_calendar",
        ]


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["code", "name"]


class DistrictSerializer(serializers.ModelSerializer):
    villages = VillageSerializer(many=True, read_only=True)

    class Meta:
        model = District
        fields = ["code", "bps_code", "nik_prefix", "name", "villages"]


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = [
            "date",
            "name",
            "name_en",
            "category",
            "source",
            "source_reference",
            "is_provisional",
            "closes_service_hours",
            "closes_working_time",
        ]


class DurationSerializer(serializers.Serializer):
    """A service level: ``value`` ``unit`` (working days or working hours)."""

    value = serializers.IntegerField(source="sla_value")
    unit = serializers.CharField(source="sla_unit")


class StepSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sla = serializers.SerializerMethodField()

    class Meta:
        model = ServiceStep
        fields = [
            "id",
            "order",
            "name",
            "name_en",
            "kind",
            "agency",
            "role",
            "external_system",
            "pauses_sla",
            "sla",
            "parallel_group",
        ]

    @extend_schema_field(DurationSerializer(allow_null=True))
    def get_sla(self, step: ServiceStep) -> dict | None:
        if step.sla_value is None:
            return None
        return DurationSerializer(step).data


class SlaSerializer(DurationSerializer):
    basis = serializers.CharField(source="sla_basis")
    provisional = serializers.BooleanField(source="sla_provisional")
    clock_start = serializers.CharField(source="sla_clock_start")
    note = serializers.CharField(source="sla_note")
    note_en = serializers.CharField(source="sla_note_en")


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True, default="")


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True, default="")


class FeeSerializer(serializers.Serializer):
    """``amount`` in whole rupiah (IDR); null when computed per application."""

    type = serializers.CharField(source="fee_type")
    amount = serializers.IntegerField(source="fee_amount", allow_null=True)
    currency = serializers.SerializerMethodField()
    rule = serializers.CharField(source="fee_rule")
    rule_en = serializers.CharField(source="fee_rule_en")
    exemptions = TextSerializer(source="fee_exemptions", many=True)

    def get_currency(self, version) -> str:
        return "IDR"


class ValiditySerializer(serializers.Serializer):
    text = serializers.CharField(source="validity_text")
    text_en = serializers.CharField(source="validity_text_en")
    months = serializers.IntegerField(source="validity_months", allow_null=True)


class ServiceVersionSerializer(serializers.ModelSerializer):
    """One immutable version; ``id`` is what applications store."""

    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    requirements = RequirementSerializer(many=True)
    sla = SlaSerializer(source="*")
    fee = FeeSerializer(source="*")
    validity = ValiditySerializer(source="*")
    legal_basis = TextSerializer(many=True)
    sources = serializers.ListField(child=serializers.URLField())
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceVersion
        fields = [
            "id",
            "service",
            "number",
            "name",
            "name_en",
            "requirements",
            "eligibility",
            "sla",
            "fee",
            "validity",
            "legal_basis",
            "sources",
            "confidence",
            "notes",
            "notes_en",
            "form_schema",
            "origin",
            "created_at",
            "steps",
        ]


class ServiceVersionSummarySerializer(serializers.ModelSerializer):
    sla = SlaSerializer(source="*")
    fee_type = serializers.CharField()

    class Meta:
        model = ServiceVersion
        fields = ["id", "number", "sla", "fee_type", "created_at"]


class ServiceSerializer(serializers.ModelSerializer):
    """A service with a summary of its current version."""

    name = serializers.CharField(source="current_version.name")
    name_en = serializers.CharField(source="current_version.name_en")
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    issuer_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_version = ServiceVersionSummarySerializer()

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "name_en",
            "agency",
            "issuer_agency",
            "issuer_system",
            "category",
            "applicant_type",
            "current_version",
        ]


class ServiceDetailSerializer(ServiceSerializer):
    """A service with its full current version and steps."""

    current_version = ServiceVersionSerializer()
