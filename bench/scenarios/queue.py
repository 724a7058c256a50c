"""Scenario 4: queue call-next with 50 counters calling at once.

Portal (A): 50 threads, each a counter with its own database connection (as 50
web workers would have), loop ``ticket_call_next`` → ``ticket_start`` →
``ticket_finish`` through the services; only the call is timed. It locks the
counter, checks the operator, finds the first waiting ticket in calling order
(booked window, priority, first come) with ``FOR UPDATE SKIP LOCKED``, writes
the call, its audit entry and the notification outbox row.

Baseline (B): 50 psycopg2 connections do the same take in one transaction each:
``SELECT id … WHERE status = 'waiting' … ORDER BY queued_at, id LIMIT 1 FOR UPDATE
SKIP LOCKED`` then ``UPDATE … SET status = 'called'``; the ticket is then closed
untimed. Tickets for each phase are bulk-inserted beforehand (not timed), so
both phases find the same line length. Every returned ticket id is collected:
the run fails if any ticket is served twice.
"""

import datetime as dt
import threading
import time
import uuid

from bench.harness import Outcome, Row, interleave, percentile

COUNTERS = 50
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


def _threads(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together; re-raise the
    first error."""
    from django.db import connections

    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        raise errors[0]
    return results


def _portal_phase(setup: _Setup, counters: int, calls: int):
    from queueing.services import ticket_call_next, ticket_finish, ticket_start

    def work(i: int):
        counter, user = setup.desks[i]
        served, latencies = [], []
        for _ in range(calls):
            started = time.perf_counter()
            ticket = ticket_call_next(counter=counter, user=user)
            latencies.append(time.perf_counter() - started)
            if ticket is None:
                break
            served.append(ticket.pk)
            ticket_start(counter=counter, user=user)
            ticket_finish(counter=counter, user=user)
        return served, latencies

    return _threads(counters, work)


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
CLOSE = (
    "UPDATE queueing_queueticket SET status = 'done', finished_at = now() WHERE id = %s"
)


def _baseline_phase(setup: _Setup, url: str, counters: int, calls: int):
    import psycopg2

    def work(i: int):
        counter, _user = setup.desks[i]
        connection = psycopg2.connect(url)
        served, latencies = [], []
        try:
            for _ in range(calls):
                started = time.perf_counter()
                with connection, connection.cursor() as cursor:
                    cursor.execute(TAKE, (setup.office.pk, setup.group.pk))
                    row = cursor.fetchone()
                    if row is not None:
                        cursor.execute(CALL, (counter.pk, row[0]))
                latencies.append(time.perf_counter() - started)
                if row is None:
                    break
                served.append(row[0])
                with connection, connection.cursor() as cursor:
                    cursor.execute(CLOSE, (row[0],))
        finally:
            connection.close()
        return served, latencies

    return _threads(counters, work)


def run(context) -> Outcome:
    started = time.perf_counter()
    counters = 5 if context.smoke else COUNTERS
    calls = 3 if context.smoke else 40
    rounds = context.rounds
    setup = _Setup(counters)
    served_by = {"portal": [], "baseline": []}

    def phase(name, runner):
        def go():
            setup.issue(counters * calls)
            results = runner()
            served = [pk for result in results for pk in result[0]]
            served_by[name].extend(served)
            return [s for result in results for s in result[1]]

        return go

    portal, baseline = interleave(
        phase("portal", lambda: _portal_phase(setup, counters, calls)),
        phase(
            "baseline",
            lambda: _baseline_phase(setup, context.database_url, counters, calls),
        ),
        rounds=rounds,
        on_round=lambda n, a, b: context.log(
            f"  round {n}: portal p99 {percentile(a, 99) * 1000:.1f} ms, "
            f"raw p99 {percentile(b, 99) * 1000:.1f} ms"
        ),
    )
    a = [s * 1000 for samples in portal for s in samples]
    b = [s * 1000 for samples in baseline for s in samples]
    twice = {name: len(ids) - len(set(ids)) for name, ids in served_by.items()}
    total_calls = sum(len(ids) for ids in served_by.values())
    outcome = Outcome(
        number="4",
        title="Queue call-next, counters calling at once",
        measures=(
            f"{counters} counters (threads, one database connection each) call, "
            "start and finish tickets through the services; the call is timed. "
            "Baseline: the same take as raw `SELECT … FOR UPDATE SKIP LOCKED` + "
            "`UPDATE` over psycopg2, one connection per counter. Latencies over "
            "every call of the recorded rounds (the warm-up round included in "
            "the served-twice check)."
        ),
        sizes=(
            f"{rounds} rounds x {counters} counters x {calls} calls per side; "
            f"{total_calls:,} calls checked for duplicates"
        ),
    )
    p50a, p50b = percentile(a, 50), percentile(b, 50)
    p99a, p99b = percentile(a, 99), percentile(b, 99)
    outcome.rows += [
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
    outcome.notes.append(
        "The issue asks for zero duplicates over 100,000 calls; this run makes "
        f"{total_calls:,} (raise `calls`/rounds for the full count); the "
        "concurrency test in `tests/queueing/test_concurrency.py` checks the "
        "same property on every CI run."
    )
    if twice["portal"] or twice["baseline"]:
        raise RuntimeError(f"tickets served twice: {twice}")
    outcome.seconds = time.perf_counter() - started
    return outcome
