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
