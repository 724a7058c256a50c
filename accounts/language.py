"""The language choice follows the user (issue 18).

The header's ID/EN switch posts to ``language_set``: besides Django's cookie,
a logged-in user's choice is stored on ``User.preferred_language`` (the
language of their e-mails and notifications too). The switch needs no CSRF
token for the cookie alone (a forged switch only changes the language of the
page), so anonymous public pages carry none and can be served whole from the
cache (issue 17, ``ptsp.pagecache``); the account is only updated by a
request that passes Django's CSRF check (logged-in pages carry the token).
``UserLanguageMiddleware`` applies the stored choice for a logged-in user on
a device without a language cookie, so it holds on a new device or browser
right after login, and writes the cookie, so the choice stays after logout on
that device.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .services.citizens import profile_update


def _supported(code: str | None) -> str | None:
    codes = {code for code, _name in settings.LANGUAGES}
    return code if code in codes else None


def _csrf_passes(request: HttpRequest) -> bool:
    """Django's own CSRF check (token and origin), run on demand."""
    check = CsrfViewMiddleware(lambda request: HttpResponse())
    return check.process_view(request, None, (), {}) is None


@csrf_exempt
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (validates the language and ``next`` with
    ``url_has_allowed_host_and_scheme``, sets the cookie, redirects), without
    a CSRF token; and for a logged-in user whose request passes the CSRF check,
    the choice saved on the account (audited as a profile update). An unknown
    language changes nothing."""
    response = set_language(request)
    language = _supported(request.POST.get("language"))
    if language is None:
        # Django accepts any language it has a catalogue of (``fr``); the
        # portal only its own.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    user = request.user
    if (
        language
        and user.is_authenticated
        and (user.preferred_language != language or user.language_chosen_at is None)
        and _csrf_passes(request)
    ):
        profile_update(user=user, full_name=user.full_name, preferred_language=language)
    return response


class UserLanguageMiddleware:
    """After ``AuthenticationMiddleware``: on a device without a language
    cookie (a new browser), a logged-in user's chosen language (one they picked
    with the switch or on the profile; the default is not a choice) wins over the
    browser's ``Accept-Language`` and is written to the cookie; an explicit
    cookie (the switch, which also updates the account) is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = (
            _supported(user.preferred_language)
            if user is not None
            and user.is_authenticated
            and user.language_chosen_at is not None
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            else None
        )
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if (
            language
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
