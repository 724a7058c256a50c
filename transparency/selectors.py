"""Reads for the dashboard (only the aggregate tables, a fixed number of
queries per page), the survey and complaints (scoped to the user)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import is_admin, is_auditor
from agencies.models import Agency

from .ikm import Index, index_from_sums
from .models import (
    BacklogStat,
    Complaint,
    OfficerWorkloadStat,
    ServiceMonthStat,
    SurveyInvitation,
    SurveyStat,
)
from .permissions import officer_agency_ids

WIB = ZoneInfo("Asia/Jakarta")
TREND_MONTHS = 12


@dataclass(frozen=True)
class Semester:
    year: int
    half: int

    @property
    def code(self) -> str:
        return f"{self.year}-{self.half}"

    @classmethod
    def parse(cls, text: str | None, default: Semester) -> Semester:
        """``"2026-1"`` → ``Semester(2026, 1)``; anything else → ``default``."""
        try:
            year, half = (int(part) for part in (text or "").split("-"))
        except ValueError:
            return default
        return cls(year, half) if half in (1, 2) and 2000 <= year <= 2100 else default

    @classmethod
    def current(cls, now: dt.datetime | None = None) -> Semester:
        local = (now or timezone.now()).astimezone(WIB)
        return cls(local.year, 1 if local.month <= 6 else 2)

    def previous(self) -> Semester:
        return Semester(self.year, 1) if self.half == 2 else Semester(self.year - 1, 2)


@dataclass(frozen=True)
class Figures:
    """One dashboard line: a service, an agency or the city."""

    key: tuple[int | None, int | None]
    label: str
    code: str
    short: str
    received: int
    finished: int
    rejected: int
    median_days: float | None
    sla_share: float | None
    with_due: int
    open: int
    overdue: int
    ikm: Index | None

    @property
    def sla_percent(self) -> float | None:
        return None if self.sla_share is None else round(100 * self.sla_share, 1)


def _key(row) -> tuple[int | None, int | None]:
    return (row.agency_id, row.service_id)


def _service_label(service) -> tuple[str, str, str]:
    name = str(service)  # the current version's name in the active language
    return name, service.code, name


def _agency_label(agency) -> tuple[str, str, str]:
    return agency.display_name, agency.code, agency.short_name or agency.code


def _label(row) -> tuple[str, str, str]:
    """Name, code and short name (for chart labels) of a line."""
    if row.service_id:
        return _service_label(row.service)
    if row.agency_id:
        return _agency_label(row.agency)
    return "", "", ""


def dashboard_figures(
    *, agency: Agency | None, semester: Semester
) -> tuple[Figures | None, list[Figures]]:
    """Headline and lines: for the city (``agency`` None) the city total and one
    line per agency; for an agency its total and one line per service. Figures
    over the last 12 months; IKM of ``semester``. Three queries."""
    scope = Q(service__isnull=True) if agency is None else Q(agency=agency)
    periods = list(
        ServiceMonthStat.objects.filter(scope, month__isnull=True).select_related(
            "agency", "service__current_version"
        )
    )
    backlog = {_key(b): b for b in BacklogStat.objects.filter(scope)}
    surveys = {
        _key(s): s
        for s in SurveyStat.objects.filter(
            scope, year=semester.year, half=semester.half
        )
    }
    keys = {_key(r) for r in periods} | set(backlog) | set(surveys)
    rows = {_key(r): r for r in periods}
    headline_key = (agency.pk if agency else None, None)
    lines: list[Figures] = []
    headline = None
    labels = _labels_for(keys - set(rows), agency)
    for key in keys:
        row, queue, survey = rows.get(key), backlog.get(key), surveys.get(key)
        label, code, short = _label(row) if row else labels.get(key, ("", "", ""))
        figures = Figures(
            key=key,
            label=label,
            code=code,
            short=short,
            received=row.received if row else 0,
            finished=row.finished if row else 0,
            rejected=row.rejected if row else 0,
            median_days=row.median_days if row else None,
            sla_share=row.sla_share if row else None,
            with_due=row.with_due if row else 0,
            open=queue.open if queue else 0,
            overdue=queue.overdue if queue else 0,
            ikm=index_from_sums(survey.respondents, survey.sums) if survey else None,
        )
        if key == headline_key:
            headline = figures
        elif (agency is None and key[1] is None) or (agency and key[1]):
            lines.append(figures)
    lines.sort(key=lambda f: (-f.received, f.label))
    return headline, lines


def _labels_for(keys, agency) -> dict:
    """Labels of lines that have backlog or survey rows but no period row (one
    query at most)."""
    from agencies.models import Service

    labels: dict = {}
    service_ids = [s for _a, s in keys if s]
    agency_ids = [a for a, s in keys if a and not s]
    if service_ids:
        for service in Service.objects.filter(pk__in=service_ids).select_related(
            "current_version"
        ):
            labels[(service.agency_id, service.pk)] = _service_label(service)
    if agency_ids:
        for a in Agency.objects.filter(pk__in=agency_ids):
            labels[(a.pk, None)] = _agency_label(a)
    return labels


def monthly_trend(
    *, agency: Agency | None, months: int = TREND_MONTHS, now=None
) -> list[ServiceMonthStat]:
    """The last ``months`` WIB months of the city or ``agency``, oldest first,
    months without a row filled with zeros. One query."""
    local = (now or timezone.now()).astimezone(WIB)
    firsts = []
    index = local.year * 12 + local.month - 1
    for i in range(months - 1, -1, -1):
        n = index - i
        firsts.append(dt.date(n // 12, n % 12 + 1, 1))
    rows = {
        r.month: r
        for r in ServiceMonthStat.objects.filter(
            agency=agency, service__isnull=True, month__gte=firsts[0]
        )
    }
    return [
        rows.get(first)
        or ServiceMonthStat(agency=agency, month=first, refreshed_at=local)
        for first in firsts
    ]


def refreshed_at() -> dt.datetime | None:
    """When the figures were last rebuilt (one query)."""
    row = (
        ServiceMonthStat.objects.filter(agency__isnull=True, service__isnull=True)
        .order_by("-refreshed_at")
        .values_list("refreshed_at", flat=True)
        .first()
    )
    return row


def officer_workload(*, agency: Agency) -> QuerySet[OfficerWorkloadStat]:
    """Workload per officer of ``agency``, busiest first (one query)."""
    return (
        OfficerWorkloadStat.objects.filter(agency=agency)
        .select_related("officer__user")
        .order_by("-active_steps", "officer__user__full_name")
    )


def csv_rows(*, agency: Agency | None) -> QuerySet[ServiceMonthStat]:
    """Monthly and 12-month rows for the CSV download (one query)."""
    qs = ServiceMonthStat.objects.select_related(
        "agency", "service__current_version"
    ).order_by("agency__code", "service__code", "month")
    return qs.filter(agency=agency) if agency else qs


def survey_stats(*, agency: Agency | None) -> QuerySet[SurveyStat]:
    """Every semester's survey sums (of one agency), for the IKM CSV (one
    query)."""
    qs = SurveyStat.objects.select_related(
        "agency", "service__current_version"
    ).order_by("-year", "-half", "agency__code", "service__code")
    return qs.filter(agency=agency) if agency else qs


# --- Survey and complaints ---------------------------------------------------------


def invitations_of(user) -> QuerySet[SurveyInvitation]:
    return SurveyInvitation.objects.filter(citizen=user).select_related(
        "service__current_version", "agency"
    )


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """The citizen's own complaints, their agency's for officers, all for
    auditors and admins."""
    qs = Complaint.objects.select_related("agency", "citizen")
    if is_auditor(user) or is_admin(user):
        return qs
    agencies = officer_agency_ids(user)
    return qs.filter(Q(citizen=user) | Q(agency_id__in=agencies))


def complaints_inbox(user) -> QuerySet[Complaint]:
    """Complaints routed to the agencies ``user`` works in."""
    return Complaint.objects.select_related("agency").filter(
        agency_id__in=officer_agency_ids(user)
    )
