"""Complaint deadlines on the agency's working-time calendar.

Uses the SLA engine's bridge from the catalogue's calendar tables to the pure
working-time arithmetic (``sla.calendars.working_calendar`` over
``sla.worktime.WorkingCalendar``), so a complaint's deadline follows the same
calendar, overrides (Ramadan hours) and holidays as the agency's
applications.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from agencies.models import Agency, Calendar
from agencies.selectors import agency_working_calendar
from sla.calendars import working_calendar


def complaint_due_at(agency: Agency, filed_at: dt.datetime) -> dt.datetime:
    """Answer deadline of a complaint filed at the aware instant ``filed_at``
    with ``agency``: ``TRANSPARENCY_COMPLAINT_WORKING_DAYS`` working days on the
    agency's working-time calendar (``kerja-kota`` unless overridden; the city
    default hours before the catalogue is loaded), counted as SLA day
    deadlines are (``sla.worktime``: closing time of the N-th working day after
    the day the clock starts). Returns aware UTC."""
    try:
        calendar: Calendar | None = agency_working_calendar(agency)
    except Calendar.DoesNotExist:
        calendar = None
    return working_calendar(calendar).add_working_days(
        filed_at, settings.TRANSPARENCY_COMPLAINT_WORKING_DAYS
    )
