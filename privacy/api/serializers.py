from rest_framework import serializers

from privacy.models import PersonalDataAccess


class AccessOutputSerializer(serializers.ModelSerializer):
    """One access as the citizen sees it: role and agency, never the officer."""

    agency = serializers.SerializerMethodField()
    application = serializers.CharField(
        source="application.reference", default=None, read_only=True
    )

    class Meta:
        model = PersonalDataAccess
        fields = ("accessed_at", "viewer_role", "agency", "kind", "application")
        read_only_fields = fields

    def get_agency(self, obj: PersonalDataAccess) -> str:
        return obj.viewer_unit_name or obj.viewer_unit
