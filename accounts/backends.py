"""Authentication by e-mail address, mobile phone number or username."""

import contextlib

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.models import User
from accounts.phones import phone_normalise


def identifier_query(identifier: str) -> Q:
    """Matches a user by e-mail (case-insensitive), phone (any national or
    international form) or username (case-insensitive)."""
    query = Q(email__iexact=identifier) | Q(username__iexact=identifier)
    with contextlib.suppress(ValidationError):
        query |= Q(phone=phone_normalise(identifier))
    return query


class IdentifierBackend(ModelBackend):
    """``ModelBackend`` whose ``username`` may also be an e-mail address or a
    phone number. Active accounts only; inactive ones (unverified or closed)
    never authenticate here (the login form sends unverified ones to verify)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = (
            User.objects.filter(identifier_query(username.strip()), is_active=True)
            .order_by("pk")
            .first()
        )
        if user is None:
            # Same cost as a real check, so the timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials: dict | None) -> str:
    """The login identifier django-axes counts failures under: trimmed and
    lower-cased, and phone numbers in one form, so that variants of one
    identifier share a counter."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or ""
    elif request is not None:
        raw = request.POST.get("username", "")
    raw = raw.strip()
    try:
        return phone_normalise(raw)
    except ValidationError:
        return raw.lower()
