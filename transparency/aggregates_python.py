"""The dashboard figures computed row by row in Python: the fallback of
``stats_refresh`` on the embedded SQLite database (no ``GROUPING SETS``,
``percentile_cont`` or ``DISTINCT ON``), and the oracle the set-based SQL is
tested against on PostgreSQL. Same definitions as ``transparency.aggregates``;
reads every application of the window, so only for small databases.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Q

from accounts.models import Officer
from permits.choices import ApplicationStatus as S
from permits.choices import StepStatus
from permits.models import Application, ApplicationStep, StatusChange

from .ikm import ELEMENT_FIELDS
from .models import (
    BacklogStat,
    OfficerWorkloadStat,
    ServiceMonthStat,
    SurveyResponse,
    SurveyStat,
)

WIB = ZoneInfo("Asia/Jakarta")


def _month(at: dt.datetime) -> dt.date:
    local = at.astimezone(WIB)
    return dt.date(local.year, local.month, 1)


def _keys(agency_id, service_id):
    """Service, agency and city keys of one event (the grouping sets)."""
    return ((agency_id, service_id), (agency_id, None), (None, None))


def month_rows(params: dict) -> list[ServiceMonthStat]:
    """Unsaved ``ServiceMonthStat`` rows, monthly and 12-month."""
    now, since, since12 = params["now"], params["since"], params["since12"]
    finals: dict[int, tuple[dt.datetime, str]] = {}
    for app_id, at, to in (
        StatusChange.objects.filter(to_status__in=params["final"])
        .order_by("application_id", "created_at", "id")
        .values_list("application_id", "created_at", "to_status")
    ):
        finals.setdefault(app_id, (at, to))
    empty = {
        "received": 0,
        "finished": 0,
        "rejected": 0,
        "with_due": 0,
        "within_sla": 0,
        "days": [],
    }
    groups: dict = defaultdict(lambda: {**empty, "days": []})
    for app_id, service_id, agency_id, submitted_at, due_at in (
        Application.objects.filter(submitted_at__isnull=False)
        .filter(Q(submitted_at__gte=since) | Q(pk__in=list(finals)))
        .values_list("id", "service_id", "service__agency_id", "submitted_at", "due_at")
    ):
        events = []
        if submitted_at >= since:
            events.append((_month(submitted_at), {"received": 1}, None))
        if app_id in finals and finals[app_id][0] >= since:
            final_at, to = finals[app_id]
            events.append(
                (
                    _month(final_at),
                    {
                        "finished": 1,
                        "rejected": int(to == S.REJECTED),
                        "with_due": int(due_at is not None),
                        "within_sla": int(due_at is not None and final_at <= due_at),
                    },
                    (final_at - submitted_at).total_seconds() / 86400,
                )
            )
        for month, counts, days in events:
            periods = [month] + ([None] if month >= since12 else [])
            for period in periods:
                for key in _keys(agency_id, service_id):
                    group = groups[(*key, period)]
                    for name, value in counts.items():
                        group[name] += value
                    if days is not None:
                        group["days"].append(days)
    groups[(None, None, None)]  # the city's 12-month row exists even when empty
    return [
        ServiceMonthStat(
            agency_id=agency_id,
            service_id=service_id,
            month=month,
            received=g["received"],
            finished=g["finished"],
            rejected=g["rejected"],
            with_due=g["with_due"],
            within_sla=g["within_sla"],
            median_days=statistics.median(g["days"]) if g["days"] else None,
            refreshed_at=now,
        )
        for (agency_id, service_id, month), g in groups.items()
    ]


def backlog_rows(params: dict) -> list[BacklogStat]:
    now = params["now"]
    groups: dict = defaultdict(lambda: [0, 0])
    groups[(None, None)]
    for service_id, agency_id, due_at, status in Application.objects.filter(
        status__in=params["open"]
    ).values_list("service_id", "service__agency_id", "due_at", "status"):
        overdue = due_at is not None and due_at < now and status != params["waiting"]
        for key in _keys(agency_id, service_id):
            groups[key][0] += 1
            groups[key][1] += int(overdue)
    return [
        BacklogStat(agency_id=a, service_id=s, open=o, overdue=d, refreshed_at=now)
        for (a, s), (o, d) in groups.items()
    ]


def survey_rows(params: dict) -> list[SurveyStat]:
    groups: dict = defaultdict(lambda: [0] * (1 + len(ELEMENT_FIELDS)))
    for row in SurveyResponse.objects.values_list(
        "agency_id", "service_id", "year", "half", *ELEMENT_FIELDS
    ):
        agency_id, service_id, year, half, *answers = row
        for key in _keys(agency_id, service_id):
            sums = groups[(*key, year, half)]
            sums[0] += 1
            for i, answer in enumerate(answers, 1):
                sums[i] += answer
    return [
        SurveyStat(
            agency_id=a,
            service_id=s,
            year=year,
            half=half,
            respondents=sums[0],
            refreshed_at=params["now"],
            **dict(zip(ELEMENT_FIELDS, sums[1:], strict=True)),
        )
        for (a, s, year, half), sums in groups.items()
    ]


def workload_rows(params: dict) -> list[OfficerWorkloadStat]:
    counts: dict = defaultdict(lambda: [0, 0])
    for officer_id, status in ApplicationStep.objects.filter(
        Q(status=StepStatus.ACTIVE)
        | Q(status=StepStatus.DONE, finished_at__gte=params["since30"]),
        assigned_officer__isnull=False,
    ).values_list("assigned_officer_id", "status"):
        counts[officer_id][0 if status == StepStatus.ACTIVE else 1] += 1
    return [
        OfficerWorkloadStat(
            officer_id=pk,
            agency_id=agency_id,
            active_steps=counts[pk][0],
            done_30_days=counts[pk][1],
            refreshed_at=params["now"],
        )
        for pk, agency_id in Officer.objects.filter(is_active=True).values_list(
            "pk", "agency_id"
        )
    ]
