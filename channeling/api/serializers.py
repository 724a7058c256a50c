"""Serializers of the counter and BPJS API: inputs only validate, outputs are
read-only."""

from rest_framework import serializers

from accounts.nik import nik_mask
from channeling.models import AssistedSubmission, BpjsHandover


class AssistedOutputSerializer(serializers.ModelSerializer):
    application = serializers.UUIDField(source="application.uuid", read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)
    application_status = serializers.CharField(
        source="application.status", read_only=True
    )
    service = serializers.CharField(source="application.service.code", read_only=True)
    office = serializers.CharField(source="office.code", read_only=True)
    operator = serializers.CharField(source="operator.user.username", read_only=True)
    citizen_name = serializers.CharField(source="citizen.full_name", read_only=True)
    citizen_nik = serializers.SerializerMethodField()
    form_data = serializers.JSONField(source="application.form_data", read_only=True)

    class Meta:
        model = AssistedSubmission
        fields = [
            "uuid",
            "application",
            "reference",
            "application_status",
            "service",
            "office",
            "operator",
            "citizen_name",
            "citizen_nik",
            "status",
            "account_created",
            "code_channel",
            "code_sent_at",
            "confirmed_at",
            "form_data",
            "created_at",
        ]
        read_only_fields = fields

    def get_citizen_nik(self, obj) -> str:
        """Masked: ``3671********0001``."""
        return nik_mask(obj.citizen.nik)


class AssistedConfirmedSerializer(AssistedOutputSerializer):
    tracking_code = serializers.CharField(read_only=True, allow_null=True)

    class Meta(AssistedOutputSerializer.Meta):
        fields = [*AssistedOutputSerializer.Meta.fields, "tracking_code"]
        read_only_fields = fields


class AssistedStartInputSerializer(serializers.Serializer):
    service = serializers.SlugField(help_text="Service code, e.g. bpjskes-ubah-data.")
    nik = serializers.CharField(max_length=24)
    full_name = serializers.CharField(max_length=150, required=False, default="")
    phone = serializers.CharField(max_length=24, required=False, default="")
    email = serializers.EmailField(required=False, default="")


class AnswersInputSerializer(serializers.Serializer):
    form_data = serializers.DictField()


class CodeInputSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{6}$")


class AccountClaimInputSerializer(serializers.Serializer):
    identifier = serializers.CharField(max_length=24, help_text="NIK or phone.")
    code = serializers.RegexField(r"^\d{6}$")
    new_password = serializers.CharField(max_length=128)


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class UploadInputSerializer(serializers.Serializer):
    requirement_code = serializers.SlugField(max_length=64)
    file = serializers.FileField()


class HandoverOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = BpjsHandover
        fields = [
            "system",
            "status",
            "ticket",
            "external_reference",
            "reason",
            "attempts",
            "sent_at",
            "finished_at",
        ]
        read_only_fields = fields


class CompleteInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=120)
    version = serializers.IntegerField()


class BpjsRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField()
