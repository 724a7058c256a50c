"""Working time on an office calendar: the arithmetic under every SLA deadline.

Pure Python, no database: the catalogue turns its calendars, overrides and holidays
into a :class:`WorkingCalendar`; the SLA engine asks it for deadlines, elapsed working
time and remaining working time. Rules from issue 9 ("SLA engine") and the city's
office hours (catalogue ``service_hours``, Ramadan circular SE Sekda Kota Tangerang
No. 100.3.4.3/2746/III/2024).

SLA semantics
-------------
Calendar
    A service's SLA counts the working-time calendar of the agency that owns it
    (city default :data:`DEFAULT_WEEKLY`, Mon-Fri 08:00-15:00), unless the service
    counts an office's service hours (:meth:`WorkingCalendar.from_service_hours`):
    then every day with service hours, Saturday included, is a working day.
Time zone
    Instants go in as aware ``datetime`` (any zone) and come out as aware UTC.
    Calendars are read in WIB (Asia/Jakarta, UTC+7 all year: Indonesia has had no
    daylight saving since 1964), so the WIB date, not the UTC date, decides the
    weekday and the holiday; it changes at 17:00 UTC. Naive input is a
    ``ValueError``.
Working time
    Each date has working intervals in WIB, half-open ``[opening, closing)``: the
    weekly schedule for its weekday, replaced by a dated override (Ramadan
    08:00-14:00; where overrides overlap the last listed wins, and a weekday an
    override does not name is closed) and emptied by a closed date (national
    holiday, *cuti bersama*). A date with at least one interval is a *working day*.
    ``time(0)`` as a closing means 24:00. Working time is measured to the
    microsecond.
Clock start
    The clock starts at the event itself when that instant is working time, else at
    the next opening. A start at exactly closing time is outside ``[opening,
    closing)``, so it starts at the next opening; a start at exactly opening time
    starts there.
N working hours
    End at the earliest instant at which N hours of working time have elapsed since
    the clock started. "Earliest" makes a deadline that uses up a day's last minute
    fall exactly on closing time (15:00), never on the next opening. Zero hours end
    at the clock start. No deadline falls outside working time except exactly at a
    closing.
N working days
    End at the closing time (end of the last interval) of the N-th working day after
    the day on which the clock started; that day itself is not counted. *The day on
    which the clock started* is the WIB date of the clock start as defined above, so
    an application filed on Friday at 16:00, Saturday, or Monday at 07:00 all start
    on Monday at 08:00, and one working day ends on Tuesday at 15:00; filed on
    Monday at 14:59 it ends then too. N = 0 ends at the closing of the starting day.
Pauses
    While the clock is paused (waiting on the applicant) no working time counts. The
    working time that remained when it stopped is carried over: on resumption the
    deadline is the instant at which that remaining working time has elapsed again,
    so a day-based deadline may then fall in the middle of a working day. There is
    no cap on pauses. A deadline that passed before a pause stays where it passed
    (``Deadline.remaining`` is then zero or negative). For day
    SLAs the remaining working time is measured against the day-based deadline
    (:meth:`WorkingCalendar.remaining`), so one rule serves both units.
Recomputation
    A deadline is a function of the calendar, the clock start, the SLA and the
    pauses only (:meth:`WorkingCalendar.deadline`). When a holiday or schedule
    changes, build the new calendar and compute again from the same inputs.
Provisional
    A deadline is provisional when a closed date marked provisional (a holiday the
    ``holidays`` package only estimates) lies between the clock start and the
    deadline, or when the deadline's WIB year is after the last year of confirmed
    holidays.

Performance: a calendar builds per-day working intervals, cumulative working time
and the list of working days for whole years on first use (grown on demand, under a
lock; readers never wait), so a computation is one list lookup or bisection, not a
walk over minutes. ``bench/worktime_bench.py`` measures the rate.
"""

from .calendar import Deadline, Hours, Pause, WorkingCalendar
from .instants import WIB_OFFSET
from .schedule import DEFAULT_WEEKLY, Interval, ScheduleOverride, WeeklySchedule

__all__ = [
    "DEFAULT_WEEKLY",
    "WIB_OFFSET",
    "Deadline",
    "Hours",
    "Interval",
    "Pause",
    "ScheduleOverride",
    "WeeklySchedule",
    "WorkingCalendar",
]
