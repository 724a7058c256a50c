"""Indonesian mobile numbers for SMS and WhatsApp, stored in E.164 (``+628…``).

Parsing and validation come from ``phonenumbers`` (Google's libphonenumber
metadata, which follows the national numbering plan of Permenkominfo No. 14
Tahun 2018): ``0812-3456-7890``, ``62812…`` and ``+62 812…`` are the same
number. Landlines and other countries' numbers cannot receive our SMS and are
refused.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import phonenumbers

_MESSAGE = _("Enter an Indonesian mobile number, e.g. 0812 3456 7890.")


def phone_normalise(value: str) -> str:
    """``0812-3456-7890``, ``62812…`` or ``+62 812…`` → ``+6281234567890``.

    Raises ``ValidationError`` (code ``phone``) when ``value`` is not a valid
    Indonesian mobile number.
    """
    raw = (value or "").strip()
    if raw.startswith("62"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(_MESSAGE, code="phone") from None
    mobile = phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if number.country_code != 62 or not mobile:
        raise ValidationError(_MESSAGE, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    """Accept only the stored form: a valid Indonesian mobile number in E.164."""
    if not value:
        return
    if phone_normalise(value) != value:
        raise ValidationError(_MESSAGE, code="phone")


def phone_mask(phone: str) -> str:
    """``+62812****7890``: enough to recognise one's own number."""
    if len(phone) < 10:
        return phone
    return f"{phone[:6]}{'*' * (len(phone) - 10)}{phone[-4:]}"
