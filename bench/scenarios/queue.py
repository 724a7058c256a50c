"""Scenario 4: queue call-next with 50 counters calling at once.

4a, service layer. Portal (A): 50 counters, each its own process with its own
database connection (as 50 web workers would have), loop ``ticket_call_next``
→ ``ticket_start`` → ``ticket_finish`` through the services; only the call is
timed. The call locks the counter and checks its operator, takes the first
waiting ticket in calling order (booked window, priority, first come) with
``FOR UPDATE SKIP LOCKED`` and writes the call and its audit entry
(``queueing.calling``).

Baseline (B): 50 processes with a psycopg2 connection each run the same loop
in raw SQL: the take as ``SELECT id … WHERE status = 'waiting' … ORDER BY
queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`` then ``UPDATE … SET status =
'called'`` in one transaction (timed), then start and finish as one ``UPDATE``
transaction each (untimed), so both sides put the same number of transactions
on the machine.

Both sides run one process per counter, forked: with 50 threads in one
process (the first version) the side with more Python work queued on the
interpreter lock as much as on the database, which charged the portal for the
harness. And the counters call at once: before each call every counter waits
for the others (a barrier), so each call is one of 50 made at the same moment,
as the issue puts it; without it the loop measured how fast the machine turns
the whole loop at saturation, start and finish included.

4b, over HTTP: the same loop as ``POST /api/v1/queue/counters/<id>/call-next/``,
``start/`` and ``finish/`` against gunicorn (sync workers, as the other HTTP
scenarios), each counter a client process with its operator's verified staff
session; the baseline is the raw take, start and finish behind the same server
and middleware (``bench.urls``: ``/bench/queue/<counter>/<step>/``).

Tickets for each phase are bulk-inserted beforehand (not timed), so both sides
find the same line. Every ticket id a call returns is collected: the run fails
if any ticket is served twice. A full run makes enough calls that the portal's
add up to ``CHECKED`` (``--queue-calls`` sets the calls per counter and phase).
"""

import datetime as dt
import http.client
import math
import multiprocessing
import os
import re
import time
import uuid

from bench.harness import Outcome, Row, interleave, percentile

COUNTERS = 50
#: Portal calls a full run checks for tickets served twice (issue 17).
CHECKED = 100_000
#: Calls per counter and phase over HTTP in a full run (sync workers serve
#: them in turn; the duplicate check is the service layer's).
HTTP_CALLS = 20
WIB = dt.timezone(dt.timedelta(hours=7))


class _Setup:
    """An office open all day with one group, ``counters`` counters and their
    operators (officers with the front-office role group)."""

    def __init__(self, counters: int) -> None:
        from django.contrib.auth.models import Group

        from accounts.models import Officer, User
        from audit.context import audit_actor
        from queueing.models import CounterOperator
        from tests.agencies.factories import AgencyFactory
        from tests.queueing.factories import (
            OfficeFactory,
            ServiceFactory,
            ServiceGroupFactory,
            ServiceHoursFactory,
            make_counter,
        )

        tag = uuid.uuid4().hex[:8]
        with audit_actor(system="system:bench"):
            # Explicit codes: the benchmark database outlives one process, and
            # the factories' sequences start again at 0 in each.
            self.office = OfficeFactory(
                code=f"bench-q-{tag}",
                service_calendar=ServiceHoursFactory(code=f"bench-q-{tag}"),
            )
            self.service = ServiceFactory(
                code=f"bench-q-{tag}", agency=AgencyFactory(code=f"BQ{tag}".upper())
            )
            self.group = ServiceGroupFactory(
                office=self.office, prefix="A", services=[self.service]
            )
            desk_group = Group.objects.get(name="front_office")
            self.desks = []
            for n in range(counters):
                counter = make_counter(self.group, number=n + 1)
                user = User.objects.create_user(username=f"bench-q-{tag}-{n}")
                user.groups.add(desk_group)
                officer = Officer.objects.create(
                    user=user, office=self.office, role="front_office"
                )
                CounterOperator.objects.create(counter=counter, officer=officer)
                self.desks.append((counter, user))
        self.issued = 0

    def issue(self, count: int) -> None:
        """``count`` waiting tickets at the end of the line (bulk, untimed)."""
        from queueing.models import QueueTicket

        now = dt.datetime.now(dt.UTC)
        day = now.astimezone(WIB).date()
        start = self.issued
        QueueTicket.objects.bulk_create(
            [
                QueueTicket(
                    office=self.office,
                    group=self.group,
                    service=self.service,
                    prefix="A",
                    sequence=start + i + 1,
                    number=f"A{start + i + 1:03d}",
                    local_date=day,
                    channel="kiosk",
                    status="waiting",
                    issued_at=now,
                    queued_at=now + dt.timedelta(microseconds=start + i),
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        self.issued += count

    def session_cookies(self) -> list[str]:
        """A verified staff session (password login and authenticator code
        done) per operator, as ``Cookie`` headers with a CSRF token."""
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
        from django.contrib.auth import SESSION_KEY as USER_KEY
        from django.contrib.sessions.backends.db import SessionStore

        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        backend = next(  # the login backend, not axes' guard
            b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower()
        )
        cookies = []
        for _counter, user in self.desks:
            device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
            store = SessionStore()
            store[USER_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = backend
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store[DEVICE_ID_SESSION_KEY] = device.persistent_id
            store.create()
            token = "q" * 32  # an unmasked CSRF secret, also sent as the header
            cookies.append(
                f"{settings.SESSION_COOKIE_NAME}={store.session_key}; csrftoken={token}"
            )
        return cookies


def _counters_at_once(count: int, work) -> list:
    """Run ``work(i, together)`` for each of ``count`` counters, each in a
    process of its own (forked, so it shares the set-up objects); ``together()``
    returns when every counter has called it (a barrier: call it before each
    timed call). Return the results in counter order; re-raise the first error.

    Both sides of a scenario use this, so neither waits on the other's Python
    work (one process with 50 threads would share one interpreter lock)."""
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(count)
    results = context.SimpleQueue()

    def together() -> None:
        barrier.wait(timeout=300)

    def child(i: int) -> None:
        try:
            barrier.wait(timeout=120)
            results.put((i, work(i, together), None))
        except BaseException as exc:  # reported to the parent, which raises
            barrier.abort()  # the others stop waiting for this counter
            results.put((i, None, f"{type(exc).__name__}: {exc}"))
        finally:
            connections.close_all()

    processes = [context.Process(target=child, args=(i,)) for i in range(count)]
    for process in processes:
        process.start()
    collected: list = [None] * count
    errors = []
    for _ in range(count):
        i, result, error = results.get()
        collected[i] = result
        if error:
            errors.append(error)
    for process in processes:
        process.join(timeout=60)
    if errors:
        raise RuntimeError(f"{len(errors)} counters failed; first: {errors[0]}")
    return collected


def _portal_phase(setup: _Setup, counters: int, calls: int):
    from queueing.services import ticket_call_next, ticket_finish, ticket_start

    def work(i: int, together):
        from django.db import connection

        counter, user = setup.desks[i]
        # As a running web worker has them (and as the raw side connects before
        # its loop): the connection and the user's permissions, outside the
        # timing; otherwise the first call of each process pays for both.
        connection.ensure_connection()
        user.has_perm("queueing.operate_counter")
        served, latencies = [], []
        for _ in range(calls):
            together()
            started = time.perf_counter()
            ticket = ticket_call_next(counter=counter, user=user)
            latencies.append(time.perf_counter() - started)
            if ticket is None:
                continue  # keep meeting the others at the barrier
            served.append(ticket.pk)
            ticket_start(counter=counter, user=user)
            ticket_finish(counter=counter, user=user)
        return served, latencies

    return _counters_at_once(counters, work)


TAKE = """
SELECT id FROM queueing_queueticket
 WHERE office_id = %s AND group_id = %s AND status = 'waiting'
   AND target_counter_id IS NULL
 ORDER BY queued_at, id
 LIMIT 1
 FOR UPDATE SKIP LOCKED
"""
CALL = """
UPDATE queueing_queueticket
   SET status = 'called', counter_id = %s, called_at = now(),
       first_called_at = coalesce(first_called_at, now())
 WHERE id = %s
"""
START = (
    "UPDATE queueing_queueticket SET status = 'serving', started_at = now() "
    "WHERE counter_id = %s AND status = 'called'"
)
FINISH = (
    "UPDATE queueing_queueticket SET status = 'done', finished_at = now() "
    "WHERE counter_id = %s AND status = 'serving'"
)


def _baseline_phase(setup: _Setup, url: str, counters: int, calls: int):
    import psycopg2

    def work(i: int, together):
        counter, _user = setup.desks[i]
        connection = psycopg2.connect(url)
        served, latencies = [], []
        try:
            for _ in range(calls):
                together()
                started = time.perf_counter()
                with connection, connection.cursor() as cursor:
                    cursor.execute(TAKE, (setup.office.pk, setup.group.pk))
                    row = cursor.fetchone()
                    if row is not None:
                        cursor.execute(CALL, (counter.pk, row[0]))
                latencies.append(time.perf_counter() - started)
                if row is None:
                    continue
                served.append(row[0])
                for step in (START, FINISH):
                    with connection, connection.cursor() as cursor:
                        cursor.execute(step, (counter.pk,))
        finally:
            connection.close()
        return served, latencies

    return _counters_at_once(counters, work)


def _calls(context, counters: int) -> int:
    """Calls per counter and phase: ``--queue-calls``, else 3 at smoke size,
    else enough for ``CHECKED`` portal calls over the warm-up and the rounds."""
    if context.queue_calls:
        return context.queue_calls
    if context.smoke:
        return 3
    return math.ceil(CHECKED / (counters * (context.rounds + 1)))


def _compare(context, setup, counters, calls, portal_phase, baseline_phase):
    """Interleave the two phases; return both sides' latencies (ms) and the
    tickets each served (warm-up included)."""
    served_by: dict[str, list] = {"portal": [], "baseline": []}

    def phase(name, runner):
        def go():
            setup.issue(counters * calls)
            results = runner()
            served_by[name].extend(pk for result in results for pk in result[0])
            return [s for result in results for s in result[1]]

        return go

    portal, baseline = interleave(
        phase("portal", portal_phase),
        phase("baseline", baseline_phase),
        rounds=context.rounds,
        on_round=lambda n, a, b: context.log(
            f"  round {n}: portal p99 {percentile(a, 99) * 1000:.1f} ms, "
            f"raw p99 {percentile(b, 99) * 1000:.1f} ms"
        ),
    )
    a = [s * 1000 for samples in portal for s in samples]
    b = [s * 1000 for samples in baseline for s in samples]
    return a, b, served_by


def _rows(a, b, twice) -> list[Row]:
    p50a, p50b = percentile(a, 50), percentile(b, 50)
    p99a, p99b = percentile(a, 99), percentile(b, 99)
    return [
        Row("call p50", p50a, "ms", p50b, p50a / p50b),
        Row(
            "call p99",
            p99a,
            "ms",
            p99b,
            p99a / p99b,
            goal="≤ 50 ms and ≤ 3x raw",
            met=p99a <= 50 and p99a <= 3 * p99b,
        ),
        Row(
            "tickets served twice",
            float(twice["portal"]),
            "",
            float(twice["baseline"]),
            goal="0",
            met=twice["portal"] == 0,
        ),
    ]


def _duplicates(served_by: dict[str, list]) -> dict[str, int]:
    twice = {name: len(ids) - len(set(ids)) for name, ids in served_by.items()}
    if any(twice.values()):
        raise RuntimeError(f"tickets served twice: {twice}")
    return twice


def _budget(setup: _Setup) -> list[str]:
    """The statements of one call at the service layer (a fresh counter)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from queueing.services import ticket_call_next, ticket_finish, ticket_start

    counter, user = setup.desks[0]
    setup.issue(2)
    ticket_call_next(counter=counter, user=user)  # warm: permissions cached
    ticket_start(counter=counter, user=user)
    ticket_finish(counter=counter, user=user)
    with CaptureQueriesContext(connection) as queries:
        ticket_call_next(counter=counter, user=user)
    ticket_start(counter=counter, user=user)
    ticket_finish(counter=counter, user=user)
    return [q["sql"] for q in queries.captured_queries]


def _summary(sql: str) -> str:
    """``UPDATE queueing_queueticket … SKIP LOCKED`` style one-liner; a
    statement of CTEs names each part (``WITH desk (SELECT …), taken (…)``)."""
    if sql.lstrip().upper().startswith("WITH "):
        pieces = re.split(r"(?:^\s*WITH|\),)\s+(\w+) AS \(", sql)[1:]
        inner = []
        for name, body in zip(pieces[::2], pieces[1::2], strict=True):
            verb = body.split(None, 1)[0]
            if verb == "SELECT":  # its last FROM is its own (subqueries come first)
                tables = re.findall(r'\bFROM\s+"?(\w+)', body)
            else:
                tables = re.findall(r'^\s*(?:UPDATE|INSERT INTO)\s+"?(\w+)', body)
            inner.append(f"{name} ({verb} {tables[-1] if tables else ''})")
        flat = " ".join(sql.split())
        lock = [
            clause
            for clause in ("FOR NO KEY UPDATE", "FOR UPDATE SKIP LOCKED")
            if clause in flat
        ]
        return f"WITH {', '.join(inner)} SELECT" + (
            f" … {', '.join(lock)}" if lock else ""
        )
    verb = sql.split(None, 1)[0] if sql.strip() else ""
    table = re.search(r'^\s*(?:UPDATE|INSERT INTO|FROM)\s+"?(\w+)', sql, re.M)
    tail = " … FOR UPDATE SKIP LOCKED" if "SKIP LOCKED" in sql else ""
    tail += " FOR NO KEY UPDATE" if "NO KEY UPDATE" in sql else ""
    return f"{verb} {table.group(1) if table else ''}{tail}".strip()


def run(context) -> Outcome:
    started = time.perf_counter()
    counters = 5 if context.smoke else COUNTERS
    calls = _calls(context, counters)
    setup = _Setup(counters)
    budget = _budget(setup)
    a, b, served_by = _compare(
        context,
        setup,
        counters,
        calls,
        lambda: _portal_phase(setup, counters, calls),
        lambda: _baseline_phase(setup, context.database_url, counters, calls),
    )
    twice = _duplicates(served_by)
    outcome = Outcome(
        number="4a",
        title="Queue call-next, counters calling at once (service layer)",
        measures=(
            f"{counters} counters, one process and one database connection each, "
            "call (all at once: a barrier before each call), start and finish "
            "tickets through the services; the call is timed. Baseline: the "
            "same loop in raw SQL over psycopg2 (the take "
            "as `SELECT … FOR UPDATE SKIP LOCKED` + `UPDATE`, then start and "
            "finish), one process and connection per counter. Latencies over "
            "every call of the recorded rounds (the warm-up round included in "
            "the served-twice check)."
        ),
        sizes=(
            f"{context.rounds} rounds x {counters} counters x {calls} calls per "
            f"side; {len(served_by['portal']):,} portal calls (and "
            f"{len(served_by['baseline']):,} raw) checked for duplicates"
        ),
    )
    outcome.rows += _rows(a, b, twice)
    outcome.rows.append(
        Row("statements per call", float(len(budget)), "", goal="fixed")
    )
    outcome.notes.append(
        "Statements of one call (service layer): "
        + "; ".join(f"{n}. `{_summary(sql)}`" for n, sql in enumerate(budget, 1))
        + ". Pinned in `tests/queueing/test_call_next.py`."
    )
    outcome.notes.append(
        "The baseline takes in plain line order; the portal also ranks booked "
        "visitors and priority groups, checks the operator and writes the "
        "audit entry."
    )
    outcome.seconds = time.perf_counter() - started
    return outcome


# --- 4b: over HTTP --------------------------------------------------------------


def _http_loop(context, paths, cookie: str, calls: int, together):
    """``calls`` times: POST ``paths`` (call, start, finish) in turn; the call
    is timed. Returns the UUIDs of the tickets called and the latencies."""
    import json

    connection = http.client.HTTPConnection("127.0.0.1", context.port, timeout=120)
    headers = {"Cookie": cookie, "X-CSRFToken": "q" * 32, "Host": "127.0.0.1"}
    served, latencies = [], []

    def post(path: str) -> tuple[int, bytes]:
        connection.request("POST", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    try:
        for _ in range(calls):
            together()
            started = time.perf_counter()
            status, body = post(paths[0])
            latencies.append(time.perf_counter() - started)
            if status == 204:
                continue
            if status != 200:
                raise RuntimeError(f"{paths[0]}: {status} {body[:300]!r}")
            served.append(json.loads(body)["uuid"])
            for path in paths[1:]:
                status, body = post(path)
                if status != 200:
                    raise RuntimeError(f"{path}: {status} {body[:300]!r}")
    finally:
        connection.close()
    return served, latencies


def run_http(context) -> Outcome:
    from bench.scenarios.pages import Gunicorn

    started = time.perf_counter()
    counters = 5 if context.smoke else COUNTERS
    calls = context.queue_calls or (3 if context.smoke else HTTP_CALLS)
    setup = _Setup(counters)
    cookies = setup.session_cookies()
    api = "/api/v1/queue/counters/{}/{}/"
    raw = "/bench/queue/{}/{}/"

    def portal_work(i: int, together):
        counter, _user = setup.desks[i]
        paths = [api.format(counter.pk, s) for s in ("call-next", "start", "finish")]
        return _http_loop(context, paths, cookies[i], calls, together)

    def baseline_work(i: int, together):
        counter, _user = setup.desks[i]
        paths = [raw.format(counter.pk, s) for s in ("call", "start", "finish")]
        return _http_loop(context, paths, cookies[i], calls, together)

    workers = 2 * (os.cpu_count() or 1) + 1
    with Gunicorn(context, workers):
        a, b, served_by = _compare(
            context,
            setup,
            counters,
            calls,
            lambda: _counters_at_once(counters, portal_work),
            lambda: _counters_at_once(counters, baseline_work),
        )
    twice = _duplicates(served_by)
    outcome = Outcome(
        number="4b",
        title="Queue call-next over HTTP",
        measures=(
            f"{counters} counters, one client process each with its operator's "
            "verified staff session, all at once (a barrier before each call), "
            "loop `POST /api/v1/queue/counters/<id>/"
            f"call-next/`, `start/` and `finish/` against gunicorn ({workers} "
            "sync workers); the call is timed. Baseline: the raw take, start "
            "and finish of 4a as bench views behind the same server and "
            "middleware (`/bench/queue/<counter>/<step>/`)."
        ),
        sizes=(
            f"{context.rounds} rounds x {counters} counters x {calls} calls per "
            f"side; {len(served_by['portal']):,} portal calls checked for "
            "duplicates"
        ),
    )
    outcome.rows += _rows(a, b, twice)
    outcome.notes.append(
        f"{counters} clients share {workers} sync workers: most of both sides' "
        "latency is the wait for a free worker, so the ratio, not the "
        "absolute figure, is the portal's own cost."
    )
    outcome.seconds = time.perf_counter() - started
    return outcome
