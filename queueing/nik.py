"""The NIK (*Nomor Induk Kependudukan*) asked at the kiosk: checked for shape, then
replaced by a keyed hash. The NIK itself is never stored or logged.

Layout (catalogue ``nik``, Permendagri on the NIK): 16 digits, province (11-94),
regency, district, birth day (01-31, women +40: 41-71), birth month (01-12),
birth year, serial. Non-Tangerang NIKs are valid (catalogue caveat: many
applicants come from elsewhere).
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

_NIK = re.compile(r"^\d{16}$")


def nik_normalize(raw: str) -> str:
    """``raw`` without spaces, dots and dashes; raises ``ValidationError`` with a
    translated message when it cannot be a NIK."""
    nik = re.sub(r"[\s.\-]", "", raw or "")
    if not _NIK.match(nik):
        raise ValidationError(
            _("A NIK has 16 digits, as printed on the e-KTP or family card."),
            code="nik_shape",
        )
    province = int(nik[0:2])
    day = int(nik[6:8])
    month = int(nik[8:10])
    if (
        not 11 <= province <= 94
        or not (1 <= day <= 31 or 41 <= day <= 71)
        or not 1 <= month <= 12
    ):
        raise ValidationError(
            _("This NIK is not valid. Please check the digits on your e-KTP."),
            code="nik_invalid",
        )
    return nik


def nik_hash(nik: str) -> str:
    """HMAC-SHA256 of a normalised NIK as 64 hex characters.

    Keyed with ``QUEUE_NIK_HASH_KEY``; when that is empty, with a key derived
    from ``SECRET_KEY`` (salted). Changing the key only affects the same-day
    one-ticket rule, the only use of the hash.
    """
    key = settings.QUEUE_NIK_HASH_KEY
    if key:
        return hmac.new(key.encode(), nik.encode(), hashlib.sha256).hexdigest()
    return salted_hmac("queueing.nik", nik, algorithm="sha256").hexdigest()
