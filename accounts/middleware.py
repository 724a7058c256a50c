"""Staff sessions: a second factor before anything else, and idle and absolute
timeouts.

For staff (``accounts.permissions.is_staff_member``, decided when the session
starts), after
``django_otp.middleware.OTPMiddleware``:

* when ``PTSP_STAFF_2FA_REQUIRED`` is on and the session is not verified with an
  authenticator code, every page except the two-factor pages, logout, language
  switch and static files redirects to the code page (or to enrolment when the
  user has no device); API calls get 403;
* a session idle for ``PTSP_STAFF_IDLE_MINUTES`` or older than
  ``PTSP_STAFF_MAX_SESSION_HOURS`` is ended and the user sent to the login page
  with a message.

Citizens' sessions follow Django's ``SESSION_COOKIE_AGE``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_member
from accounts.signals import SESSION_LOGIN_AT, SESSION_SEEN_AT, SESSION_STAFF

# Writing the last-seen stamp on every request would save the session each time.
_SEEN_WRITE_EVERY = 60


def _exempt(path: str) -> bool:
    prefixes = (
        reverse("accounts:two_factor_verify"),
        reverse("accounts:two_factor_setup"),
        reverse("accounts:logout"),
        reverse("set_language"),
        settings.STATIC_URL,
        "/healthz",
    )
    return path.startswith(prefixes)


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._is_staff(request, user):
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _is_staff(self, request, user) -> bool:
        # Decided at login (accounts.signals); sessions older than that are
        # looked up once.
        staff = request.session.get(SESSION_STAFF)
        if staff is None:
            staff = request.session[SESSION_STAFF] = is_staff_member(user)
        return staff

    def _check(self, request, user):
        session = request.session
        now = int(timezone.now().timestamp())
        login_at = session.get(SESSION_LOGIN_AT, now)
        seen_at = session.get(SESSION_SEEN_AT, now)
        if now - seen_at > settings.PTSP_STAFF_IDLE_MINUTES * 60:
            return self._end(
                request, _("You were logged out after a period of inactivity.")
            )
        if now - login_at > settings.PTSP_STAFF_MAX_SESSION_HOURS * 3600:
            return self._end(
                request, _("Your session reached its maximum length. Log in again.")
            )
        if SESSION_LOGIN_AT not in session:
            session[SESSION_LOGIN_AT] = now
        if now - seen_at >= _SEEN_WRITE_EVERY or SESSION_SEEN_AT not in session:
            session[SESSION_SEEN_AT] = now
        if settings.PTSP_STAFF_2FA_REQUIRED and not _verified(user):
            if _exempt(request.path):
                return None
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Complete the two-step verification first.")},
                    status=403,
                )
            target = (
                "accounts:two_factor_verify"
                if _has_device(user)
                else "accounts:two_factor_setup"
            )
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return None

    def _end(self, request, message: str):
        logout(request)
        messages.info(request, message)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _has_device(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _device in devices_for_user(user, confirmed=True))
