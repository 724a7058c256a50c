"""Routes of notifications: each user's own inbox; gateway callbacks are
signed (checked in the callback tests)."""

from .rules import Rule, signed_in

RULES = {
    "notifications:inbox": signed_in(),
    "notifications:channels": signed_in(),
    "notifications:mark-all-read": signed_in(method="post"),
    "notifications:mark-read": Rule(elsewhere="tests/notifications/test_inbox.py"),
    "webhooks:gateway-callback": Rule(
        elsewhere="tests/notifications/test_callbacks.py"
    ),
    "api:notifications-api:notification-list": signed_in(),
    "api:notifications-api:notification-read-all": signed_in(method="post"),
    "api:notifications-api:notification-unread-count": signed_in(),
    "api:notifications-api:notification-detail": Rule(
        elsewhere="tests/notifications/test_inbox.py"
    ),
    "api:notifications-api:notification-read": Rule(
        elsewhere="tests/notifications/test_inbox.py"
    ),
}
