"""Scenario 3 (sweep): the SLA beat sweep at N open deadlines.

Fills, once per database, N open service deadlines on N minimal applications
with set-based SQL (``generate_series``), their next checks spread over the
next 30 days, then measures:

* nothing newly due: ``sla_sweep()`` (the portal's path: a transaction, the
  ``FOR UPDATE SKIP LOCKED`` read of the indexed ``next_check_at``) vs the bare
  query with psycopg2 (B); goal ≤ 50 ms at 1,000,000 open deadlines;
* ``DUE`` deadlines newly due: the sweep recomputes them and moves their next
  check (work in proportion to what came due); no baseline.
"""

import time

from django.db import connection
from django.utils import timezone

import psycopg2

from accounts.models import User
from agencies.models import Service
from bench.harness import Outcome, Row, interleave, median, percentile
from sla.services import sla_sweep

GOAL_MS = 50
DUE = 1_000
PREFIX = "SLA-BENCH-"

_BARE = """
SELECT id FROM sla_slatimer
WHERE next_check_at <= %s AND state IN ('running', 'breached')
ORDER BY next_check_at, id LIMIT 500 FOR UPDATE SKIP LOCKED
"""


def _fill(n: int, log) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sla_slatimer t JOIN permits_application a "
            "ON a.id = t.application_id WHERE a.reference LIKE %s",
            [PREFIX + "%"],
        )
        have = cursor.fetchone()[0]
        if have >= n:
            return have
        service = Service.objects.filter(current_version__isnull=False).first()
        user, _ = User.objects.get_or_create(username="bench-sla")
        log(f"filling {n - have:,} open SLA deadlines …")
        cursor.execute(
            "INSERT INTO permits_application (created_at, updated_at, uuid, "
            "reference, form_data, status, version, submitted_at, revision_fields, "
            "revision_baseline, tracking_code_hash, idempotency_key, applicant_id, "
            "service_id, service_version_id) "
            "SELECT now(), now(), gen_random_uuid(), %s || g, '{}', 'in_progress', "
            "1, now(), '[]', '{}', '', '', %s, %s, %s "
            "FROM generate_series(%s, %s) g",
            [PREFIX, user.pk, service.pk, service.current_version_id, have + 1, n],
        )
        cursor.execute(
            "INSERT INTO sla_slatimer (application_id, agency_id, value, unit, "
            "extension_days, thresholds, state, started_at, due_at, budget, "
            "remaining, is_provisional, next_check_at, updated_at) "
            "SELECT a.id, %s, 5, 'working_days', 0, '[50, 75, 90]', 'running', "
            "now(), now() + interval '30 days', interval '35 hours', "
            "interval '35 hours', false, "
            "now() + interval '1 hour' + random() * interval '30 days', now() "
            "FROM permits_application a WHERE a.reference LIKE %s "
            "AND NOT EXISTS (SELECT 1 FROM sla_slatimer t "
            "WHERE t.application_id = a.id)",
            [service.agency_id, PREFIX + "%"],
        )
        cursor.execute("ANALYZE sla_slatimer")
        cursor.execute("ANALYZE permits_application")
    return n


def _arm(count: int) -> None:
    """Make ``count`` deadlines newly due (next check a minute ago)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sla_slatimer SET next_check_at = now() - interval '1 minute' "
            "WHERE id IN (SELECT id FROM sla_slatimer WHERE state = 'running' "
            "ORDER BY id LIMIT %s)",
            [count],
        )


def run(context) -> Outcome:
    started = time.perf_counter()
    n = 2_000 if context.smoke else 1_000_000
    due = 100 if context.smoke else DUE
    open_count = _fill(n, context.log)
    raw = psycopg2.connect(context.database_url)

    def portal():
        began = time.perf_counter()
        report = sla_sweep(now=timezone.now())
        if report.checked:
            raise RuntimeError(f"expected nothing due, swept {report}")
        return time.perf_counter() - began

    def baseline():
        began = time.perf_counter()
        with raw, raw.cursor() as cursor:  # one transaction, as the sweep
            cursor.execute(_BARE, [timezone.now()])
            cursor.fetchall()
        return time.perf_counter() - began

    # Samples of 20 calls per round: the figure is per call.
    def many(function):
        return lambda: [function() for _ in range(20)]

    a, b = interleave(many(portal), many(baseline), rounds=context.rounds)
    a_all = [x for r in a for x in r]
    b_all = [x for r in b for x in r]
    outcome = Outcome(
        number="3",
        title="SLA sweep",
        measures=(
            "The beat sweep (`sla.services.sla_sweep`) when nothing is newly due, "
            "vs the bare `FOR UPDATE SKIP LOCKED` query on the partial index "
            "`sla_timer_next_check` (psycopg2); then a sweep that finds "
            f"{due:,} deadlines newly due (recomputed, next check moved)."
        ),
        sizes=f"{open_count:,} open deadlines; {context.rounds} rounds of 20 calls",
    )
    portal_ms, base_ms = median(a_all) * 1000, median(b_all) * 1000
    outcome.rows.append(
        Row(
            metric="sweep, nothing due (median)",
            portal=portal_ms,
            unit="ms",
            baseline=base_ms,
            ratio=portal_ms / base_ms if base_ms else None,
            goal=f"≤ {GOAL_MS} ms",
            met=None if context.smoke else portal_ms <= GOAL_MS,
            note=f"p95 {percentile(a_all, 95) * 1000:.2f} ms",
        )
    )
    times = []
    for _ in range(context.rounds):
        _arm(due)
        began = time.perf_counter()
        report = sla_sweep(now=timezone.now())
        times.append(time.perf_counter() - began)
        if report.checked != due:
            raise RuntimeError(f"expected {due} due, swept {report}")
    per = median(times) / due * 1000
    outcome.rows.append(
        Row(
            metric=f"sweep, {due:,} newly due (median)",
            portal=median(times) * 1000,
            unit="ms",
            note=f"{per:.2f} ms per deadline",
        )
    )
    raw.close()
    outcome.seconds = time.perf_counter() - started
    return outcome
