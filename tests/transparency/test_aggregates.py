"""The aggregate tables behind the dashboard (``stats_refresh``): received,
finished, rejected, within the SLA, median time, backlog, survey sums and
workload, per service, agency and city, rebuilt set-based."""

import datetime as dt
from decimal import Decimal

import pytest

from transparency.aggregates import stats_refresh, window_start
from transparency.ikm import index_from_sums
from transparency.models import (
    BacklogStat,
    OfficerWorkloadStat,
    ServiceMonthStat,
    SurveyStat,
)

from .conftest import WIB, at, issue, reject, set_due, submit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def march(licence, citizen, front_office, verifier, approver):
    """Four applications of March 2026 (WIB) on the licence (5 working days,
    deadlines from the SLA engine): one issued in time, one issued late, one
    rejected whose deadline is unknown, one still open and overdue."""
    with at(2026, 3, 2, 9):
        in_time, _ = submit(licence, citizen, key="a1")
    with at(2026, 3, 2, 9, 30):
        late, _ = submit(licence, citizen, key="a2")
    with at(2026, 3, 2, 10):
        rejected, _ = submit(licence, citizen, key="a3")
    with at(2026, 3, 3, 9):
        still_open, _ = submit(licence, citizen, key="a4")
    with at(2026, 3, 3, 10):
        reject(rejected, front_office)
    set_due(rejected, None)  # as if the engine had none: "unknown"
    with at(2026, 3, 4, 10):
        issue(in_time, front_office, verifier, approver)
    with at(2026, 3, 18, 10):
        issue(late, front_office, verifier, approver)
    for application in (in_time, late, still_open):
        application.refresh_from_db()
    # The engine's deadline: 5 working days after Monday, i.e. Monday 9 March.
    assert in_time.due_at == late.due_at == dt.datetime(2026, 3, 9, 15, tzinfo=WIB)
    assert still_open.due_at == dt.datetime(2026, 3, 10, 15, tzinfo=WIB)
    return {"in_time": in_time, "late": late, "open": still_open}


#: After every outcome of ``march``.
LATER = dt.datetime(2026, 3, 19, 10, tzinfo=WIB)


def _row(**scope):
    return ServiceMonthStat.objects.get(**scope)


def test_month_rows_per_service_agency_and_city(march, licence):
    result = stats_refresh(now=LATER)
    month = dt.date(2026, 3, 1)
    service = _row(service=licence, month=month)
    agency = _row(agency=licence.agency, service__isnull=True, month=month)
    city = _row(agency__isnull=True, service__isnull=True, month=month)
    for row in (service, agency, city):
        assert (row.received, row.finished, row.rejected) == (4, 3, 1)
        # The rejected one has no deadline: unknown, left out of the share.
        assert (row.with_due, row.within_sla) == (2, 1)
        assert row.sla_share == 0.5
        # Days to finish: 2.042 (Mon 09:00 to Wed 10:00), 16.02, 1.0.
        assert row.median_days == pytest.approx(2 + 1 / 24)
    assert result.month_rows == 6  # 3 monthly + 3 twelve-month rows
    period = _row(agency__isnull=True, service__isnull=True, month__isnull=True)
    assert (period.received, period.finished) == (4, 3)


def test_backlog_counts_open_and_overdue(march, licence):
    stats_refresh(now=LATER)
    city = BacklogStat.objects.get(agency__isnull=True, service__isnull=True)
    service = BacklogStat.objects.get(service=licence)
    assert (city.open, city.overdue) == (1, 1)
    assert (service.open, service.overdue) == (1, 1)


def test_refresh_twice_gives_the_same_rows(march):
    now = LATER
    stats_refresh(now=now)
    first = sorted(
        ServiceMonthStat.objects.values_list(
            "agency_id", "service_id", "month", "received", "finished", "within_sla"
        ),
        key=str,
    )
    stats_refresh(now=now)
    second = sorted(
        ServiceMonthStat.objects.values_list(
            "agency_id", "service_id", "month", "received", "finished", "within_sla"
        ),
        key=str,
    )
    assert first == second


def test_empty_database_still_has_a_city_backlog_row(db):
    stats_refresh()
    assert ServiceMonthStat.objects.count() == 1  # the 12-month city total
    city = BacklogStat.objects.get(agency__isnull=True, service__isnull=True)
    assert city.open == 0


def test_months_before_the_window_are_not_counted(march, settings):
    settings.TRANSPARENCY_STATS_MONTHS = 1
    stats_refresh(now=dt.datetime(2026, 5, 5, 10, tzinfo=WIB))
    assert not ServiceMonthStat.objects.filter(month=dt.date(2026, 3, 1)).exists()


def test_window_start_is_a_wib_month():
    now = dt.datetime(2026, 1, 31, 18, tzinfo=dt.UTC)  # 1 Feb 01:00 WIB
    assert window_start(now, 1) == dt.datetime(2026, 2, 1, tzinfo=WIB)
    assert window_start(now, 3) == dt.datetime(2025, 12, 1, tzinfo=WIB)


def test_officer_workload_counts_active_and_finished_steps(
    march, front_office, verifier
):
    stats_refresh(now=LATER)
    fo = OfficerWorkloadStat.objects.get(officer=front_office)
    # The front office finished the first and the last step of the two issued
    # applications; the rejected one's step is not "done"; the open one's
    # active step is in the shared pool, assigned to nobody yet.
    assert (fo.done_30_days, fo.active_steps) == (4, 0)
    assert OfficerWorkloadStat.objects.get(officer=verifier).done_30_days == 2


def test_survey_sums_per_semester(march, citizen, settings):
    from transparency.services import survey_invitations_sweep, survey_submit

    settings.TRANSPARENCY_SURVEY_LOOKBACK_DAYS = 30
    with at(2026, 3, 19, 9):
        assert survey_invitations_sweep() == 3
    invitations = list(citizen.survey_invitations.order_by("pk"))
    with at(2026, 3, 19, 10):
        for invitation, score in zip(invitations, (4, 3, 2), strict=True):
            survey_submit(
                invitation=invitation,
                user=citizen,
                answers={f"u{i}": score for i in range(1, 10)},
            )
    stats_refresh(now=LATER + dt.timedelta(hours=1))
    city = SurveyStat.objects.get(
        agency__isnull=True, service__isnull=True, year=2026, half=1
    )
    assert city.respondents == 3
    assert city.sums == [9] * 9
    assert index_from_sums(city.respondents, city.sums).value == Decimal("75.00")


def _rows(objects, fields):
    return sorted(
        (tuple(getattr(o, f) for f in fields) for o in objects),
        key=repr,
    )


def test_set_based_sql_matches_the_python_oracle(
    march, citizen, front_office, settings
):
    """The set-based SQL and the row-by-row Python fallback (SQLite) agree on
    every row of every table."""
    from transparency import aggregates_python as py
    from transparency.aggregates import refresh_params
    from transparency.services import survey_invitations_sweep, survey_submit

    settings.TRANSPARENCY_SURVEY_LOOKBACK_DAYS = 400
    assert survey_invitations_sweep() == 3
    for score, invitation in enumerate(citizen.survey_invitations.all(), 2):
        survey_submit(
            invitation=invitation,
            user=citizen,
            answers={f"u{i}": min(4, score + i % 2) for i in range(1, 10)},
        )
    now = LATER
    stats_refresh(now=now)
    params = refresh_params(now)
    month_fields = [
        "agency_id",
        "service_id",
        "month",
        "received",
        "finished",
        "rejected",
        "with_due",
        "within_sla",
    ]
    assert _rows(ServiceMonthStat.objects.all(), month_fields) == _rows(
        py.month_rows(params), month_fields
    )
    medians = {
        (r.agency_id, r.service_id, r.month): r.median_days
        for r in py.month_rows(params)
    }
    for row in ServiceMonthStat.objects.all():
        expected = medians[(row.agency_id, row.service_id, row.month)]
        assert row.median_days == pytest.approx(expected)
    backlog = ["agency_id", "service_id", "open", "overdue"]
    assert _rows(BacklogStat.objects.all(), backlog) == _rows(
        py.backlog_rows(params), backlog
    )
    survey = ["agency_id", "service_id", "year", "half", "respondents", "sums"]
    assert SurveyStat.objects.count() == 3  # service, agency, city
    assert _rows(SurveyStat.objects.all(), survey) == _rows(
        py.survey_rows(params), survey
    )
    workload = ["officer_id", "agency_id", "active_steps", "done_30_days"]
    assert _rows(OfficerWorkloadStat.objects.all(), workload) == _rows(
        py.workload_rows(params), workload
    )


def test_python_fallback_writes_the_tables(march, licence):
    """What SQLite runs: the same rows written through the ORM."""
    from transparency.aggregates import _refresh_python, refresh_params

    result = _refresh_python(refresh_params(LATER))
    assert result.month_rows == ServiceMonthStat.objects.count() == 6
    row = ServiceMonthStat.objects.get(service=licence, month=dt.date(2026, 3, 1))
    assert (row.received, row.finished, row.within_sla) == (4, 3, 1)
    assert BacklogStat.objects.get(service=licence).overdue == 1


def test_one_city_row_per_month_even_with_null_scope(db):
    """NULL agency and service (the city total) still collide in the unique
    key (an expression index, so SQLite enforces it too)."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    month = dt.date(2026, 3, 1)
    ServiceMonthStat.objects.create(month=month, refreshed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceMonthStat.objects.create(month=month, refreshed_at=timezone.now())
    ServiceMonthStat.objects.create(month=None, refreshed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceMonthStat.objects.create(month=None, refreshed_at=timezone.now())
