from rest_framework import serializers

from audit.models import AuditEntry
from auditor.models import VerificationRun


class EntryOutputSerializer(serializers.ModelSerializer):
    actor_username = serializers.CharField(
        source="actor.username", default=None, read_only=True
    )
    seal_seq = serializers.IntegerField(source="seal.seq", default=None, read_only=True)

    class Meta:
        model = AuditEntry
        fields = (
            "id",
            "occurred_at",
            "actor_label",
            "actor_username",
            "actor_role",
            "actor_agency",
            "action",
            "object_type",
            "object_id",
            "changes",
            "reason",
            "request_id",
            "caused_by_request",
            "seal_seq",
        )
        read_only_fields = fields


class EntryPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="Cursor of the next page.")
    results = EntryOutputSerializer(many=True)


class VerificationRunOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerificationRun
        fields = (
            "id",
            "requested_at",
            "full",
            "status",
            "finished_at",
            "entries_checked",
            "last_seq",
            "first_broken_entry",
            "result",
        )
        read_only_fields = fields


class IntegrityOutputSerializer(serializers.Serializer):
    last_seal_seq = serializers.IntegerField(allow_null=True)
    last_seal_hash = serializers.CharField(allow_null=True)
    last_sealed_entry = serializers.IntegerField(allow_null=True)
    last_sealed_at = serializers.DateTimeField(allow_null=True)
    last_checkpoint_number = serializers.IntegerField(allow_null=True)
    last_checkpoint_seq = serializers.IntegerField(allow_null=True)
    last_checkpoint_at = serializers.DateTimeField(allow_null=True)
    last_verification = VerificationRunOutputSerializer(allow_null=True)
    pending_verification = VerificationRunOutputSerializer(allow_null=True)


class VerifyRequestInputSerializer(serializers.Serializer):
    full = serializers.BooleanField(default=False)
