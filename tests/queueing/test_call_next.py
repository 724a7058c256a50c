"""Call-next, start and finish on PostgreSQL (``queueing.calling``): a fixed
statement budget whatever the line's length, the partial indexes in the plans,
and the rules the single statements keep (operator on duty, counter active,
calling order, busy counter, turn-near only when due, service time)."""

import datetime as dt

from django.db import connection
from django.utils import timezone

import pytest
import time_machine

from audit.models import AuditEntry
from audit.services import audit_insert_from
from ptsp.exceptions import InvalidTransition
from queueing.calling import _call_sql
from queueing.choices import TicketChannel, TicketStatus
from queueing.models import Counter, QueueTicket
from queueing.permissions import NotAllowed
from queueing.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_park,
    ticket_recall,
    ticket_start,
    ticket_transfer,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def issue(office, service, **kwargs) -> QueueTicket:
    return ticket_issue(
        office=office, service=service, channel=TicketChannel.RECEPTION, **kwargs
    )


def serve(counter, user) -> QueueTicket:
    ticket = ticket_call_next(counter=counter, user=user)
    ticket_start(counter=counter, user=user)
    ticket_finish(counter=counter, user=user)
    return ticket


@pytest.mark.parametrize("waiting", [2, 60])
def test_call_next_takes_one_statement_whatever_the_line(
    office,
    group_a,
    permit,
    counter_1,
    operator,
    elderly,
    waiting,
    django_assert_num_queries,
):
    """One statement locks and checks the counter (with its groups and
    services), takes and calls the ticket and writes the audit entry. The
    test's transaction turns the service's BEGIN/COMMIT into
    SAVEPOINT/RELEASE: three captured."""
    for i in range(waiting):
        issue(office, permit, priority=elderly if i % 7 == 3 else None)
    serve(counter_1, operator)  # permissions are cached on the user after one
    with django_assert_num_queries(3):
        ticket = ticket_call_next(counter=counter_1, user=operator)
    assert ticket.status == TicketStatus.CALLED


def test_an_empty_line_costs_one_read_more(
    office, group_a, permit, counter_1, operator, django_assert_num_queries
):
    issue(office, permit)
    serve(counter_1, operator)
    # Savepoint, the call (nothing taken), is the desk busy?, release.
    with django_assert_num_queries(4):
        assert ticket_call_next(counter=counter_1, user=operator) is None


def test_each_rank_walks_its_partial_index(office, group_a, counter_1):
    """The take reads the line through the partial indexes of waiting tickets
    in line order (no sort of the line, no scan of the day's history).
    Which partial index serves the booked and priority ranks is the planner's
    choice on these tiny tables."""
    entry_sql, entry_params = audit_insert_from(
        action="queue.ticket_call",
        object_type="queueing.queueticket",
        source="taken",
        object_id="taken.id",
    )
    sql = _call_sql(entry_sql)
    params = {
        "counter": counter_1.pk,
        "user": None,
        "superuser": True,
        "now": timezone.now(),
        **entry_params,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny test tables
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "ticket_waiting_line_idx" in plan, plan  # the regular rank
    assert "ticket_turn_near_due_idx" in plan, plan
    # One per rank, each under LIMIT 1, and the counter's.
    assert plan.count("LockRows") == 4, plan
    assert "Seq Scan" not in plan, plan
    assert "Sort" not in plan, plan


def test_the_call_is_audited_with_the_operator(
    office, group_a, permit, counter_1, operator
):
    ticket = issue(office, permit)
    called = ticket_call_next(counter=counter_1, user=operator)
    assert called.pk == ticket.pk
    assert (called.status, called.counter_id) == (TicketStatus.CALLED, counter_1.pk)
    stored = QueueTicket.objects.get(pk=ticket.pk)
    assert stored.called_at == stored.first_called_at == called.called_at
    entry = AuditEntry.objects.get(action="queue.ticket_call")
    assert (entry.object_id, entry.actor) == (str(ticket.pk), operator)
    assert entry.changes == {
        "status": ["waiting", "called"],
        "counter": [None, counter_1.pk],
    }


def test_wait_is_counted_from_the_booking_window(
    office, group_a, permit, counter_1, operator
):
    """A booked visitor who checked in early waits from the window's start."""
    ticket = issue(office, permit)
    now = timezone.now()
    QueueTicket.objects.filter(pk=ticket.pk).audited_update(
        action="test.arrange",
        window_starts_at=now + dt.timedelta(minutes=10),
        window_ends_at=now + dt.timedelta(minutes=40),
    )
    with time_machine.travel(now + dt.timedelta(minutes=25), tick=False):
        called = ticket_call_next(counter=counter_1, user=operator)
    assert called.wait_seconds == 15 * 60


def test_an_inactive_officer_or_counter_may_not_call(
    office, group_a, permit, counter_1, operator
):
    issue(office, permit)
    operator.officer.is_active = False
    operator.officer.save()
    with pytest.raises(NotAllowed):
        ticket_call_next(counter=counter_1, user=operator)
    operator.officer.is_active = True
    operator.officer.save()
    Counter.objects.filter(pk=counter_1.pk).audited_update(
        action="test.arrange", is_active=False
    )
    with pytest.raises(NotAllowed):
        ticket_call_next(counter=counter_1, user=operator)
    assert not QueueTicket.objects.exclude(status=TicketStatus.WAITING).exists()


def test_a_user_without_the_permission_may_not_call(
    office, group_a, permit, counter_1, operator
):
    issue(office, permit)
    operator.user_permissions.clear()
    operator = type(operator).objects.get(pk=operator.pk)  # no cached permissions
    with pytest.raises(NotAllowed):
        ticket_call_next(counter=counter_1, user=operator)


def test_a_busy_counter_names_its_ticket(office, group_a, permit, counter_1, operator):
    issue(office, permit)
    issue(office, permit)
    ticket_call_next(counter=counter_1, user=operator)
    with pytest.raises(InvalidTransition) as caught:
        ticket_call_next(counter=counter_1, user=operator)
    assert "A001" in str(caught.value.message)
    assert QueueTicket.objects.filter(status=TicketStatus.WAITING).count() == 1


def test_a_ticket_sent_to_the_counter_comes_in_its_place(
    office, group_a, group_b, permit, civil, counter_1, counter_2, operator, operator_2
):
    """Counter 2 serves only group A, yet calls the B ticket sent to it, in
    its place in line (it came before A002)."""
    moved = issue(office, civil)
    later = issue(office, permit)
    assert ticket_call_next(counter=counter_1, user=operator) == moved
    ticket_transfer(counter=counter_1, user=operator, to_counter=counter_2)
    assert ticket_call_next(counter=counter_2, user=operator_2) == moved
    ticket_start(counter=counter_2, user=operator_2)
    ticket_finish(counter=counter_2, user=operator_2)
    assert ticket_call_next(counter=counter_2, user=operator_2) == later


def test_turn_near_is_enqueued_only_when_an_account_waits(
    office,
    group_a,
    permit,
    counter_1,
    operator,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    citizen = django_user_model.objects.create_user(username="warga-cn")
    issue(office, permit)
    issue(office, permit)
    with django_capture_on_commit_callbacks() as callbacks:
        serve(counter_1, operator)
    assert callbacks == []  # walk-in tickets only: nothing for the task to do
    issue(office, permit, citizen=citizen)
    with django_capture_on_commit_callbacks() as callbacks:
        ticket_call_next(counter=counter_1, user=operator)
    assert len(callbacks) == 1


def test_start_and_finish_take_three_statements_each(
    office, group_a, permit, counter_1, operator, django_assert_num_queries
):
    issue(office, permit)
    issue(office, permit)
    serve(counter_1, operator)
    ticket = ticket_call_next(counter=counter_1, user=operator)
    with django_assert_num_queries(5):  # savepoint, lock, update, audit, release
        started = ticket_start(counter=counter_1, user=operator)
    with django_assert_num_queries(5):
        done = ticket_finish(counter=counter_1, user=operator)
    assert (started.pk, started.status) == (ticket.pk, TicketStatus.SERVING)
    assert (done.pk, done.status) == (ticket.pk, TicketStatus.DONE)
    changes = list(
        AuditEntry.objects.filter(
            object_type="queueing.queueticket", object_id=str(ticket.pk)
        )
        .order_by("pk")
        .values_list("action", "changes")
    )
    assert changes[-2:] == [
        ("queue.ticket_start", {"status": ["called", "serving"]}),
        ("queue.ticket_finish", {"status": ["serving", "done"]}),
    ]


def test_service_time_sums_the_serving_periods(
    office, group_a, permit, counter_1, operator
):
    """Served 60 s, parked 40 s (not counted), served 70 s again: 130 s; the
    first start is kept."""
    issue(office, permit)
    t0 = timezone.now()
    steps = [
        (0, lambda: ticket_call_next(counter=counter_1, user=operator)),
        (0, lambda: ticket_start(counter=counter_1, user=operator)),
        (60, lambda: ticket_park(counter=counter_1, user=operator)),
    ]
    for seconds, step in steps:
        with time_machine.travel(t0 + dt.timedelta(seconds=seconds), tick=False):
            ticket = step()
    with time_machine.travel(t0 + dt.timedelta(seconds=100), tick=False):
        ticket_recall(counter=counter_1, user=operator, ticket=ticket)
        restarted = ticket_start(counter=counter_1, user=operator)
    with time_machine.travel(t0 + dt.timedelta(seconds=170), tick=False):
        done = ticket_finish(counter=counter_1, user=operator)
    assert done.service_seconds == 130
    assert done.started_at == restarted.started_at
    assert done.finished_at == t0 + dt.timedelta(seconds=170)


def test_start_and_finish_explain_a_refusal(
    office, group_a, permit, counter_1, operator
):
    issue(office, permit)
    with pytest.raises(InvalidTransition):
        ticket_start(counter=counter_1, user=operator)  # nothing called
    ticket_call_next(counter=counter_1, user=operator)
    with pytest.raises(InvalidTransition):
        ticket_finish(counter=counter_1, user=operator)  # not started
    ticket_start(counter=counter_1, user=operator)
    with pytest.raises(InvalidTransition):
        ticket_start(counter=counter_1, user=operator)  # already in service
    assert QueueTicket.objects.get().status == TicketStatus.SERVING
