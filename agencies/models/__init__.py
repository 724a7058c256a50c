"""Agencies, offices, the versioned service catalogue, calendars and holidays."""

from .calendars import (
    CITY_WORKING_CALENDAR,
    Calendar,
    CalendarOverride,
    Holiday,
    OverrideInterval,
    WeeklyInterval,
)
from .catalogue import Service, ServiceStep, ServiceVersion
from .organisations import Agency, District, Office, Village

__all__ = [
    "CITY_WORKING_CALENDAR",
    "Agency",
    "Calendar",
    "CalendarOverride",
    "District",
    "Holiday",
    "Office",
    "OverrideInterval",
    "Service",
    "ServiceStep",
    "ServiceVersion",
    "Village",
    "WeeklyInterval",
]
