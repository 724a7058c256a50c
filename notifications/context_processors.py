"""Template context: the unread count of the header's inbox badge."""

from django.utils.functional import SimpleLazyObject

from .selectors import inbox_unread_count


def inbox(request) -> dict:
    """``inbox_unread``: counted only when a template uses it."""
    return {
        "inbox_unread": SimpleLazyObject(
            lambda: inbox_unread_count(user=getattr(request, "user", None))
        )
    }
