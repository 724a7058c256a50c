"""Serializers of the accounts API: plain input serializers that only validate,
read-only output serializers."""

from django.conf import settings

from rest_framework import serializers

from accounts.models import Business, User
from accounts.permissions import home_url, roles_of
from accounts.phones import phone_mask


class ProfileOutputSerializer(serializers.ModelSerializer):
    """The caller's own account. ``nik`` is masked (``3671********0001``) and
    ``phone`` partly hidden, as everywhere on the portal."""

    nik = serializers.CharField(source="nik_masked", read_only=True)
    phone = serializers.SerializerMethodField()
    email_verified = serializers.SerializerMethodField()
    phone_verified = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    home_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "uuid",
            "username",
            "full_name",
            "email",
            "email_verified",
            "phone",
            "phone_verified",
            "nik",
            "preferred_language",
            "roles",
            "home_url",
        ]
        read_only_fields = fields

    def get_phone(self, obj: User) -> str:
        return phone_mask(obj.phone)

    def get_email_verified(self, obj: User) -> bool:
        return obj.email_verified_at is not None

    def get_phone_verified(self, obj: User) -> bool:
        return obj.phone_verified_at is not None

    def get_roles(self, obj: User) -> list[str]:
        return sorted(roles_of(obj))

    def get_home_url(self, obj: User) -> str:
        return home_url(obj)


class ProfileInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    preferred_language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], required=False
    )


class BusinessOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Business
        fields = ["uuid", "name", "nib", "npwp"]
        read_only_fields = fields
