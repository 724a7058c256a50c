"""Serializers of the SLA API: input ones only validate, output ones read."""

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from agencies.choices import SlaUnit
from sla.models import ExtensionStatus


class DueInputSerializer(serializers.Serializer):
    service = serializers.SlugField(help_text=_("Service code, e.g. sip-dokter."))
    at = serializers.DateTimeField(
        required=False,
        help_text=_("Submission instant (ISO 8601 with offset); default now."),
    )


class DueOutputSerializer(serializers.Serializer):
    service = serializers.CharField(source="service.code")
    submitted_at = serializers.DateTimeField()
    clock_starts_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(help_text=_("Aware instant, WIB offset."))
    value = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=SlaUnit.choices)
    provisional = serializers.BooleanField(
        help_text=_("True when the deadline relies on estimated holidays.")
    )
    calendar = serializers.CharField(
        source="calendar.code", default=None, allow_null=True
    )


class ExtensionRequestInputSerializer(serializers.Serializer):
    application = serializers.UUIDField()
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField(max_length=2000)


class ExtensionDecideInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, default="")


class ExtensionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.UUIDField(source="application.uuid")
    reference = serializers.CharField(source="application.reference")
    days = serializers.IntegerField()
    reason = serializers.CharField()
    status = serializers.ChoiceField(choices=ExtensionStatus.choices)
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(source="application.due_at", allow_null=True)
