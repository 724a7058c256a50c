"""One-time codes: issue (rate-limited, sent through the notification outbox) and
check (expiring, limited tries). For other services of this app; the public entry
points are the citizen services that use them."""

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import CodeChannel
from accounts.models import OneTimeCode, User
from notifications.gateways import channel_available
from notifications.services import notify
from ptsp.exceptions import ApplicationError


class CodeError(ApplicationError):
    """A one-time code could not be sent or was not accepted; ``message`` says
    why, in the user's language."""


class CodeRateLimited(CodeError):
    """Too soon after the last code, or too many codes this hour;
    ``extra["retry_after"]`` is the wait in seconds."""


class CodeRejected(CodeError):
    """Wrong, expired, replaced or exhausted code."""


def sms_available() -> bool:
    """Whether SMS can be sent now: a gateway is configured for the channel
    (``NOTIFICATIONS_GATEWAYS``). Without one, phone numbers are stored but
    cannot be verified."""
    return channel_available(CodeChannel.SMS.value)


def _code_hash(*, user: User, purpose: str, code: str) -> str:
    return salted_hmac(
        "accounts.one_time_code", f"{user.pk}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def code_digest(*, user: User, purpose: str, code: str) -> str:
    """The HMAC stored for ``code`` (``OneTimeCode.code_hash``): for a service
    that keeps a copy to check the same code later (claiming an account made at
    a service point, ``channeling``)."""
    return _code_hash(user=user, purpose=purpose, code=(code or "").strip())


def code_issue(
    *,
    user: User,
    purpose: str,
    channel: str,
    address: str,
    event: str = "account.otp",
    context: dict | None = None,
) -> OneTimeCode:
    """Create a code for ``purpose``, send it to ``address`` through the outbox
    (event ``account.otp``, or ``event`` with ``context`` added to the code's
    variables) and return its row. Older open codes of the same purpose stop
    working.

    Runs inside the caller's transaction (the outbox row commits with it) and
    locks the user's row, so concurrent resends are counted one after the other.
    Raises ``CodeRateLimited`` within ``PTSP_OTP_RESEND_SECONDS`` of the last code
    or past ``PTSP_OTP_MAX_PER_HOUR`` codes of that purpose in an hour, and
    ``CodeError`` for SMS while no SMS channel exists.
    """
    if channel == CodeChannel.SMS and not sms_available():
        raise CodeError(_("Codes by SMS are not available yet; use an e-mail address."))
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    recent = list(
        OneTimeCode.objects.filter(
            user=user, purpose=purpose, created_at__gt=now - timedelta(hours=1)
        ).order_by("-created_at")
    )
    if recent:
        wait = (
            settings.PTSP_OTP_RESEND_SECONDS
            - (now - recent[0].created_at).total_seconds()
        )
        if wait > 0:
            raise CodeRateLimited(
                _("A code was just sent. Ask for another in %(seconds)d seconds.")
                % {"seconds": math.ceil(wait)},
                extra={"retry_after": math.ceil(wait)},
            )
    if len(recent) >= settings.PTSP_OTP_MAX_PER_HOUR:
        wait = (recent[-1].created_at + timedelta(hours=1) - now).total_seconds()
        minutes = max(1, math.ceil(wait / 60))
        raise CodeRateLimited(
            _("Too many codes were sent. Try again in %(minutes)d minutes.")
            % {"minutes": minutes},
            extra={"retry_after": math.ceil(wait)},
        )
    OneTimeCode.objects.filter(
        user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        channel=channel,
        address=address,
        code_hash=_code_hash(user=user, purpose=purpose, code=code),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.PTSP_OTP_VALID_MINUTES),
    )
    notify(
        event=event,
        recipient=user,
        context={
            "code": code,
            "purpose": purpose,
            "valid_minutes": settings.PTSP_OTP_VALID_MINUTES,
            **(context or {}),
        },
        channels=[channel],
        dedupe_key=f"otp:{row.pk}",
        # A change of address (or an SMS) must reach the new, not yet saved, one.
        to={channel: address},
    )
    return row


@dataclass(frozen=True)
class CodeCheck:
    """Outcome of ``code_consume``: the accepted row, or the error to raise after
    the caller's transaction has committed the counted try."""

    row: OneTimeCode | None = None
    error: CodeRejected | None = None

    @property
    def ok(self) -> bool:
        return self.row is not None


def code_consume(*, user: User | None, purpose: str, code: str) -> CodeCheck:
    """Check ``code`` against ``user``'s latest open code for ``purpose``.

    A right code is marked used and returned; a wrong one counts a try. Nothing is
    raised here: the caller commits (so that wrong tries stay counted) and then
    raises ``CodeCheck.error``. ``user`` may be ``None`` (an unknown account in a
    password reset), which is rejected like a wrong code.
    """
    wrong = CodeRejected(_("This code is not right. Check it and try again."))
    if user is None:
        return CodeCheck(error=wrong)
    now = timezone.now()
    row = (
        OneTimeCode.objects.select_for_update()
        .filter(user=user, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if row is None or row.expires_at <= now:
        return CodeCheck(
            error=CodeRejected(
                _("This code has expired or a newer one was sent. Ask for a new code.")
            )
        )
    if row.attempts >= settings.PTSP_OTP_MAX_ATTEMPTS:
        return CodeCheck(
            error=CodeRejected(_("Too many wrong codes. Ask for a new code."))
        )
    expected = _code_hash(user=user, purpose=purpose, code=(code or "").strip())
    if not constant_time_compare(row.code_hash, expected):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = settings.PTSP_OTP_MAX_ATTEMPTS - row.attempts
        if left <= 0:
            return CodeCheck(
                error=CodeRejected(_("Too many wrong codes. Ask for a new code."))
            )
        return CodeCheck(
            error=CodeRejected(
                ngettext(
                    "This code is not right. %(left)d try left.",
                    "This code is not right. %(left)d tries left.",
                    left,
                )
                % {"left": left},
                extra={"attempts_left": left},
            )
        )
    row.used_at = now
    row.save(update_fields=["used_at"])
    return CodeCheck(row=row)
