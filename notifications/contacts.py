"""Writes of a user's contact point: verify a phone number with a one-time code
sent by SMS, choose the message channels, remove the phone. Every change is
audited (without the number itself: personal data stays out of the trail)."""

import math
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_record
from ptsp.exceptions import ApplicationError

from .choices import MESSAGE_CHANNELS, PHONE_CHANNELS, Channel
from .gateways import channel_available
from .models import ContactPoint, PhoneVerification
from .phones import phone_normalise
from .services import notify


class ContactError(ApplicationError):
    """A contact change was refused; ``message`` says why in the user's language."""


class CodeRateLimited(ContactError):
    """Too soon after the last code or too many codes in an hour;
    ``extra["retry_after"]`` is the wait in seconds."""


def _contact_lock(user) -> ContactPoint:
    ContactPoint.objects.get_or_create(user=user)
    return ContactPoint.objects.select_for_update().get(user=user)


def _code_hash(*, user, phone: str, code: str) -> str:
    return salted_hmac(
        "notifications.phone_verification",
        f"{user.pk}:{phone}:{code}",
        algorithm="sha256",
    ).hexdigest()


@transaction.atomic(durable=True)
def phone_verification_start(*, user, phone: str) -> PhoneVerification:
    """Send a six-digit code by SMS to ``phone`` (any common Indonesian form) and
    return the challenge. Older open codes of ``user`` stop working.

    The SMS is the outbox row of event ``account.otp`` (purpose
    ``phone_verification``, channel ``sms``, urgent: sent in quiet hours too).
    Raises ``django.core.exceptions.ValidationError`` for a number that is not
    an Indonesian mobile number, ``ContactError`` when no SMS gateway is
    configured, and ``CodeRateLimited`` within
    ``NOTIFICATIONS_PHONE_CODE_RESEND_SECONDS`` of the last code, or past
    ``NOTIFICATIONS_PHONE_CODE_MAX_PER_HOUR`` codes in an hour for the user or
    for the number (so that the portal cannot be used to flood someone's phone).
    """
    phone = phone_normalise(phone)
    if not channel_available(Channel.SMS):
        raise ContactError(
            _("Codes by SMS are not available at the moment. Try again later.")
        )
    contact = _contact_lock(user)
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    recent = list(
        PhoneVerification.objects.filter(user=user, created_at__gt=hour_ago).order_by(
            "-created_at"
        )
    )
    if recent:
        wait = (
            settings.NOTIFICATIONS_PHONE_CODE_RESEND_SECONDS
            - (now - recent[0].created_at).total_seconds()
        )
        if wait > 0:
            raise CodeRateLimited(
                _("A code was just sent. Ask for another in %(seconds)d seconds.")
                % {"seconds": math.ceil(wait)},
                extra={"retry_after": math.ceil(wait)},
            )
    to_number = PhoneVerification.objects.filter(phone=phone, created_at__gt=hour_ago)
    limit = settings.NOTIFICATIONS_PHONE_CODE_MAX_PER_HOUR
    if len(recent) >= limit or to_number.count() >= limit:
        oldest = min(
            [r.created_at for r in recent]
            + list(to_number.values_list("created_at", flat=True))
        )
        wait = (oldest + timedelta(hours=1) - now).total_seconds()
        raise CodeRateLimited(
            _("Too many codes were sent. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, math.ceil(wait / 60))},
            extra={"retry_after": math.ceil(wait)},
        )
    PhoneVerification.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    valid = settings.NOTIFICATIONS_PHONE_CODE_VALID_MINUTES
    challenge = PhoneVerification.objects.create(
        user=user,
        phone=phone,
        code_hash=_code_hash(user=user, phone=phone, code=code),
        created_at=now,
        expires_at=now + timedelta(minutes=valid),
    )
    notify(
        event="account.otp",
        recipient=user,
        context={"code": code, "purpose": "phone_verification", "valid_minutes": valid},
        channels=[Channel.SMS],
        dedupe_key=f"phone-verification:{challenge.pk}",
        to={Channel.SMS: phone},
    )
    audit_record(
        action="contact.phone_code_sent",
        obj=contact,
        changes={"challenge": [None, challenge.pk]},
    )
    return challenge


def phone_verification_confirm(*, user, code: str) -> ContactPoint:
    """Check ``code`` against ``user``'s latest code; when right, the number it
    was sent to becomes the user's verified phone. Return the contact point.

    A wrong code counts a try, and that count is committed before the error is
    raised. Raises ``ContactError``: wrong (with the tries left), expired or
    replaced, or too many wrong tries (``NOTIFICATIONS_PHONE_CODE_MAX_ATTEMPTS``).
    """
    contact, error = _phone_verification_check(user=user, code=code)
    if error is not None:
        raise error
    return contact


@transaction.atomic(durable=True)
def _phone_verification_check(*, user, code: str):
    contact = _contact_lock(user)
    now = timezone.now()
    challenge = (
        PhoneVerification.objects.select_for_update()
        .filter(user=user, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if challenge is None or challenge.expires_at <= now:
        return contact, ContactError(
            _("This code has expired or a newer one was sent. Ask for a new code.")
        )
    limit = settings.NOTIFICATIONS_PHONE_CODE_MAX_ATTEMPTS
    if challenge.attempts >= limit:
        return contact, ContactError(_("Too many wrong codes. Ask for a new code."))
    expected = _code_hash(user=user, phone=challenge.phone, code=(code or "").strip())
    if not constant_time_compare(challenge.code_hash, expected):
        challenge.attempts += 1
        challenge.save(update_fields=["attempts"])
        left = limit - challenge.attempts
        if left <= 0:
            return contact, ContactError(_("Too many wrong codes. Ask for a new code."))
        return contact, ContactError(
            ngettext(
                "This code is not right. %(left)d try left.",
                "This code is not right. %(left)d tries left.",
                left,
            )
            % {"left": left},
            extra={"attempts_left": left},
        )
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    _contact_phone_mark_verified(user=user, phone=challenge.phone, contact=contact)
    return contact, None


def _contact_phone_mark_verified(
    *, user, phone: str, contact: ContactPoint | None = None
) -> ContactPoint:
    """Make ``phone`` (E.164) ``user``'s verified phone, now. For callers that
    proved the number themselves inside their own transaction (e.g. accounts,
    after its own SMS code). Audited; raises ``ValidationError`` for a number
    that is not an Indonesian mobile number."""
    phone = phone_normalise(phone)
    contact = contact or _contact_lock(user)
    changed = contact.phone != phone
    contact.phone = phone
    contact.phone_verified_at = timezone.now()
    contact.save(update_fields=["phone", "phone_verified_at", "updated_at"])
    audit_record(
        action="contact.phone_verified",
        obj=contact,
        changes={"phone": ["(changed)" if changed else "(same)", "(verified)"]},
    )
    return contact


@transaction.atomic(durable=True)
def contact_channels_set(*, user, channels: Sequence[str]) -> ContactPoint:
    """Save ``user``'s message channels, first choice first (``whatsapp``,
    ``sms``, ``email``; each at most once). The inbox needs no choice: it always
    gets a copy.

    Raises ``ContactError`` for an empty list, an unknown or repeated channel,
    SMS or WhatsApp without a verified phone, or e-mail without an address.
    """
    chosen = [c for c in channels if c]
    if not chosen:
        raise ContactError(_("Choose at least one channel."))
    if len(set(chosen)) != len(chosen):
        raise ContactError(_("Choose each channel only once."))
    if not set(chosen) <= set(MESSAGE_CHANNELS):
        raise ContactError(_("Choose among WhatsApp, SMS and e-mail."))
    contact = _contact_lock(user)
    if set(chosen) & set(PHONE_CHANNELS) and not contact.verified_phone:
        raise ContactError(
            _("Verify your phone number before choosing SMS or WhatsApp.")
        )
    if Channel.EMAIL in chosen and not user.email:
        raise ContactError(_("Your account has no e-mail address."))
    before = list(contact.channels)
    contact.channels = chosen
    contact.save(update_fields=["channels", "updated_at"])
    audit_record(
        action="contact.channels_update",
        obj=contact,
        changes={"channels": [before, chosen]},
    )
    return contact


@transaction.atomic(durable=True)
def contact_phone_remove(*, user) -> ContactPoint:
    """Forget ``user``'s phone number; SMS and WhatsApp leave their channel order
    (e-mail stays, or becomes the only channel)."""
    contact = _contact_lock(user)
    before = list(contact.channels)
    contact.phone = ""
    contact.phone_verified_at = None
    contact.channels = [c for c in contact.channels if c not in PHONE_CHANNELS]
    contact.save(update_fields=["phone", "phone_verified_at", "channels", "updated_at"])
    audit_record(
        action="contact.phone_removed",
        obj=contact,
        changes={"phone": ["(set)", None], "channels": [before, contact.channels]},
    )
    return contact
