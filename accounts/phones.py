"""Indonesian mobile phone numbers, stored in international form (``+628...``).

One implementation serves the whole portal: parsing and validation live in
``notifications.phones`` (libphonenumber's metadata, following Permenkominfo
No. 14 Tahun 2018); accounts re-exports them and adds the e-mail mask.
"""

from notifications.phones import phone_mask, phone_normalise, validate_phone

__all__ = ["email_mask", "phone_mask", "phone_normalise", "validate_phone"]


def email_mask(email: str) -> str:
    """``b***@example.org``."""
    local, _at, domain = (email or "").partition("@")
    if not domain:
        return email
    return f"{local[:1]}***@{domain}"
