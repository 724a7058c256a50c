"""Models of the notifications app: the outbox, the citizens' contact points and
the gateways' side (WhatsApp templates and windows, delivery reports)."""

from .contacts import ContactPoint, PhoneVerification
from .gateways import GatewayCallback, WhatsAppConversation, WhatsAppTemplate
from .outbox import (
    OPEN_STATUSES,
    Notification,
    NotificationAttempt,
    NotificationTemplate,
)

__all__ = [
    "OPEN_STATUSES",
    "ContactPoint",
    "GatewayCallback",
    "Notification",
    "NotificationAttempt",
    "NotificationTemplate",
    "PhoneVerification",
    "WhatsAppConversation",
    "WhatsAppTemplate",
]
