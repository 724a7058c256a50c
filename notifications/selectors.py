"""Reads of the notifications app, always scoped to the user."""

from django.db.models import QuerySet
from django.utils import timezone

from .choices import Channel, DeliveryStatus
from .models import ContactPoint, Notification, PhoneVerification


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


def contact_verified_phone(*, user) -> str:
    """``user``'s verified mobile number in E.164 (``+628…``), or ``""``."""
    contact = ContactPoint.objects.filter(user=user).first()
    return contact.verified_phone if contact is not None else ""


def phone_verification_open(*, user) -> PhoneVerification | None:
    """``user``'s latest code that can still be entered, if any."""
    return (
        PhoneVerification.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-pk")
        .first()
    )
