"""Input serializers only validate; output serializers are read-only."""

from rest_framework import serializers

from permits.models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    StatusChange,
)


class StepOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ApplicationStep
        fields = [
            "id",
            "order",
            "name",
            "name_en",
            "kind",
            "agency",
            "role",
            "external_system",
            "parallel_group",
            "status",
            "external_reference",
            "started_at",
            "finished_at",
            "due_at",
        ]
        read_only_fields = fields


class ApplicationOutputSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_version = serializers.IntegerField(source="service_version.number")
    steps = StepOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "uuid",
            "reference",
            "service",
            "service_version",
            "status",
            "version",
            "form_data",
            "submitted_at",
            "decided_at",
            "due_at",
            "applicant_deadline_at",
            "revision_fields",
            "steps",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SubmitOutputSerializer(ApplicationOutputSerializer):
    tracking_code = serializers.CharField(read_only=True, allow_null=True)

    class Meta(ApplicationOutputSerializer.Meta):
        fields = [*ApplicationOutputSerializer.Meta.fields, "tracking_code"]
        read_only_fields = fields


class TimelineOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    step = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = StatusChange
        fields = [
            "from_status",
            "to_status",
            "action",
            "step",
            "agency",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class DocumentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationDocument
        fields = [
            "uuid",
            "requirement_code",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "created_at",
        ]
        read_only_fields = fields


class DraftCreateInputSerializer(serializers.Serializer):
    service = serializers.SlugField()
    form_data = serializers.DictField(required=False, default=dict)


class DraftUpdateInputSerializer(serializers.Serializer):
    form_data = serializers.DictField()


class DocumentInputSerializer(serializers.Serializer):
    """Either a new ``file`` or the ``document`` uuid of an earlier upload."""

    requirement_code = serializers.SlugField(required=False, max_length=64)
    file = serializers.FileField(required=False)
    document = serializers.UUIDField(required=False)

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("document")):
            raise serializers.ValidationError("Send either a file or a document.")
        if attrs.get("file") and not attrs.get("requirement_code"):
            raise serializers.ValidationError({"requirement_code": "Required."})
        return attrs


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ResubmitInputSerializer(serializers.Serializer):
    form_data = serializers.DictField(required=False)


class StepActionInputSerializer(serializers.Serializer):
    """Every officer action names the step and the version the officer saw."""

    step = serializers.IntegerField()
    version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RevisionInputSerializer(StepActionInputSerializer):
    fields = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    deadline_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None
    )


class RejectInputSerializer(StepActionInputSerializer):
    reason = serializers.CharField()


class ExternalInputSerializer(StepActionInputSerializer):
    external_reference = serializers.CharField(max_length=120)
