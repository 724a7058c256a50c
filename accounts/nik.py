"""The NIK (*Nomor Induk Kependudukan*), checked structurally.

Layout (UU No. 24 Tahun 2013 on population administration; Dukcapil's
explanation, see the catalogue's ``nik`` section)::

    PP KK CC DDMMYY SSSS
    │  │  │  │      └ registration serial, 0001-9999
    │  │  │  └ birth date; women add 40 to the day (41-71)
    │  │  └ kecamatan where the NIK was first issued
    │  └ regency (kabupaten, 01-) or city (kota, 71-)
    └ province (``accounts.regions.PROVINCES``)

The region is where the NIK was first issued, not where the person lives now: a
NIK from anywhere in Indonesia is accepted. Only the structure is checked; whether
the NIK exists is Dukcapil's to say (a later integration).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .regions import KOTA_TANGERANG, PROVINCES

NIK_LENGTH = 16
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class NikInfo:
    """What a NIK says: region codes, birth date and sex (``"F"`` or ``"M"``)."""

    nik: str
    province_code: str
    province_name: str
    regency_code: str
    district_code: str
    birth_date: dt.date
    sex: str
    serial: str


def nik_normalise(value: str) -> str:
    """``value`` without spaces, dots and dashes (``3671 0512 3456 0001``)."""
    return _SEPARATORS.sub("", value or "")


def nik_parse(value: str, *, today: dt.date | None = None) -> NikInfo:
    """Check ``value`` (separators allowed) and return what it says.

    Raises ``ValidationError`` with a translated message naming the faulty digits
    and a ``code``: ``length``, ``digits``, ``province``, ``regency``,
    ``district``, ``birth_date`` or ``serial``. A two-digit year is read in the
    latest century that puts the birth date on or before ``today`` (WIB).
    """
    nik = nik_normalise(value)
    if not nik.isdigit() or not nik.isascii():
        raise ValidationError(_("A NIK contains digits only."), code="digits")
    if len(nik) != NIK_LENGTH:
        raise ValidationError(
            _("A NIK has exactly 16 digits; this one has %(count)d.")
            % {"count": len(nik)},
            code="length",
        )
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCES:
        raise ValidationError(
            _("The first two digits (%(code)s) are not an Indonesian province code.")
            % {"code": province},
            code="province",
        )
    if regency == "00":
        raise ValidationError(
            _("Digits 3-4 (%(code)s) are not a regency or city code.")
            % {"code": regency},
            code="regency",
        )
    if district == "00" or (
        nik[:4] == KOTA_TANGERANG and nik[:6] not in _kota_tangerang_prefixes()
    ):
        raise ValidationError(
            _("Digits 5-6 (%(code)s) are not a known kecamatan code.")
            % {"code": district},
            code="district",
        )
    today = today or timezone.localdate()
    birth_date, sex = _birth_date(nik[6:12], today)
    if nik[12:] == "0000":
        raise ValidationError(
            _("The last four digits (the serial number) cannot be 0000."),
            code="serial",
        )
    return NikInfo(
        nik=nik,
        province_code=province,
        province_name=PROVINCES[province],
        regency_code=nik[:4],
        district_code=nik[:6],
        birth_date=birth_date,
        sex=sex,
        serial=nik[12:],
    )


def validate_nik(value: str) -> None:
    """Django validator form of ``nik_parse``."""
    nik_parse(value)


def nik_mask(nik: str) -> str:
    """``3671********0001``: the region (first four) and the serial (last four)
    stay readable; the birth date and kecamatan do not. Empty stays empty."""
    if not nik:
        return ""
    if len(nik) != NIK_LENGTH:
        return "*" * len(nik)
    return f"{nik[:4]}{'*' * 8}{nik[12:]}"


def _birth_date(digits: str, today: dt.date) -> tuple[dt.date, str]:
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    sex = "M"
    if day > 40:
        day, sex = day - 40, "F"
    century = today.year // 100 * 100
    try:
        birth_date = dt.date(century + year, month, day)
        if birth_date > today:  # two-digit year: the previous century
            birth_date = dt.date(century - 100 + year, month, day)
    except ValueError:
        raise ValidationError(
            _(
                "Digits 7-12 (%(digits)s) are not a valid birth date: day (women "
                "add 40), month, year."
            )
            % {"digits": digits},
            code="birth_date",
        ) from None
    return birth_date, sex


def _kota_tangerang_prefixes() -> frozenset[str]:
    """Kecamatan prefixes of Kota Tangerang from the catalogue's districts; every
    ``3671xx`` with xx not 00 while the catalogue is not loaded yet."""
    from agencies.models import District

    prefixes = frozenset(
        District.objects.filter(nik_prefix__startswith=KOTA_TANGERANG).values_list(
            "nik_prefix", flat=True
        )
    )
    return prefixes or frozenset(f"{KOTA_TANGERANG}{n:02d}" for n in range(1, 100))
