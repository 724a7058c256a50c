"""Receivers that stamp the session (no domain logic here)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

#: Session keys of the staff session timeouts (``accounts.middleware``).
SESSION_LOGIN_AT = "ptsp_login_at"
SESSION_SEEN_AT = "ptsp_seen_at"
#: Whether the session's user is staff, decided at login (saves two queries on
#: every request of every citizen).
SESSION_STAFF = "ptsp_staff"


@receiver(user_logged_in, dispatch_uid="accounts.stamp_login")
def stamp_login(sender, request, user, **kwargs) -> None:
    """Start the absolute and idle clocks of the new session and note whether
    it is a staff session."""
    if request is None or not hasattr(request, "session"):
        return
    from accounts.permissions import is_staff_member

    now = int(timezone.now().timestamp())
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session[SESSION_STAFF] = is_staff_member(user)
