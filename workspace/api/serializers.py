"""Serializers of the workspace API: inputs validate, outputs are read-only."""

from django.urls import reverse

from rest_framework import serializers

from permits.api.serializers import StepOutputSerializer, TimelineOutputSerializer
from permits.models import Application, ApplicationStep
from workspace.models import InternalNote


class OfficerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.__str__")
    role = serializers.CharField()


class TaskApplicationSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.CharField()
    service = serializers.CharField(source="service.code")
    applicant_name = serializers.CharField(source="applicant.__str__")
    submitted_at = serializers.DateTimeField()


class TaskOutputSerializer(serializers.ModelSerializer):
    """A task: an active step, its application, who holds it, its deadline
    (aware UTC; ``null`` until the SLA engine sets it, and while the clock is
    paused), the service clock's ``sla_state`` (``running``, ``paused``,
    ``breached`` ...) and, while paused, the working minutes left
    (``sla_remaining_minutes``) and, for a colleague's
    task held during their leave, whose it is (``delegated_from``)."""

    application = TaskApplicationSerializer(read_only=True)
    agency = serializers.SerializerMethodField()
    assigned_officer = OfficerRefSerializer(read_only=True, allow_null=True)
    delegated_from = serializers.SerializerMethodField()
    sla_state = serializers.CharField(read_only=True, allow_null=True, default=None)
    sla_remaining_minutes = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationStep
        fields = [
            "id",
            "application",
            "order",
            "name",
            "agency",
            "role",
            "assigned_officer",
            "due_at",
            "sla_state",
            "sla_remaining_minutes",
            "delegated_from",
        ]
        read_only_fields = fields

    def get_sla_remaining_minutes(self, step) -> int | None:
        """Whole minutes of working time left while the service clock is
        ``paused`` (``due_at`` is then ``null``); ``null`` otherwise."""
        left = getattr(step, "sla_remaining", None)
        if getattr(step, "sla_state", None) != "paused" or left is None:
            return None
        return max(int(left.total_seconds()) // 60, 0)

    def get_agency(self, step) -> str | None:
        """The agency's code, from the view's ``agency_codes`` (no join)."""
        return (self.context.get("agency_codes") or {}).get(step.agency_id)

    def get_delegated_from(self, step) -> str | None:
        officers = self.context.get("officers") or []
        own = officers[0] if officers else None
        for o in officers[1:]:
            if step.assigned_officer_id == o.pk or (
                step.assigned_officer_id is None
                and (o.agency_id, o.role) == (step.agency_id, step.role)
                and (
                    own is None
                    or (own.agency_id, own.role) != (step.agency_id, step.role)
                )
            ):
                return str(o.user)
        return None


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="value")
    capped = serializers.BooleanField()


class CountsOutputSerializer(serializers.Serializer):
    mine = CountSerializer()
    unassigned = CountSerializer()
    agency = CountSerializer(required=False)


class ClaimInputSerializer(serializers.Serializer):
    steps = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500
    )


class AssignInputSerializer(ClaimInputSerializer):
    officer = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500)


class NoteOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.__str__")
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = InternalNote
        fields = ["uuid", "author", "agency", "body", "created_at"]
        read_only_fields = fields


class NoteInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=4000)


class DocumentRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="document.uuid")
    requirement_code = serializers.CharField()
    original_name = serializers.CharField(source="document.original_name")
    content_type = serializers.CharField(source="document.content_type")
    size = serializers.IntegerField(source="document.size")
    download_url = serializers.SerializerMethodField()
    viewer_url = serializers.SerializerMethodField()

    def get_download_url(self, link) -> str:
        return reverse(
            "permits:document_download",
            args=[link.application.uuid, link.document.uuid],
        )

    def get_viewer_url(self, link) -> str:
        return reverse(
            "workspace:document", args=[link.application.uuid, link.document.uuid]
        )


class OfficerStepSerializer(StepOutputSerializer):
    assigned_officer = OfficerRefSerializer(read_only=True, allow_null=True)

    class Meta(StepOutputSerializer.Meta):
        fields = [*StepOutputSerializer.Meta.fields, "assigned_officer"]
        read_only_fields = fields


class OfficerApplicationSerializer(serializers.ModelSerializer):
    """The officer's view of an application: form data, steps with who holds
    them, documents, history, internal notes and the actions the user may take
    now (``[{"step": id, "actions": [...]}]``)."""

    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applicant_name = serializers.CharField(source="applicant.__str__")
    steps = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "uuid",
            "reference",
            "service",
            "status",
            "version",
            "applicant_name",
            "form_data",
            "submitted_at",
            "due_at",
            "steps",
            "documents",
            "history",
            "notes",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_steps(self, app) -> list[dict]:
        steps = app.steps.select_related("agency", "assigned_officer__user").order_by(
            "order"
        )
        return OfficerStepSerializer(steps, many=True).data

    def get_documents(self, app) -> list[dict]:
        links = app.document_links.select_related("document", "application")
        return DocumentRefSerializer(links, many=True).data

    def get_history(self, app) -> list[dict]:
        from permits.selectors import application_timeline

        return TimelineOutputSerializer(application_timeline(app), many=True).data

    def get_notes(self, app) -> list[dict]:
        from workspace.selectors import notes_of

        return NoteOutputSerializer(notes_of(app), many=True).data

    def get_allowed_actions(self, app) -> list[dict]:
        from permits.selectors import officer_actions_for

        user = self.context["request"].user
        return [
            {"step": step.pk, "actions": actions}
            for step, actions in officer_actions_for(user, app)
        ]
