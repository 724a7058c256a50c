# ruff: noqa: S608  (SQL built from model table names only; values are parameters)
"""Rebuild the dashboard's aggregate tables in one set-based pass.

``stats_refresh`` deletes and re-inserts every ``*Stat`` row with one
``INSERT ... SELECT ... GROUP BY GROUPING SETS`` per table (PostgreSQL), inside
one transaction: readers keep seeing the previous figures until the commit.
A transaction-scoped advisory lock makes concurrent runs wait for each other,
so running the task twice is harmless.

Definitions (issue 16, "Transparency dashboard"):

- *received*: applications submitted in the WIB month;
- *finished*: applications whose first final status (issued, completed or
  rejected; ``FINAL_STATUSES``) was reached in the WIB month, from
  ``StatusChange``; *rejected* is the subset that ended rejected;
- *within SLA*: finished at or before ``Application.due_at`` (written by the
  SLA engine, issue 9); applications without ``due_at`` are left out of both
  numerator and denominator (``with_due``), i.e. unknown;
- *median days*: median of calendar days from ``submitted_at`` to the final
  change, over the month's finished applications;
- *period rows* (``month`` NULL): the same figures over the last 12 WIB
  months, the current one included (medians cannot be added up from months);
- *backlog*: applications open now (submitted, in progress, waiting for the
  applicant, approved); *overdue*: open, not waiting for the applicant, past
  ``due_at``;
- *officer workload*: steps active and assigned to the officer; steps they
  finished in the last 30 days.

Months before ``TRANSPARENCY_STATS_MONTHS`` months ago are not rebuilt. On
SQLite (the embedded default) the same figures are computed row by row in
Python (``aggregates_python``), which is also the oracle the SQL is tested
against.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Officer
from agencies.models import Service
from permits.choices import ApplicationStatus as S
from permits.choices import StepStatus
from permits.models import Application, ApplicationStep, StatusChange
from ptsp.pagecache import stamp_bump_on_commit

from .ikm import ELEMENT_FIELDS
from .models import (
    BacklogStat,
    OfficerWorkloadStat,
    ServiceMonthStat,
    SurveyResponse,
    SurveyStat,
)

FINAL_STATUSES = (S.ISSUED.value, S.COMPLETED.value, S.REJECTED.value)
OPEN_STATUSES = (
    S.SUBMITTED.value,
    S.IN_PROGRESS.value,
    S.WAITING_FOR_APPLICANT.value,
    S.APPROVED.value,
)
WIB = "Asia/Jakarta"
_LOCK_KEY = 16_0001  # pg advisory lock id of this refresh (issue 16)


@dataclass(frozen=True)
class RefreshResult:
    month_rows: int
    backlog_rows: int
    survey_rows: int
    workload_rows: int
    refreshed_at: dt.datetime


def window_start(now: dt.datetime, months: int) -> dt.datetime:
    """First instant (aware UTC) of the WIB month ``months - 1`` months before
    the month of ``now``."""
    local = now.astimezone(ZoneInfo(WIB))
    index = local.year * 12 + local.month - 1 - (months - 1)
    first = dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=ZoneInfo(WIB))
    return first.astimezone(dt.UTC)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _month_sql(*, period: bool) -> str:
    """Monthly rows, or (``period``) the rows of the last 12 months with
    ``month`` NULL."""
    if period:
        month, where, sets = (
            "NULL::date",
            "WHERE month >= %(since12)s",
            "(agency_id, service_id), (agency_id), ()",
        )
    else:
        month, where, sets = (
            "month",
            "",
            "(agency_id, service_id, month), (agency_id, month), (month)",
        )
    return f"""
    WITH finals AS (
        SELECT DISTINCT ON (application_id)
               application_id, created_at AS final_at, to_status
          FROM {_t(StatusChange)}
         WHERE to_status = ANY(%(final)s)
         ORDER BY application_id, created_at, id
    ), events AS (
        SELECT s.agency_id, a.service_id,
               date_trunc('month', a.submitted_at AT TIME ZONE %(tz)s)::date AS month,
               1 AS received, 0 AS finished, 0 AS rejected, 0 AS with_due,
               0 AS within_sla, NULL::double precision AS days
          FROM {_t(Application)} a JOIN {_t(Service)} s ON s.id = a.service_id
         WHERE a.submitted_at >= %(since)s
        UNION ALL
        SELECT s.agency_id, a.service_id,
               date_trunc('month', f.final_at AT TIME ZONE %(tz)s)::date,
               0, 1, (f.to_status = %(rejected)s)::int,
               (a.due_at IS NOT NULL)::int,
               (a.due_at IS NOT NULL AND f.final_at <= a.due_at)::int,
               EXTRACT(EPOCH FROM f.final_at - a.submitted_at) / 86400.0
          FROM finals f
          JOIN {_t(Application)} a ON a.id = f.application_id
          JOIN {_t(Service)} s ON s.id = a.service_id
         WHERE f.final_at >= %(since)s AND a.submitted_at IS NOT NULL
    )
    INSERT INTO {_t(ServiceMonthStat)}
           (agency_id, service_id, month, received, finished, rejected, with_due,
            within_sla, median_days, refreshed_at)
    SELECT agency_id, service_id, {month}, COALESCE(SUM(received), 0),
           COALESCE(SUM(finished), 0), COALESCE(SUM(rejected), 0),
           COALESCE(SUM(with_due), 0), COALESCE(SUM(within_sla), 0),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days), %(now)s
      FROM events {where}
     GROUP BY GROUPING SETS ({sets})
    """


def _backlog_sql() -> str:
    return f"""
    INSERT INTO {_t(BacklogStat)} (agency_id, service_id, open, overdue, refreshed_at)
    SELECT s.agency_id, a.service_id, COUNT(a.id),
           COUNT(a.id) FILTER (WHERE a.due_at < %(now)s AND a.status <> %(waiting)s),
           %(now)s
      FROM {_t(Application)} a JOIN {_t(Service)} s ON s.id = a.service_id
     WHERE a.status = ANY(%(open)s)
     GROUP BY GROUPING SETS ((s.agency_id, a.service_id), (s.agency_id), ())
    """


def _survey_sql() -> str:
    sums = ", ".join(f"SUM({name})" for name in ELEMENT_FIELDS)
    names = ", ".join(ELEMENT_FIELDS)
    return f"""
    INSERT INTO {_t(SurveyStat)}
           (agency_id, service_id, year, half, respondents, {names}, refreshed_at)
    SELECT agency_id, service_id, year, half, COUNT(*), {sums}, %(now)s
      FROM {_t(SurveyResponse)}
     GROUP BY GROUPING SETS ((agency_id, service_id, year, half),
                             (agency_id, year, half), (year, half))
    """


def _workload_sql() -> str:
    return f"""
    INSERT INTO {_t(OfficerWorkloadStat)}
           (officer_id, agency_id, active_steps, done_30_days, refreshed_at)
    SELECT o.id, o.agency_id,
           COUNT(st.id) FILTER (WHERE st.status = %(active)s),
           COUNT(st.id) FILTER (WHERE st.status = %(done)s), %(now)s
      FROM {_t(Officer)} o
      LEFT JOIN {_t(ApplicationStep)} st
        ON st.assigned_officer_id = o.id
       AND (st.status = %(active)s
            OR (st.status = %(done)s AND st.finished_at >= %(since30)s))
     WHERE o.is_active
     GROUP BY o.id, o.agency_id
    """


@transaction.atomic(durable=True)
def stats_refresh(*, now: dt.datetime | None = None) -> RefreshResult:
    """Rebuild every aggregate table; return the number of rows written per
    table. ``now`` (aware) defaults to the current time. Nine statements; the
    cost grows with the window's applications, not with page views."""
    now = now or timezone.now()
    params = refresh_params(now)
    # The cached public dashboards show the new figures after the commit.
    stamp_bump_on_commit("transparency")
    if connection.vendor != "postgresql":
        return _refresh_python(params)
    counts = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        for model in (ServiceMonthStat, BacklogStat, SurveyStat, OfficerWorkloadStat):
            cursor.execute(f"DELETE FROM {_t(model)}")
        for sql in (
            _month_sql(period=False),
            _month_sql(period=True),
            _backlog_sql(),
            _survey_sql(),
            _workload_sql(),
        ):
            cursor.execute(sql, params)
            counts.append(cursor.rowcount)
    return RefreshResult(counts[0] + counts[1], *counts[2:], refreshed_at=now)


def refresh_params(now: dt.datetime) -> dict:
    """Parameters of the refresh statements for the aware instant ``now``."""
    return {
        "now": now,
        "since": window_start(now, settings.TRANSPARENCY_STATS_MONTHS),
        "since12": window_start(now, 12).astimezone(ZoneInfo(WIB)).date(),
        "since30": now - dt.timedelta(days=30),
        "tz": WIB,
        "final": list(FINAL_STATUSES),
        "open": list(OPEN_STATUSES),
        "rejected": S.REJECTED.value,
        "waiting": S.WAITING_FOR_APPLICANT.value,
        "active": StepStatus.ACTIVE.value,
        "done": StepStatus.DONE.value,
    }


def _refresh_python(params: dict) -> RefreshResult:
    """SQLite (the embedded default): the same figures from
    ``aggregates_python``, row by row; fine for a demo database."""
    from . import aggregates_python as py

    counts = []
    for model, build in (
        (ServiceMonthStat, py.month_rows),
        (BacklogStat, py.backlog_rows),
        (SurveyStat, py.survey_rows),
        (OfficerWorkloadStat, py.workload_rows),
    ):
        model.objects.all().delete()
        counts.append(len(model.objects.bulk_create(build(params))))
    return RefreshResult(*counts, refreshed_at=params["now"])
