from rest_framework import serializers

from audit.models import AuditCheckpoint


class VerifyInputSerializer(serializers.Serializer):
    full = serializers.BooleanField(
        default=False,
        help_text="Verify from the first seal instead of the latest checkpoint.",
    )


class CheckpointOutputSerializer(serializers.ModelSerializer):
    algorithm = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    class Meta:
        model = AuditCheckpoint
        fields = (
            "number",
            "seq",
            "hash",
            "created_at",
            "algorithm",
            "public_key",
            "signature",
            "message",
        )
        read_only_fields = fields

    def get_algorithm(self, obj) -> str:
        return "Ed25519"

    def get_message(self, obj) -> str:
        from audit.checkpoints import message_of

        return message_of(obj).decode()


class ProblemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    message = serializers.CharField()
    seq = serializers.IntegerField(allow_null=True)
    entry_id = serializers.IntegerField(allow_null=True)
    checkpoint = serializers.IntegerField(allow_null=True)


class VerificationOutputSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    entries_checked = serializers.IntegerField()
    start_seq = serializers.IntegerField()
    last_seq = serializers.IntegerField()
    head_hash = serializers.CharField()
    checkpoints_checked = serializers.IntegerField()
    latest_checkpoint = serializers.IntegerField(allow_null=True)
    unsealed = serializers.IntegerField()
    seconds = serializers.FloatField()
    rate = serializers.IntegerField()
    first_broken = ProblemSerializer(allow_null=True)
    problems = ProblemSerializer(many=True)
