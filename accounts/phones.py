"""Indonesian mobile phone numbers, stored in international form (``+628...``).

Mobile numbers start with 08 nationally (+62 8 internationally) and have 10 to 13
digits in the national form (Permenkominfo No. 14 Tahun 2018 numbering plan;
operators' prefixes 0811-0899). Landlines cannot receive a one-time code by SMS
and are refused.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-()]")
_E164 = re.compile(r"^\+628\d{8,11}$")


def phone_normalise(value: str) -> str:
    """``0812-3456-7890``, ``62812...`` or ``+62 812...`` → ``+6281234567890``.

    Raises ``ValidationError`` (code ``phone``) when the result is not an
    Indonesian mobile number.
    """
    raw = _SEPARATORS.sub("", value or "")
    if raw.startswith("0"):
        raw = "+62" + raw[1:]
    elif raw.startswith("62"):
        raw = "+" + raw
    validate_phone(raw)
    return raw


def validate_phone(value: str) -> None:
    """Accept only the stored form ``+628`` followed by 8 to 11 digits."""
    if not _E164.match(value or ""):
        raise ValidationError(
            _("Enter an Indonesian mobile number, e.g. 0812 3456 7890."),
            code="phone",
        )


def phone_mask(phone: str) -> str:
    """``+62812****7890``: enough to recognise one's own number."""
    if len(phone) < 9:
        return phone
    return f"{phone[:6]}{'*' * (len(phone) - 10)}{phone[-4:]}"


def email_mask(email: str) -> str:
    """``b***@example.org``."""
    local, _at, domain = (email or "").partition("@")
    if not domain:
        return email
    return f"{local[:1]}***@{domain}"
