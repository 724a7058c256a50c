"""Instants as integers: WIB microseconds, WIB day numbers, and durations.

Internally an instant is *local microseconds*: microseconds since 1970-01-01 00:00
UTC plus seven hours (WIB, Asia/Jakarta, UTC+7 without daylight saving since 1964).
``local // DAY`` is the WIB day number (0 = 1970-01-01) and ``local % DAY`` the time
of day in WIB, so the WIB date changes at 17:00 UTC without any time-zone lookup.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from numbers import Real

HOUR = 3_600_000_000
DAY = 24 * HOUR
WIB_OFFSET = timedelta(hours=7)

_US = timedelta(microseconds=1)
_OFFSET = WIB_OFFSET // _US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
FIRST_DAY = date.min.toordinal() - _EPOCH_ORDINAL
LAST_DAY = date.max.toordinal() - _EPOCH_ORDINAL


def local_us(t: datetime) -> int:
    """Local microseconds of the aware datetime ``t`` (any time zone).

    Raises ``ValueError`` for a naive datetime or anything else.
    """
    try:
        return (t - _EPOCH) // _US + _OFFSET
    except TypeError:
        raise ValueError(
            f"Expected an aware datetime (with a time zone), got {t!r}."
        ) from None


def utc(local: int) -> datetime:
    """The aware UTC datetime of local microseconds ``local``."""
    try:
        return _EPOCH + _US * (local - _OFFSET)
    except OverflowError:
        raise ValueError("Outside the dates Python can represent.") from None


def micros(duration: timedelta) -> int:
    return duration // _US


def duration(amount: int) -> timedelta:
    return _US * amount


def day_date(day: int) -> date:
    """The WIB date of day number ``day``."""
    return date.fromordinal(day + _EPOCH_ORDINAL)


def day_number(day: date) -> int:
    """Day number of a WIB date. Raises ``ValueError`` for a datetime or non-date."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValueError(f"Expected a date, got {day!r}.")
    return day.toordinal() - _EPOCH_ORDINAL


def year_start(year: int) -> int:
    """Day number of 1 January of ``year``; past year 9999, the day after the last."""
    if year > date.max.year:
        return LAST_DAY + 1
    return date(year, 1, 1).toordinal() - _EPOCH_ORDINAL


def hours_us(hours: object) -> int:
    """Microseconds of a working-hours amount: ``int``, ``float``, ``Decimal`` or
    ``Fraction`` hours, or a ``timedelta``; rounded to the microsecond.

    Raises ``ValueError`` for a negative, non-finite or non-numeric amount.
    """
    if hours.__class__ is int:
        amount = hours * HOUR  # type: ignore[operator]
    elif isinstance(hours, timedelta):
        amount = hours // _US
    elif isinstance(hours, bool) or not isinstance(hours, Real | Decimal):
        raise ValueError(f"hours must be a number or a timedelta, got {hours!r}.")
    else:
        try:
            amount = round(hours * HOUR)  # type: ignore[operator]
        except (TypeError, ValueError, OverflowError):
            raise ValueError(
                f"hours must be a finite number or a timedelta, got {hours!r}."
            ) from None
    if amount < 0:
        raise ValueError("hours must not be negative.")
    return amount


def whole_days(days: object) -> int:
    """``days`` as a count of working days. Raises ``ValueError`` unless it is an
    ``int`` (not ``bool``) >= 0."""
    if days.__class__ is not int or days < 0:  # type: ignore[operator]
        raise ValueError(f"days must be a whole number >= 0, got {days!r}.")
    return days  # type: ignore[return-value]
