"""Complaint deadlines on the agency's working-time calendar.

Bridges ``agencies.calendars.calendar_schedule`` (the calendar's rules loaded
from the database) to ``sla.worktime.WorkingCalendar`` (the pure working-time
arithmetic the SLA engine uses), so a complaint's deadline follows the same
calendar, overrides (Ramadan hours) and holidays as the agency's applications.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from agencies.calendars import calendar_schedule
from agencies.models import Agency, Calendar
from agencies.selectors import agency_working_calendar
from sla.worktime import ScheduleOverride, WorkingCalendar

#: How far ahead holidays are loaded: comfortably beyond any complaint deadline
#: (60 working days is the longest SP4N-LAPOR! category).
HORIZON = dt.timedelta(days=200)


def working_calendar_of(calendar: Calendar, start: dt.date) -> WorkingCalendar:
    """``calendar`` as a ``WorkingCalendar`` whose overrides and closed dates
    cover local dates ``start``..``start + HORIZON`` (four queries)."""
    schedule = calendar_schedule(calendar, start, start + HORIZON)
    overrides = [
        ScheduleOverride(
            o.date_from, o.date_to, None if o.is_closed else dict(o.by_weekday)
        )
        for o in sorted(schedule.overrides, key=lambda o: o.sort_key)
    ]
    return WorkingCalendar(
        dict(schedule.weekly),
        overrides=overrides,
        closed_dates=schedule.closed_dates.keys(),
    )


def complaint_due_at(agency: Agency, filed_at: dt.datetime) -> dt.datetime:
    """Answer deadline of a complaint filed at the aware instant ``filed_at``
    with ``agency``: ``TRANSPARENCY_COMPLAINT_WORKING_DAYS`` working days on the
    agency's working-time calendar, counted as SLA day deadlines are
    (``sla.worktime``: closing time of the N-th working day after the day the
    clock starts). Returns aware UTC. Raises ``Calendar.DoesNotExist`` before
    the catalogue's calendars are loaded."""
    calendar = agency_working_calendar(agency)
    local = filed_at.astimezone(ZoneInfo(calendar.timezone)).date()
    working = working_calendar_of(calendar, local)
    return working.add_working_days(
        filed_at, settings.TRANSPARENCY_COMPLAINT_WORKING_DAYS
    )
