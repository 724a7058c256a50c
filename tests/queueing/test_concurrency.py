"""Real PostgreSQL, real threads, one connection each: counters calling at once
never get the same ticket, and leave no waiting ticket older than a called one of
the same group and priority; concurrent issuing gives strictly increasing
numbers and one ticket per NIK."""

import threading
from collections import Counter as Tally

from django.db import connections

import pytest

from audit.models import AuditEntry
from ptsp.exceptions import ApplicationError
from queueing.choices import TicketChannel, TicketStatus
from queueing.models import QueueTicket
from queueing.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_start,
)

from .conftest import NIK_1
from .factories import make_counter, make_operator

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COUNTERS = 8
CALLS_EACH = 8


def run_threads(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together; return results
    (or the exception each raised). Each thread closes its own connection."""
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
        thread.join(timeout=120)
    return results


def test_many_counters_calling_at_once(
    django_user_model, office, group_a, group_b, permit, civil, elderly
):
    for i in range(90):
        ticket_issue(
            office=office,
            service=civil if i % 3 == 0 else permit,
            channel=TicketChannel.RECEPTION,
            priority=elderly if i % 10 == 0 else None,
        )
    desks = []
    for n in range(COUNTERS):
        counter = make_counter(group_a, group_b, number=n + 1)
        desks.append((counter, make_operator(django_user_model, counter, f"op{n}")))

    def work(i: int) -> list[int]:
        counter, user = desks[i]
        served = []
        for _ in range(CALLS_EACH):
            ticket = ticket_call_next(counter=counter, user=user)
            if ticket is None:
                break
            served.append(ticket.pk)
            ticket_start(counter=counter, user=user)
            ticket_finish(counter=counter, user=user)
        return served

    results = run_threads(COUNTERS, work)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    served = [pk for result in results for pk in result]
    assert len(served) == COUNTERS * CALLS_EACH
    assert len(set(served)) == len(served), "a ticket was served twice"
    calls = Tally(
        AuditEntry.objects.filter(action="queue.ticket_call").values_list(
            "object_id", flat=True
        )
    )
    assert set(calls.values()) == {1}
    assert QueueTicket.objects.filter(status=TicketStatus.DONE).count() == len(served)

    tickets = list(
        QueueTicket.objects.values("group_id", "priority_id", "status", "queued_at")
    )
    waiting = [t for t in tickets if t["status"] == TicketStatus.WAITING]
    assert len(waiting) == 90 - len(served)
    for t in waiting:
        older_called = [
            c
            for c in tickets
            if c["status"] == TicketStatus.DONE
            and (c["group_id"], c["priority_id"]) == (t["group_id"], t["priority_id"])
            and c["queued_at"] > t["queued_at"]
        ]
        assert not older_called, "a waiting ticket is older than a called one"
    # Every priority ticket went before any regular one.
    assert not [t for t in waiting if t["priority_id"] is not None]


def test_concurrent_issuing_gives_strictly_increasing_numbers(office, group_a, permit):
    def work(i: int) -> list[str]:
        return [
            ticket_issue(
                office=office, service=permit, channel=TicketChannel.RECEPTION
            ).number
            for _ in range(10)
        ]

    results = run_threads(8, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = [n for result in results for n in result]
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 81)]
    rows = list(QueueTicket.objects.order_by("pk").values_list("sequence", "queued_at"))
    assert [s for s, _ in rows] == sorted(s for s, _ in rows)  # issue order
    assert [q for _, q in rows] == sorted(q for _, q in rows)  # line order


def test_one_ticket_per_nik_under_a_race(office, group_a, permit):
    results = run_threads(
        6, lambda i: ticket_issue(office=office, service=permit, nik=NIK_1)
    )
    issued = [r for r in results if isinstance(r, QueueTicket)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert (len(issued), len(refused)) == (1, 5), results
    assert QueueTicket.objects.count() == 1


def test_one_counter_called_twice_at_once_calls_one_ticket(
    django_user_model, office, group_a, permit
):
    """A double click, or two operators of one counter: the call is one
    statement whose busy guard reads its own snapshot, so the loser of the
    race may pass it and meet the constraint ``one_current_ticket_per_counter``
    instead; either way it is told the counter is busy, and the counter holds
    one called ticket, with one audit entry of a call."""
    from ptsp.exceptions import InvalidTransition

    for _ in range(5):
        ticket_issue(office=office, service=permit, channel=TicketChannel.RECEPTION)
    counter = make_counter(group_a, number=1)
    user = make_operator(django_user_model, counter, "op-race")
    for attempt in range(5):
        results = run_threads(2, lambda i: ticket_call_next(counter=counter, user=user))
        called = [r for r in results if isinstance(r, QueueTicket)]
        refused = [r for r in results if isinstance(r, InvalidTransition)]
        assert (len(called), len(refused)) == (1, 1), results
        assert called[0].number in str(refused[0].message)
        current = QueueTicket.objects.filter(
            counter=counter, status=TicketStatus.CALLED
        )
        assert list(current.values_list("pk", flat=True)) == [called[0].pk]
        if attempt < 4:
            ticket_start(counter=counter, user=user)
            ticket_finish(counter=counter, user=user)
    calls = AuditEntry.objects.filter(action="queue.ticket_call").count()
    assert calls == QueueTicket.objects.exclude(status=TicketStatus.WAITING).count()


def test_a_call_that_waited_for_the_counter_lock_is_told_it_is_busy(
    django_user_model, office, group_a, permit
):
    """The race's loser, made certain: another transaction holds the counter
    lock and calls a ticket to it; the call waiting for that lock took its
    snapshot before, so its busy guard passes and the constraint
    ``one_current_ticket_per_counter`` refuses its ticket. The operator is told
    the counter is busy, with the winner's ticket, and nothing of the loser's
    call remains (its ticket waits, no audit entry)."""
    import time

    from django.db import connection

    from ptsp.exceptions import InvalidTransition

    first, second = (
        ticket_issue(office=office, service=permit, channel=TicketChannel.RECEPTION)
        for _ in range(2)
    )
    counter = make_counter(group_a, number=1)
    user = make_operator(django_user_model, counter, "op-lock")
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM queueing_counter WHERE id = %s FOR UPDATE", [counter.pk]
        )
    outcome: list = []

    def call() -> None:
        try:
            outcome.append(ticket_call_next(counter=counter, user=user))
        except Exception as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=call)
    thread.start()
    for _ in range(200):  # until the call waits for the counter's lock
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND query LIKE '%%WITH desk AS%%'"
            )
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    else:
        pytest.fail("The call never waited for the counter lock.")
    with holder.cursor() as cursor:
        cursor.execute(
            "UPDATE queueing_queueticket SET status = 'called', counter_id = %s,"
            " called_at = now(), first_called_at = now() WHERE id = %s",
            [counter.pk, first.pk],
        )
    holder.commit()
    holder.close()
    thread.join(timeout=60)
    assert len(outcome) == 1, outcome
    assert isinstance(outcome[0], InvalidTransition), outcome
    assert first.number in str(outcome[0].message)
    second.refresh_from_db()
    assert second.status == TicketStatus.WAITING
    assert not AuditEntry.objects.filter(action="queue.ticket_call").exists()
