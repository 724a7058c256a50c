"""Citizens' own account: registration, verification, password reset, change of
e-mail or phone, profile, closing."""

import uuid

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import CodeChannel, CodePurpose
from accounts.models import OneTimeCode, User
from accounts.nik import nik_parse
from accounts.phones import phone_normalise
from audit.services import (
    audit_record,
    personal_ref,
)
from notifications.services import notify

from .codes import CodeCheck, CodeError, code_consume, code_issue, sms_available

_PERSONAL = ("email", "phone", "nik")


def _taken(field: str, value: str, *, exclude: User | None = None) -> bool:
    lookup = {"email__iexact": value} if field == "email" else {field: value}
    qs = User.objects.filter(is_active=True, **lookup)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


_TAKEN_MESSAGES = {
    "email": gettext_lazy(
        "An account with this e-mail address already exists. Log in or "
        "reset your password."
    ),
    "phone": gettext_lazy(
        "An account with this phone number already exists. Log in or "
        "reset your password."
    ),
    "nik": gettext_lazy(
        "An account with this NIK already exists. Log in or reset your "
        "password, or contact PTSP if it is not yours."
    ),
}


def _taken_error(field: str) -> ValidationError:
    return ValidationError(
        {field: ValidationError(_TAKEN_MESSAGES[field], code="taken")}
    )


def user_find(identifier: str) -> User | None:
    """The active user whose e-mail address, phone number or username is
    ``identifier`` (case-insensitive for e-mail and username), or ``None``."""
    from accounts.backends import identifier_query

    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return (
        User.objects.filter(identifier_query(identifier), is_active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic(durable=True)
def citizen_register(
    *,
    full_name: str,
    email: str,
    phone: str,
    nik: str,
    password: str,
    preferred_language: str = "id",
) -> User:
    """Create an inactive citizen account and send a one-time code to verify its
    e-mail address (or, once SMS exists, its phone number); return the user.

    ``email`` or ``phone`` is required; ``nik`` is checked with
    ``accounts.nik.nik_parse``; ``password`` with Django's validators. Registering
    again with the e-mail or phone of an unverified registration reuses that
    account (new name, NIK, password and code) instead of leaving a duplicate.

    A NIK already verified on another account is not reported (that would
    tell anyone whose NIK has an account): the new account is created without
    it, and the holder of the NIK gets ``account.nik_registration_attempt``.

    Raises ``ValidationError`` (field-keyed) for bad values, an e-mail address
    or phone number already in use,
    ``CodeError`` when only a phone is given while SMS is not available, and
    ``CodeRateLimited`` when codes were sent too recently.
    """
    email = User.objects.normalize_email(email.strip()) if email else ""
    phone = phone_normalise(phone) if phone else ""
    nik = nik_parse(nik).nik
    if not email and not phone:
        raise ValidationError(_("Enter an e-mail address or a mobile phone number."))
    if not email and not sms_available():
        raise ValidationError(
            {
                "phone": _(
                    "Codes by SMS are not available yet; enter an e-mail address too."
                )
            }
        )
    for field, value in (("email", email), ("phone", phone)):
        if value and _taken(field, value):
            raise _taken_error(field)
    # A NIK already linked to an active account is not revealed to whoever
    # types it: the registration goes on without it, and the NIK's holder is
    # told (``account.nik_registration_attempt``).
    nik_holder = (
        User.objects.filter(is_active=True, nik=nik).order_by("pk").first()
        if nik
        else None
    )
    if nik_holder is not None:
        nik = ""
    contact = Q(email__iexact=email) if email else Q(phone=phone)
    user = (
        User.objects.select_for_update()
        .filter(
            contact,
            is_active=False,
            closed_at__isnull=True,
            email_verified_at__isnull=True,
            phone_verified_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        user = User(username=f"warga-{uuid.uuid4().hex[:12]}", is_active=False)
    user.full_name = full_name.strip()
    user.email, user.phone, user.nik = email, phone, nik
    user.preferred_language = preferred_language
    validate_password(password, user)
    user.set_password(password)
    created = user.pk is None
    user.save()
    audit_record(
        action="account.register",
        obj=user,
        changes={
            # A reference, not the name: the trail never copies personal values.
            "full_name": [None, personal_ref(user, "full_name")],
            **{f: [None, personal_ref(user, f)] for f in _PERSONAL if getattr(user, f)},
        },
        reason="" if created else "registration repeated before verification",
    )
    if nik_holder is not None:
        audit_record(
            action="account.nik_registration_attempt",
            obj=nik_holder,
            changes={"attempted_by": [None, user.pk]},
        )
        notify(
            event="account.nik_registration_attempt",
            recipient=nik_holder,
            context={"attempted_at": timezone.now()},
        )
    if email:
        code_issue(
            user=user,
            purpose=CodePurpose.EMAIL_VERIFICATION,
            channel=CodeChannel.EMAIL,
            address=email,
        )
    else:
        code_issue(
            user=user,
            purpose=CodePurpose.PHONE_VERIFICATION,
            channel=CodeChannel.SMS,
            address=phone,
        )
    return user


def _registration_purpose(user: User) -> tuple[str, str, str]:
    if user.email:
        return CodePurpose.EMAIL_VERIFICATION, CodeChannel.EMAIL, user.email
    return CodePurpose.PHONE_VERIFICATION, CodeChannel.SMS, user.phone


@transaction.atomic(durable=True)
def registration_code_resend(*, user: User) -> OneTimeCode:
    """Send a new code to a registration still waiting for verification.

    Raises ``CodeRateLimited`` (see ``code_issue``) and ``CodeError`` when the
    account is not waiting for verification.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_pending_verification:
        raise CodeError(_("This account does not need verifying."))
    purpose, channel, address = _registration_purpose(user)
    return code_issue(user=user, purpose=purpose, channel=channel, address=address)


def registration_verify(*, user: User, code: str) -> User:
    """Check the registration code, activate the account and mark the contact
    verified; return the user (the view then logs them in).

    Raises ``CodeRejected`` for a wrong, expired or exhausted code (the wrong try
    stays counted) and ``ValidationError`` when, meanwhile, another active
    account took the e-mail address, phone number or NIK.
    """
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_pending_verification:
            raise CodeError(_("This account does not need verifying."))
        purpose, _channel, _address = _registration_purpose(user)
        check = code_consume(user=user, purpose=purpose, code=code)
        if check.ok:
            _activate(user, purpose=purpose)
    if check.error is not None:
        raise check.error
    return user


def _activate(user: User, *, purpose: str) -> None:
    for field in _PERSONAL:
        value = getattr(user, field)
        if value and _taken(field, value, exclude=user):
            raise _taken_error(field)
    now = timezone.now()
    if purpose == CodePurpose.EMAIL_VERIFICATION:
        user.email_verified_at = now
    else:
        user.phone_verified_at = now
    user.is_active = True
    try:
        with transaction.atomic():
            user.save(
                update_fields=["is_active", "email_verified_at", "phone_verified_at"]
            )
    except IntegrityError:  # a concurrent activation won the race
        raise ValidationError(
            _("Another account already uses this e-mail address, phone number or NIK.")
        ) from None
    audit_record(
        action="account.verify",
        obj=user,
        changes={"is_active": [False, True], "verified": [None, purpose]},
    )


@transaction.atomic(durable=True)
def password_reset_request(*, identifier: str) -> User | None:
    """Send a password-reset code to the active account named by ``identifier``
    (e-mail, phone or username) and return it; ``None`` when no account matches
    or a code was sent too recently. The caller shows the same page either way,
    so nobody learns whether an account exists."""
    user = user_find(identifier)
    if user is None:
        return None
    by_phone = bool(user.phone) and identifier.strip() not in (
        user.email,
        user.username,
    )
    if by_phone and sms_available() and user.phone_verified_at:
        channel, address = CodeChannel.SMS, user.phone
    elif user.email:
        channel, address = CodeChannel.EMAIL, user.email
    else:
        return None
    try:
        with transaction.atomic():
            code_issue(
                user=user,
                purpose=CodePurpose.PASSWORD_RESET,
                channel=channel,
                address=address,
            )
    except CodeError:
        return None
    return user


def password_reset_complete(*, user: User | None, code: str, new_password: str) -> User:
    """Check the reset code and set ``new_password``; every session of the user
    ends (Django ties sessions to the password hash).

    Raises ``ValidationError`` (key ``new_password``) for a weak password, before
    the code is tried, and ``CodeRejected`` for a wrong code.
    """
    if user is not None:
        try:
            validate_password(new_password, user)
        except ValidationError as error:
            raise ValidationError({"new_password": error.messages}) from None
    with transaction.atomic(durable=True):
        check: CodeCheck = code_consume(
            user=user, purpose=CodePurpose.PASSWORD_RESET, code=code
        )
        if check.ok:
            user.set_password(new_password)
            user.save(update_fields=["password"])
            audit_record(action="account.password_reset", obj=user)
    if check.error is not None:
        raise check.error
    return user


@transaction.atomic(durable=True)
def password_change(*, user: User, new_password: str) -> User:
    """Set ``new_password`` (already checked by the form with the old one).
    Other sessions end; the view keeps the current one with
    ``update_session_auth_hash``."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(action="account.password_change", obj=user)
    return user


@transaction.atomic(durable=True)
def contact_change_request(
    *, user: User, email: str = "", phone: str = ""
) -> OneTimeCode:
    """Send a code to a new e-mail address (or phone number); the account keeps
    the old one until ``contact_change_confirm``.

    Raises ``ValidationError`` for an invalid or already-used value or no change,
    ``CodeError`` for a phone while SMS is not available, ``CodeRateLimited``.
    """
    if bool(email) == bool(phone):
        raise ValidationError(
            _("Enter either a new e-mail address or a new phone number.")
        )
    if email:
        field, value = "email", User.objects.normalize_email(email.strip())
        purpose, channel = CodePurpose.EMAIL_VERIFICATION, CodeChannel.EMAIL
        same = value.lower() == user.email.lower()
    else:
        field, value = "phone", phone_normalise(phone)
        purpose, channel = CodePurpose.PHONE_VERIFICATION, CodeChannel.SMS
        same = value == user.phone
    if same:
        raise ValidationError({field: _("This is already your current one.")})
    if _taken(field, value, exclude=user):
        raise _taken_error(field)
    return code_issue(user=user, purpose=purpose, channel=channel, address=value)


def contact_change_confirm(*, user: User, field: str, code: str) -> User:
    """Check the code sent by ``contact_change_request`` for ``field`` (``"email"``
    or ``"phone"``) and save the new, now verified, value.

    Raises ``CodeRejected`` and ``ValidationError`` (the value was taken
    meanwhile).
    """
    purpose = (
        CodePurpose.EMAIL_VERIFICATION
        if field == "email"
        else CodePurpose.PHONE_VERIFICATION
    )
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        check = code_consume(user=user, purpose=purpose, code=code)
        if check.ok:
            new = check.row.address
            if _taken(field, new, exclude=user):
                raise _taken_error(field)
            setattr(user, field, new)
            setattr(user, f"{field}_verified_at", timezone.now())
            user.save(update_fields=[field, f"{field}_verified_at"])
            audit_record(
                action=f"account.{field}_change",
                obj=user,
                changes={
                    field: [
                        personal_ref(user, f"{field}@old"),
                        personal_ref(user, field),
                    ]
                },
            )
    if check.error is not None:
        raise check.error
    return user


@transaction.atomic(durable=True)
def profile_update(*, user: User, full_name: str, preferred_language: str) -> User:
    """Change the name and the language of e-mails, notifications and (once
    chosen, see ``User.language_chosen_at``) pages."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
    }
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    if user.language_chosen_at is None or before["preferred_language"] != (
        preferred_language
    ):
        user.language_chosen_at = timezone.now()
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["full_name", "preferred_language", "language_chosen_at"])
    changes = {
        k: [v, getattr(user, k)] for k, v in before.items() if v != getattr(user, k)
    }
    if "full_name" in changes:  # personal: recorded as a reference only
        ref = personal_ref(user, "full_name")
        changes["full_name"] = [ref, ref]
    if changes:
        audit_record(action="account.profile_update", obj=user, changes=changes)
    return user


@transaction.atomic(durable=True)
def account_close(*, user: User, reason: str = "") -> User:
    """Close ``user``'s account: deactivate it and erase what records do not need.

    Erased: e-mail address, phone number, NIK, password (unusable), one-time
    codes, authenticator devices; the username becomes ``closed-<uuid>``; open
    business memberships end. Kept: the row, its ``uuid`` and ``full_name``, which
    applications, decisions and the audit trail refer to (records the city must
    keep). Every session ends with the password. Staff accounts are closed by an admin
    (deactivated), not here: raises ``ValidationError`` for them.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import BusinessMembership
    from accounts.permissions import is_staff_member

    user = User.objects.select_for_update().get(pk=user.pk)
    if is_staff_member(user):
        raise ValidationError(_("Staff accounts are closed by an administrator."))
    now = timezone.now()
    erased = {f: [personal_ref(user, f), None] for f in _PERSONAL if getattr(user, f)}
    user.email = user.phone = user.nik = ""
    user.first_name = user.last_name = ""
    user.email_verified_at = user.phone_verified_at = None
    user.username = f"closed-{user.uuid.hex}"
    user.set_unusable_password()
    user.is_active = False
    user.closed_at = now
    user.save()
    OneTimeCode.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    # One by one, each audited: the audit trail refuses bulk updates of audited
    # models.
    open_memberships = BusinessMembership.objects.filter(
        user=user, ended_at__isnull=True
    ).order_by("pk")
    for membership in open_memberships.select_for_update():
        membership.ended_at = now
        membership.save(update_fields=["ended_at", "updated_at"])
        audit_record(
            action="business.membership_end",
            obj=membership,
            changes={"ended_at": [None, now.isoformat()]},
            reason="account closed",
        )
    audit_record(
        action="account.close",
        obj=user,
        changes={**erased, "is_active": [True, False]},
        reason=reason,
    )
    return user
