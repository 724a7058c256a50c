"""When an office issues tickets and offers booking slots, from its service-hours
calendar (``Office.service_calendar``: weekly hours, Ramadan overrides, holidays
that close service hours).

Rule (issue 12): tickets are issued from ``QUEUE_ISSUE_BEFORE_OPENING_MINUTES``
(default 30) before each opening of the day until its closing, in WIB; outside
that the visitor is told when issuing starts again. Tickets issued before
closing are still served after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.calendars import CalendarSchedule, calendar_schedule
from agencies.models import Office
from ptsp.exceptions import ApplicationError

#: How far ahead the next opening is looked for.
SEARCH_DAYS = 31


class QueueClosed(ApplicationError):
    """No ticket can be issued now; ``message`` says when issuing starts again and
    ``extra`` carries ``issue_from`` and ``opens_at`` (ISO 8601, UTC) or nothing
    when there is no opening within ``SEARCH_DAYS`` days."""


@dataclass(frozen=True)
class Slot:
    """A booking slot: aware UTC ``[starts_at, ends_at)`` and its bookings."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    taken: int = 0

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    def label(self, tz: str = "Asia/Jakarta") -> str:
        zone = ZoneInfo(tz)
        return (
            f"{self.starts_at.astimezone(zone):%H:%M}-"
            f"{self.ends_at.astimezone(zone):%H:%M}"
        )


def issue_lead() -> dt.timedelta:
    return dt.timedelta(minutes=settings.QUEUE_ISSUE_BEFORE_OPENING_MINUTES)


def office_schedule(office: Office, day: dt.date, days: int = 0) -> CalendarSchedule:
    """The office's service-hours schedule for local ``day`` .. ``day + days``."""
    return calendar_schedule(
        office.service_calendar, day, day + dt.timedelta(days=days)
    )


def local_date(office: Office, at: dt.datetime) -> dt.date:
    """The office's local (WIB) date at the aware instant ``at``."""
    return at.astimezone(ZoneInfo(office.service_calendar.timezone)).date()


def ensure_issuing_open(office: Office, at: dt.datetime) -> None:
    """Return when ``office`` issues tickets at ``at``; else raise ``QueueClosed``
    with a translated message naming the next time tickets are issued and the
    next opening (four queries)."""
    tz = ZoneInfo(office.service_calendar.timezone)
    day = at.astimezone(tz).date()
    schedule = office_schedule(office, day, SEARCH_DAYS)
    lead = issue_lead()
    today = schedule.intervals(day, day)
    if any(start - lead <= at < end for start, end in today):
        return
    upcoming = next(((s, e) for s, e in schedule.intervals() if s > at), None)
    if upcoming is None:
        raise QueueClosed(
            _("This office has no service hours in the next %(days)s days.")
            % {"days": SEARCH_DAYS}
        )
    opens = upcoming[0]
    issue_from = max(opens - lead, at)
    values = {
        "issue_from": f"{issue_from.astimezone(tz):%H:%M}",
        "opens": f"{opens.astimezone(tz):%H:%M}",
        "day": date_format(opens.astimezone(tz).date(), "l, j F Y"),
    }
    extra = {"issue_from": issue_from.isoformat(), "opens_at": opens.isoformat()}
    if opens.astimezone(tz).date() == day:
        if not today or at < today[0][0]:
            message = _(
                "Tickets for today are issued from %(issue_from)s WIB; the "
                "counters open at %(opens)s WIB."
            )
        else:
            message = _(
                "The counters are on a break. Tickets are issued again today "
                "from %(issue_from)s WIB; the counters reopen at %(opens)s WIB."
            )
    elif not today:
        values["reason"] = schedule.closed_dates.get(day) or _("no service hours")
        message = _(
            "The office is closed today (%(reason)s). Tickets are issued again "
            "on %(day)s from %(issue_from)s WIB; the counters open at %(opens)s WIB."
        )
    else:
        values["closed"] = f"{today[-1][1].astimezone(tz):%H:%M}"
        message = _(
            "Ticket issuing has ended for today: the counters closed at "
            "%(closed)s WIB. Tickets are issued again on %(day)s from "
            "%(issue_from)s WIB; the counters open at %(opens)s WIB."
        )
    raise QueueClosed(message % values, extra=extra)


def day_slots(
    schedule: CalendarSchedule, day: dt.date, *, minutes: int, capacity: int
) -> list[Slot]:
    """Booking slots of ``minutes`` on local ``day``: consecutive from each
    opening, each ending no later than its closing (a short rest is dropped)."""
    tz = ZoneInfo(schedule.timezone)
    step = dt.timedelta(minutes=minutes)
    slots: list[Slot] = []
    for opens, closes in schedule.local_spans(day):
        start = dt.datetime.combine(day, opens, tzinfo=tz)
        end = dt.datetime.combine(day, closes, tzinfo=tz)
        while start + step <= end:
            slots.append(
                Slot(
                    start.astimezone(dt.UTC),
                    (start + step).astimezone(dt.UTC),
                    capacity,
                )
            )
            start += step
    return slots
