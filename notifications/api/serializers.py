from rest_framework import serializers

from notifications.delivery import notifications_for_display
from notifications.models import Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    """One inbox notification, its ``subject`` and ``body`` in the request's
    language (rendered from the event and its variables; see
    ``notifications.delivery.notifications_for_display``). Times are UTC
    (ISO 8601)."""

    is_read = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = (
            "uuid",
            "event",
            "subject",
            "body",
            "delivered_at",
            "read_at",
            "is_read",
        )
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None

    def get_subject(self, obj: Notification) -> str:
        return _shown(obj).shown_subject

    def get_body(self, obj: Notification) -> str:
        return _shown(obj).shown_body


def _shown(obj: Notification) -> Notification:
    if not hasattr(obj, "shown_subject"):
        notifications_for_display([obj])
    return obj


class UnreadCountOutputSerializer(serializers.Serializer):
    unread = serializers.IntegerField(read_only=True)


class MarkReadOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)
