"""API shapes of the transparency app. Input serializers only validate;
output serializers are read-only."""

from rest_framework import serializers

from transparency.choices import ComplaintSubject
from transparency.ikm import ELEMENT_FIELDS
from transparency.models import Complaint, ServiceMonthStat, SurveyInvitation


class IndexSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    element_means = serializers.ListField(
        child=serializers.DecimalField(max_digits=4, decimal_places=2)
    )
    value = serializers.DecimalField(max_digits=5, decimal_places=2)
    grade = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    """One line of the dashboard; ``sla_percent`` null means unknown (no
    finished application had a deadline); ``median_days`` calendar days."""

    label = serializers.CharField()
    code = serializers.CharField()
    received = serializers.IntegerField()
    finished = serializers.IntegerField()
    rejected = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    sla_percent = serializers.FloatField(allow_null=True)
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    ikm = IndexSerializer(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    semester = serializers.CharField()
    refreshed_at = serializers.DateTimeField(allow_null=True)
    total = FiguresSerializer(allow_null=True)
    lines = FiguresSerializer(many=True)


class MonthSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sla_share = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ServiceMonthStat
        fields = [
            "month",
            "agency",
            "service",
            "received",
            "finished",
            "rejected",
            "with_due",
            "within_sla",
            "sla_share",
            "median_days",
        ]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SurveyInvitation
        fields = ["uuid", "source", "service", "agency", "created_at", "answered_at"]
        read_only_fields = fields


class SurveyAnswerInputSerializer(serializers.Serializer):
    """Nine answers ``u1``..``u9`` on the 1-4 scale and a suggestion."""

    suggestion = serializers.CharField(
        required=False, allow_blank=True, max_length=2000
    )

    def get_fields(self):
        fields = super().get_fields()
        for name in ELEMENT_FIELDS:
            fields[name] = serializers.IntegerField(min_value=1, max_value=4)
        return fields


class ComplaintOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    application = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "uuid",
            "reference",
            "subject_kind",
            "application",
            "office",
            "agency",
            "title",
            "description",
            "status",
            "due_at",
            "answer",
            "answered_at",
            "lapor_tracking_id",
            "lapor_status",
            "lapor_checked_at",
            "forwarded_at",
            "created_at",
        ]
        read_only_fields = fields


class ComplaintInputSerializer(serializers.Serializer):
    """``application`` (uuid), ``office`` (code) or ``officer`` (id) according
    to ``subject_kind``."""

    subject_kind = serializers.ChoiceField(choices=ComplaintSubject.choices)
    application = serializers.UUIDField(required=False)
    office = serializers.SlugField(required=False)
    officer = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)


class WorkloadSerializer(serializers.Serializer):
    officer = serializers.CharField(source="officer.user")
    role = serializers.CharField(source="officer.role")
    active_steps = serializers.IntegerField()
    done_30_days = serializers.IntegerField()
    refreshed_at = serializers.DateTimeField()
