from rest_framework import serializers

from notifications.models import Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    """One inbox notification. Times are UTC (ISO 8601)."""

    is_read = serializers.SerializerMethodField()

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


class UnreadCountOutputSerializer(serializers.Serializer):
    unread = serializers.IntegerField(read_only=True)


class MarkReadOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)
