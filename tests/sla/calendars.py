"""Calendars the SLA tests compute on, as plain data (the catalogue builds the same
shapes from its tables)."""

from datetime import UTC, date, datetime, time, timedelta, timezone

from sla.worktime import ScheduleOverride, WorkingCalendar

WIB = timezone(timedelta(hours=7), "WIB")

# Libur nasional 2026 (holidays 0.109, Indonesia, category "public").
NATIONAL_HOLIDAYS_2026 = [
    date(2026, 1, 1),  # Tahun Baru Masehi (Thu)
    date(2026, 1, 16),  # Isra Mikraj (Fri)
    date(2026, 2, 17),  # Tahun Baru Imlek (Tue)
    date(2026, 3, 19),  # Nyepi (Thu)
    date(2026, 3, 21),  # Idul Fitri (Sat)
    date(2026, 3, 22),  # Idul Fitri, second day (Sun)
    date(2026, 4, 3),  # Wafat Yesus Kristus (Fri)
    date(2026, 5, 1),  # Hari Buruh (Fri)
    date(2026, 5, 14),  # Kenaikan Yesus Kristus (Thu)
    date(2026, 5, 27),  # Idul Adha (Wed)
    date(2026, 6, 1),  # Hari Lahir Pancasila (Mon)
    date(2026, 6, 16),  # Tahun Baru Islam (Tue)
    date(2026, 8, 17),  # Hari Kemerdekaan (Mon)
    date(2026, 8, 25),  # Maulid Nabi (Tue)
    date(2026, 12, 25),  # Natal (Fri)
]
# Cuti bersama 2026 (catalogue.json "calendar.cuti_bersama").
CUTI_BERSAMA_2026 = [
    date(2026, 2, 16),
    date(2026, 3, 18),
    date(2026, 3, 20),
    date(2026, 3, 23),
    date(2026, 3, 24),
    date(2026, 5, 15),
    date(2026, 5, 28),
    date(2026, 12, 24),
]
# Ramadan 1447 H: Mon-Fri 08:00-14:00 (as SE Sekda No. 100.3.4.3/2746/III/2024
# set for 1445 H; the catalogue expects a similar circular each year).
RAMADAN_2026 = ScheduleOverride(
    date(2026, 2, 19),
    date(2026, 3, 19),
    {weekday: [(time(8), time(14))] for weekday in range(5)},
)


def city_calendar(**changes) -> WorkingCalendar:
    """The city working-time calendar for 2026: Mon-Fri 08:00-15:00 WIB, national
    holidays and cuti bersama closed, Ramadan hours."""
    arguments = {
        "overrides": [RAMADAN_2026],
        "closed_dates": NATIONAL_HOLIDAYS_2026 + CUTI_BERSAMA_2026,
        "confirmed_through": 2026,
    } | changes
    return WorkingCalendar(**arguments)


def wib(*parts: int) -> datetime:
    """An instant given in WIB wall-clock time."""
    return datetime(*parts, tzinfo=WIB)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)
