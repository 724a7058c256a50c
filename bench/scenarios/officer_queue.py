"""Scenario 2: the officer queue (``workspace``) at N applications.

Data: N submitted applications, each with one active front-office step of one
agency (a tenth assigned to the bench officer, a seventh without a deadline),
bulk-inserted with ``INSERT … SELECT generate_series`` under the reference
prefix ``BQ-`` and reused by later runs. N takes each of ``--queue-sizes``
(default 1 M then 5 M) in turn: the table is grown, or shrunk back, to N
before each measurement, and the growth of p95 from the first size to the
last is judged. The portal's page is what the queue
view and the API list run: ``officers_acting_as`` then one keyset page of
``tasks_for(user, "unassigned")`` in deadline order (``workspace.keyset``). The
baseline is hand-written keyset SQL with a row comparison over the same joins,
through psycopg2 in the same process. Page 1 and page 1000 (the cursor of the
49,950th unassigned row) are both measured; the capped tab count is reported.
"""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

import psycopg2

from bench.harness import Outcome, Row, interleave, median, percentile

PAGE = 50
PLUS_MS = 15.0
RATIO = 2.0
DEEP_GOAL = 1.3
QUERY_GOAL = 6
GROWTH_GOAL = 1.3
FILL_BATCH = 100_000
NO_DEADLINE = "9999-12-31T00:00:00+00:00"

RAW = f"""
SELECT s.id, s.name, s.due_at, s.assigned_officer_id, a.uuid, a.reference,
       a.status, a.submitted_at, sv.code, u.full_name
FROM permits_applicationstep s
JOIN permits_application a ON a.id = s.application_id
JOIN agencies_service sv ON sv.id = a.service_id
JOIN accounts_user u ON u.id = a.applicant_id
WHERE s.status = 'active' AND s.agency_id = %(agency)s AND s.role = %(role)s
  AND s.assigned_officer_id IS NULL
  AND a.status IN ('submitted', 'in_progress', 'approved')
  AND (COALESCE(s.due_at, '{NO_DEADLINE}'::timestamptz), s.id) > (%(due)s, %(pk)s)
ORDER BY COALESCE(s.due_at, '{NO_DEADLINE}'::timestamptz), s.id
LIMIT {PAGE + 1}
"""


def _setup():
    """The agency's front-office service step, a citizen and an officer."""
    from accounts.models import Officer, User
    from agencies.models import ServiceStep
    from audit.context import audit_actor

    step = (
        ServiceStep.objects.filter(agency__isnull=False, role="front_office")
        .select_related("version__service", "agency")
        .order_by("pk")
        .first()
    )
    if step is None:
        raise RuntimeError("No front-office step in the catalogue (load_catalogue).")
    with audit_actor(system="system:bench"):
        citizen, _ = User.objects.get_or_create(
            username="bench-queue-citizen", defaults={"full_name": "Warga Bench"}
        )
        user, _ = User.objects.get_or_create(username="bench-queue-officer")
        officer = Officer.objects.filter(user=user).first() or Officer.objects.create(
            user=user, role="front_office", agency=step.agency
        )
    return step, citizen, user, officer


def _held() -> int:
    """How many ``BQ-`` applications the database holds (they are numbered
    1..n without gaps)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(max(substring(reference from 4)::int), 0) "
            "FROM permits_application WHERE reference LIKE 'BQ-%%'"
        )
        return cursor.fetchone()[0]


def _resize(n: int, step, citizen, officer, log) -> str:
    """Make the database hold exactly ``n`` queue applications: add the
    missing ones (``INSERT … SELECT generate_series`` on the server, 100,000
    per statement: nothing crosses the wire, faster than ``COPY``) or delete
    those past ``n``; then ``VACUUM ANALYZE``. Foreign-key triggers are off
    for these statements (``session_replication_role = replica``): the rows
    are consistent by construction and nothing references them. Returns a
    line on what it did and how fast."""
    started = time.perf_counter()
    have = _held()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            if have > n:
                log(f"  queue data: deleting applications {n + 1:,}-{have:,}")
                cursor.execute(
                    """
                    WITH gone AS (
                      DELETE FROM permits_applicationstep s
                      USING permits_application a
                      WHERE a.id = s.application_id AND a.reference LIKE 'BQ-%%'
                        AND substring(a.reference from 4)::int > %s
                      RETURNING s.application_id
                    )
                    DELETE FROM permits_application
                    WHERE id IN (SELECT application_id FROM gone)
                    """,
                    [n],
                )
            for start in range(have + 1, n + 1, FILL_BATCH):
                end = min(n, start + FILL_BATCH - 1)
                log(f"  queue data: applications {start:,}-{end:,} of {n:,}")
                _insert(cursor, start, end, step, citizen, officer)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        loaded = time.perf_counter() - started
        for table in ("permits_application", "permits_applicationstep"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    seconds = time.perf_counter() - started
    if have < n:
        return (
            f"{n - have:,} queue applications (with their steps) loaded in "
            f"{loaded:.0f} s ({(n - have) / loaded:,.0f}/s), "
            f"{seconds:.0f} s with VACUUM ANALYZE"
        )
    if have > n:
        return f"{have - n:,} queue applications deleted in {seconds:.0f} s"
    return f"{n:,} queue applications reused"


def _insert(cursor, start: int, end: int, step, citizen, officer) -> None:
    cursor.execute(
        """
        WITH apps AS (
          INSERT INTO permits_application (
            created_at, updated_at, uuid, reference, subject, form_data,
            status, version, submitted_at, decided_at, due_at,
            applicant_deadline_at, revision_fields, revision_baseline,
            tracking_code_hash, idempotency_key, applicant_id, business_id,
            service_id, service_version_id)
          SELECT now(), now(), gen_random_uuid(),
                 'BQ-' || lpad(g::text, 9, '0'), NULL, '{}'::jsonb,
                 'submitted', 1, now() - g * interval '17 seconds', NULL,
                 NULL, NULL, '[]'::jsonb, '{}'::jsonb, '', '', %(citizen)s, NULL,
                 %(service)s, %(version)s
          FROM generate_series(%(start)s, %(end)s) AS g
          RETURNING id, substring(reference from 4)::int AS g
        )
        INSERT INTO permits_applicationstep (
          application_id, service_step_id, "order", name, name_en, kind,
          agency_id, role, external_system, parallel_group, status,
          assigned_officer_id, external_reference, started_at,
          finished_at, due_at)
        SELECT id, %(step)s, 1, 'Verifikasi berkas', 'Document check',
               'agency', %(agency)s, 'front_office', '', '', 'active',
               CASE WHEN g %% 10 = 0 THEN %(officer)s END, '', now(), NULL,
               CASE WHEN g %% 7 = 0 THEN NULL
                    ELSE now() + (g * 37 %% 200000) * interval '1 minute'
               END
        FROM apps
        """,
        {
            "citizen": citizen.pk,
            "service": step.version.service_id,
            "version": step.version_id,
            "start": start,
            "end": end,
            "step": step.pk,
            "agency": step.agency_id,
            "officer": officer.pk,
        },
    )


def _deep_cursor(agency_id: int, row: int):
    """``(due_key, id)`` of the ``row``-th unassigned step in queue order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT COALESCE(s.due_at, '{NO_DEADLINE}'::timestamptz), s.id
            FROM permits_applicationstep s
            WHERE s.status = 'active' AND s.agency_id = %s
              AND s.role = 'front_office' AND s.assigned_officer_id IS NULL
            ORDER BY 1, 2 OFFSET %s LIMIT 1
            """,
            [agency_id, row - 1],
        )
        return cursor.fetchone()


def _label(n: int) -> str:
    return f"{n / 1e6:g} M" if n >= 1_000_000 else f"{n:,}"


def run(context) -> Outcome:
    started = time.perf_counter()
    sizes = [2_000, 5_000] if context.smoke else list(context.queue_sizes)
    samples = 5 if context.smoke else 40
    step, citizen, user, officer = _setup()
    outcome = Outcome(
        number="2",
        title="Officer queue",
        measures=(
            "Per page of 50: the portal's queue read (`officers_acting_as`, "
            "`tasks_for(user, 'unassigned')`, `workspace.keyset.paginate` in "
            "deadline order, rows with application, service and applicant "
            "joined) vs hand-written keyset SQL with a row comparison through "
            "psycopg2 in the same process; at each size in turn, the table "
            "grown (or shrunk) in between."
        ),
        sizes=(
            f"{', then '.join(f'{n:,}' for n in sizes)} applications with an "
            f"active step in one agency, {samples} pages per round and case, "
            f"{context.rounds} rounds"
        ),
    )
    raw = psycopg2.connect(context.database_url)
    raw.autocommit = True
    measured = {}
    try:
        for n in sizes:
            outcome.notes.append(_resize(n, step, citizen, officer, context.log))
            measured[n] = _measure(
                context, outcome, raw, n, samples, step, user, len(sizes) > 1
            )
    finally:
        raw.close()
    first, last = sizes[0], sizes[-1]
    for name in ("page 1", "deep page"):
        if first == last:
            break
        growth = measured[last][name] / measured[first][name]
        outcome.rows.append(
            Row(
                f"{name} p95 growth {_label(first)} to {_label(last)}",
                growth,
                "x",
                goal=f"≤ {GROWTH_GOAL}x",
                met=growth <= GROWTH_GOAL,
            )
        )
    outcome.notes.append("The queue's partial indexes are `workspace` migration 0002.")
    outcome.seconds = time.perf_counter() - started
    return outcome


def _measure(context, outcome, raw, n, samples, step, user, prefixed) -> dict:
    """Measure page 1 and the deep page at the current size; append the rows
    to ``outcome``; return ``{"page 1": p95, "deep page": p95}``."""
    from accounts.selectors import officers_acting_as
    from workspace.keyset import encode, paginate
    from workspace.selectors import SORTS, Tab, capped_count, tasks_for

    prefix = f"{_label(n)}: " if prefixed else ""
    unassigned = n - n // 10
    deep_row = min(999 * PAGE, max(PAGE, unassigned // 2))
    low = ("1970-01-01T00:00:00+00:00", 0)
    deep = _deep_cursor(step.agency_id, deep_row)
    deep_name = f"page {deep_row // PAGE + 1:,}"
    cases = {"page 1": (None, low), "deep page": (encode(*deep), deep)}

    def portal_page(cursor):
        officers = officers_acting_as(user)
        page = paginate(
            tasks_for(user, Tab.UNASSIGNED, officers=officers),
            SORTS["due"],
            cursor,
            PAGE,
        )
        return [
            (r.application.reference, r.application.service.code) for r in page.rows
        ]

    portal_page(None)  # the user's officer profile, cached on it as in a request
    with CaptureQueriesContext(connection) as queries:
        portal_page(cases["deep page"][0])
    p95s = {}
    with raw.cursor() as cur:

        def baseline_page(args):
            cur.execute(
                RAW,
                {
                    "agency": step.agency_id,
                    "role": "front_office",
                    "due": args[0],
                    "pk": args[1],
                },
            )
            return cur.fetchall()

        for name, (cursor, args) in cases.items():

            def a(cursor=cursor):
                out = []
                for _ in range(samples):
                    t = time.perf_counter()
                    portal_page(cursor)
                    out.append((time.perf_counter() - t) * 1000)
                return out

            def b(args=args):
                out = []
                for _ in range(samples):
                    t = time.perf_counter()
                    baseline_page(args)
                    out.append((time.perf_counter() - t) * 1000)
                return out

            pa, pb = interleave(a, b, rounds=context.rounds)
            portal_all = [x for r in pa for x in r]
            raw_all = [x for r in pb for x in r]
            p95, r95 = percentile(portal_all, 95), percentile(raw_all, 95)
            p95s[name] = p95
            label = prefix + (deep_name if name == "deep page" else name)
            outcome.rows += [
                Row(
                    f"{label}: median",
                    median(portal_all),
                    "ms",
                    median(raw_all),
                    median(portal_all) / median(raw_all),
                ),
                Row(
                    f"{label}: p95",
                    p95,
                    "ms",
                    r95,
                    p95 / r95,
                    goal="≤ 2x raw + 15 ms",
                    met=p95 <= RATIO * r95 + PLUS_MS,
                ),
            ]
    ratio = p95s["deep page"] / p95s["page 1"]
    outcome.rows.append(
        Row(
            f"{prefix}{deep_name} p95 / page 1 p95",
            ratio,
            "x",
            goal=f"≤ {DEEP_GOAL}x",
            met=ratio <= DEEP_GOAL,
        )
    )
    outcome.rows.append(
        Row(
            f"{prefix}queries per page",
            len(queries.captured_queries),
            "",
            goal=f"≤ {QUERY_GOAL}",
            met=len(queries.captured_queries) <= QUERY_GOAL,
        )
    )
    counts = []
    for _ in range(samples):
        t = time.perf_counter()
        capped_count(tasks_for(user, Tab.UNASSIGNED))
        counts.append((time.perf_counter() - t) * 1000)
    outcome.rows.append(
        Row(
            f"{prefix}capped tab count (500+): p95",
            percentile(counts, 95),
            "ms",
            note="no goal",
        )
    )
    return p95s
