"""The catalogue's calendar tables as a :class:`~sla.worktime.WorkingCalendar`.

``working_calendar(calendar)`` reads a ``agencies.Calendar`` with its weekly
intervals, the overrides that name it and the holidays whose flag closes its kind
(``closes_working_time`` for working-time calendars, ``closes_service_hours`` for
service hours) and returns the pure calculator. ``None`` (no ``kerja-kota`` loaded
yet) gives the city default Mon-Fri 08:00-15:00 WIB with the holidays.

Rules carried over from ``agencies.calendars`` (the data's own semantics):

- an override replaces the weekly intervals only on the weekdays it lists; other
  weekdays keep their usual hours (the calculator closes unnamed weekdays, so the
  weekly hours are merged in here); ``is_closed`` closes the whole range; where
  overrides overlap the one that starts last (then the higher pk) wins;
- ``confirmed_through`` is the last WIB year for which the table holds national
  holidays (``public``). The two years after it take the ``holidays`` package's
  dates as estimates: they close the day and make deadlines over them
  provisional (issue 9: "deadlines beyond the last year of confirmed holidays use
  the package's estimates and are marked provisional"). Holidays stored with
  ``is_provisional`` make deadlines over them provisional too.

Built calendars are cached per process under a fingerprint of the four tables
(one query), so an edit in any process is seen by the next computation in every
process, and a rolled-back edit never leaves a stale calendar behind.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.db import connection

import holidays as holidays_package

from agencies.choices import CalendarKind, HolidayCategory
from agencies.models import Calendar, CalendarOverride, Holiday

from .worktime import DEFAULT_WEEKLY, ScheduleOverride, WorkingCalendar

#: Years after the last confirmed one that take the package's estimates.
ESTIMATED_YEARS = 2

_cache: dict[tuple[tuple[int, str] | None, str], WorkingCalendar] = {}
_cache_lock = threading.Lock()

_FINGERPRINT_SQL = """
SELECT
  (SELECT md5(coalesce(string_agg(concat_ws(',', id, date, category,
       closes_working_time, closes_service_hours, is_provisional), ';'
       ORDER BY id), ''))
   FROM agencies_holiday),
  (SELECT md5(coalesce(string_agg(concat_ws(',', o.id, o.date_from, o.date_to,
       o.is_closed, o.updated_at), ';' ORDER BY o.id), ''))
   FROM agencies_calendaroverride o),
  (SELECT md5(coalesce(string_agg(concat_ws(',', i.id, i.override_id, i.weekday,
       i.opens_at, i.closes_at), ';' ORDER BY i.id), ''))
   FROM agencies_overrideinterval i),
  (SELECT md5(coalesce(string_agg(concat_ws(',', c.calendaroverride_id,
       c.calendar_id), ';' ORDER BY c.calendaroverride_id, c.calendar_id), ''))
   FROM agencies_calendaroverride_calendars c),
  (SELECT md5(coalesce(string_agg(concat_ws(',', w.id, w.calendar_id, w.weekday,
       w.opens_at, w.closes_at), ';' ORDER BY w.id), ''))
   FROM agencies_weeklyinterval w)
"""


def calendars_fingerprint() -> str:
    """A digest of every table a calendar is built from (one query). Other
    databases than PostgreSQL (the SQLite walk-through) get a fresh value each
    time, so nothing is cached there."""
    if connection.vendor != "postgresql":
        import secrets

        return secrets.token_hex(8)
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL)
        return ":".join(cursor.fetchone())


def working_calendar(
    calendar: Calendar | None, *, fingerprint: str | None = None
) -> WorkingCalendar:
    """The calculator for ``calendar`` (``None``: the city default hours), built
    from the current tables or taken from the per-process cache."""
    fingerprint = fingerprint or calendars_fingerprint()
    key = (
        (calendar.pk, calendar.kind) if calendar is not None else None,
        fingerprint,
    )
    cached = _cache.get(key)
    if cached is not None:
        return cached
    built = build_working_calendar(calendar)
    with _cache_lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = built
    return built


def build_working_calendar(
    calendar: Calendar | None,
    *,
    extra_closed: dict[dt.date, bool] | None = None,
    removed_closed: frozenset[dt.date] = frozenset(),
    weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
) -> WorkingCalendar:
    """Build the calculator from the tables (no cache). ``extra_closed`` adds
    closed dates (``{date: provisional}``) and ``removed_closed`` reopens dates:
    the admin preview of a holiday change uses them before anything is saved.
    ``weekly`` (``{weekday 0=Mon: [(opens, closes), ...]}``, local times) replaces
    the calendar's stored weekly hours: the preview of a service-hours change."""
    kind = calendar.kind if calendar is not None else CalendarKind.WORKING_TIME
    if weekly is not None:
        weekly = {k: sorted(v) for k, v in weekly.items() if v}
    elif calendar is not None:
        weekly = {}
        for weekday, opens, closes in calendar.weekly_intervals.order_by(
            "weekday", "opens_at"
        ).values_list("weekday", "opens_at", "closes_at"):
            weekly.setdefault(weekday, []).append((opens, closes))
    else:
        weekly = {k: list(v) for k, v in DEFAULT_WEEKLY.items()}
    overrides = []
    if calendar is not None:
        for override in (
            CalendarOverride.objects.filter(calendars=calendar)
            .prefetch_related("intervals")
            .order_by("date_from", "pk")
        ):
            if override.is_closed:
                overrides.append(
                    ScheduleOverride(override.date_from, override.date_to, None)
                )
                continue
            merged = {k: list(v) for k, v in weekly.items()}
            replaced: dict[int, list[tuple[dt.time, dt.time]]] = {}
            for interval in override.intervals.all():
                replaced.setdefault(interval.weekday, []).append(
                    (interval.opens_at, interval.closes_at)
                )
            merged.update(replaced)
            overrides.append(
                ScheduleOverride(override.date_from, override.date_to, merged)
            )
    flag = (
        "closes_service_hours"
        if kind == CalendarKind.SERVICE_HOURS
        else "closes_working_time"
    )
    closed: dict[dt.date, bool] = {}
    for day, provisional in Holiday.objects.filter(**{flag: True}).values_list(
        "date", "is_provisional"
    ):
        closed[day] = closed.get(day, False) or provisional
    public_years = sorted(
        {
            day.year
            for day in Holiday.objects.filter(
                category=HolidayCategory.PUBLIC
            ).values_list("date", flat=True)
        }
    )
    confirmed_through = public_years[-1] if public_years else None
    if confirmed_through is not None:
        estimated = holidays_package.country_holidays(
            "ID",
            years=range(confirmed_through + 1, confirmed_through + 1 + ESTIMATED_YEARS),
            categories=("public",),
        )
        for day in estimated:
            closed.setdefault(day, True)
    closed.update(extra_closed or {})
    for day in removed_closed:
        closed.pop(day, None)
    return WorkingCalendar(
        weekly,
        overrides=overrides,
        closed_dates=closed,
        provisional_dates=[day for day, provisional in closed.items() if provisional],
        confirmed_through=confirmed_through,
    )
