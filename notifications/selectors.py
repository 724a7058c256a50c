"""Reads of the notifications app, always scoped to the user."""

from django.db.models import QuerySet

from .choices import Channel, DeliveryStatus
from .models import Notification


def inbox_for(*, user) -> QuerySet[Notification]:
    """``user``'s in-app inbox: delivered in-app notifications, newest first.

    Anonymous users get an empty queryset.
    """
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, status=DeliveryStatus.DELIVERED
    ).order_by("-id")


def inbox_unread_count(*, user) -> int:
    """How many of ``user``'s inbox notifications are unread (one COUNT query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_for(user=user).filter(read_at__isnull=True).count()
