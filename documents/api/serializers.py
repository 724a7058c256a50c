from rest_framework import serializers

from documents.models import IssuedDocument
from documents.services import mask_identifier, mask_name


class IssuedDocumentOutputSerializer(serializers.ModelSerializer):
    application = serializers.CharField(source="application.reference")
    service = serializers.CharField(source="service.code")
    validity = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = [
            "uuid",
            "kind",
            "number",
            "application",
            "service",
            "holder_name",
            "issued_at",
            "valid_until",
            "validity",
            "signatory_name",
            "signatory_position",
            "render_status",
            "sha256",
            "signed",
            "revoked_at",
            "revocation_reason",
        ]
        read_only_fields = fields

    def get_validity(self, document: IssuedDocument) -> str:
        return document.validity().value


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class DocumentVerificationOutputSerializer(serializers.Serializer):
    """What the public may know: masked holder, dates, status, hash."""

    validity = serializers.CharField()
    kind = serializers.CharField()
    number = serializers.CharField()
    holder = serializers.CharField()
    holder_identifier = serializers.CharField()
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField()
    sha256 = serializers.CharField()
    signature_valid = serializers.BooleanField(allow_null=True)

    @staticmethod
    def from_document(document: IssuedDocument, signature: dict | None) -> dict:
        return {
            "validity": document.validity().value,
            "kind": document.kind,
            "number": document.number,
            "holder": mask_name(document.holder_name),
            "holder_identifier": mask_identifier(document.holder_identifier),
            "issued_at": document.issued_at,
            "valid_until": document.valid_until,
            "revoked_at": document.revoked_at,
            "revocation_reason": document.revocation_reason,
            "sha256": document.sha256,
            "signature_valid": signature["valid"] if signature else None,
        }
