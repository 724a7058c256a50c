"""Counter work: call next (booked visitors in their window, then priority groups,
then first come, first served), recall until missed, start, finish, park,
transfer with the same number."""

import datetime as dt

from django.utils import timezone, translation

import pytest
import time_machine

from audit.models import AuditEntry
from ptsp.exceptions import ApplicationError, InvalidTransition
from queueing.choices import TicketChannel, TicketStatus
from queueing.models import QueueTicket
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

from .factories import make_counter, make_operator

pytestmark = pytest.mark.django_db


def issue(office, service, **kwargs) -> QueueTicket:
    return ticket_issue(
        office=office, service=service, channel=TicketChannel.RECEPTION, **kwargs
    )


def test_first_come_first_served(office, group_a, permit, counter_1, operator):
    tickets = [issue(office, permit) for _ in range(3)]
    called = []
    for _ in range(3):
        called.append(ticket_call_next(counter=counter_1, user=operator))
        ticket_start(counter=counter_1, user=operator)
        ticket_finish(counter=counter_1, user=operator)
    assert called == tickets
    assert ticket_call_next(counter=counter_1, user=operator) is None


def test_priority_groups_before_regular(
    office, group_a, permit, counter_1, operator, elderly, pregnant
):
    regular = issue(office, permit)
    old = issue(office, permit, priority=elderly)
    expecting = issue(office, permit, priority=pregnant)
    order = []
    for _ in range(3):
        order.append(ticket_call_next(counter=counter_1, user=operator).number)
        ticket_start(counter=counter_1, user=operator)
        ticket_finish(counter=counter_1, user=operator)
    assert order == [old.number, expecting.number, regular.number]


def test_booked_visitor_inside_the_window_comes_first(
    office, group_a, permit, counter_1, operator, elderly
):
    walk_in = issue(office, permit)
    priority = issue(office, permit, priority=elderly)
    now = timezone.now()
    booked = issue(office, permit)
    later = issue(office, permit)
    QueueTicket.objects.filter(pk=booked.pk).audited_update(
        action="test.arrange",
        window_starts_at=now - dt.timedelta(minutes=5),
        window_ends_at=now + dt.timedelta(minutes=30),
    )
    QueueTicket.objects.filter(pk=later.pk).audited_update(
        action="test.arrange",
        # booked, but not yet due
        window_starts_at=now + dt.timedelta(hours=2),
        window_ends_at=now + dt.timedelta(hours=3),
    )
    order = []
    for _ in range(4):
        order.append(ticket_call_next(counter=counter_1, user=operator).number)
        ticket_start(counter=counter_1, user=operator)
        ticket_finish(counter=counter_1, user=operator)
    assert order == [booked.number, priority.number, walk_in.number, later.number]


def test_a_counter_calls_only_its_groups(
    office, group_a, group_b, permit, civil, counter_2, operator_2
):
    issue(office, civil)  # B001: counter 2 serves only group A
    a = issue(office, permit)
    assert ticket_call_next(counter=counter_2, user=operator_2) == a
    ticket_start(counter=counter_2, user=operator_2)
    ticket_finish(counter=counter_2, user=operator_2)
    assert ticket_call_next(counter=counter_2, user=operator_2) is None


def test_a_counter_limited_to_services(
    django_user_model, office, group_a, permit, permit_2
):
    counter = make_counter(group_a, number=7)
    counter.services.set([permit_2])
    user = make_operator(django_user_model, counter, "petugas7")
    issue(office, permit)
    wanted = issue(office, permit_2)
    assert ticket_call_next(counter=counter, user=user) == wanted


def test_calling_writes_times_and_an_audit_entry(
    office, group_a, permit, counter_1, operator
):
    ticket = issue(office, permit)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=7)):
        called = ticket_call_next(counter=counter_1, user=operator)
    assert called.status == TicketStatus.CALLED
    assert called.counter == counter_1
    assert 7 * 60 <= called.wait_seconds < 7 * 60 + 5
    entry = AuditEntry.objects.get(action="queue.ticket_call")
    assert entry.object_id == str(ticket.pk)
    assert entry.actor == operator
    assert entry.changes["status"] == ["waiting", "called"]


def test_no_second_call_while_a_ticket_is_at_the_counter(
    office, group_a, permit, counter_1, operator
):
    issue(office, permit)
    issue(office, permit)
    ticket_call_next(counter=counter_1, user=operator)
    with pytest.raises(InvalidTransition):
        ticket_call_next(counter=counter_1, user=operator)
    assert QueueTicket.objects.filter(status=TicketStatus.CALLED).count() == 1


def test_recall_limit_then_missed(
    office, group_a, permit, counter_1, operator, settings
):
    settings.QUEUE_RECALL_LIMIT = 2
    issue(office, permit)
    ticket_call_next(counter=counter_1, user=operator)
    assert ticket_recall(counter=counter_1, user=operator).recall_count == 1
    assert ticket_recall(counter=counter_1, user=operator).recall_count == 2
    missed = ticket_recall(counter=counter_1, user=operator)
    assert missed.status == TicketStatus.MISSED
    assert missed.counter == counter_1  # counted in the counter's statistics
    assert AuditEntry.objects.filter(action="queue.ticket_missed").count() == 1
    nxt = issue(office, permit)
    assert ticket_call_next(counter=counter_1, user=operator) == nxt  # counter free


def test_recall_of_a_ticket_in_service_is_refused(
    office, group_a, permit, counter_1, operator
):
    issue(office, permit)
    ticket_call_next(counter=counter_1, user=operator)
    ticket_start(counter=counter_1, user=operator)
    with pytest.raises(InvalidTransition):
        ticket_recall(counter=counter_1, user=operator)


def test_park_then_call_it_back(office, group_a, permit, counter_1, operator):
    first = issue(office, permit)
    second = issue(office, permit)
    ticket_call_next(counter=counter_1, user=operator)
    ticket_start(counter=counter_1, user=operator)
    parked = ticket_park(counter=counter_1, user=operator)
    assert parked.status == TicketStatus.PARKED
    assert ticket_call_next(counter=counter_1, user=operator) == second
    with pytest.raises(InvalidTransition):  # the counter is busy with the second
        ticket_recall(counter=counter_1, user=operator, ticket=first)
    ticket_start(counter=counter_1, user=operator)
    ticket_finish(counter=counter_1, user=operator)
    back = ticket_recall(counter=counter_1, user=operator, ticket=first)
    assert back.status == TicketStatus.CALLED
    ticket_start(counter=counter_1, user=operator)
    done = ticket_finish(counter=counter_1, user=operator)
    assert done.status == TicketStatus.DONE
    assert done.service_seconds is not None


def test_transfer_to_a_service_keeps_the_number_and_the_place(
    office, group_a, group_b, permit, civil, counter_1, operator
):
    early = issue(office, permit)
    later_b = issue(office, civil)
    ticket_call_next(counter=counter_1, user=operator)
    ticket_start(counter=counter_1, user=operator)
    moved = ticket_transfer(counter=counter_1, user=operator, to_service=civil)
    assert moved.number == early.number == "A001"
    assert (moved.status, moved.group, moved.service) == ("waiting", group_b, civil)
    assert moved.transfer_count == 1
    # It keeps its place in line: called before B001, which came later.
    assert ticket_call_next(counter=counter_1, user=operator) == moved
    assert later_b.status == TicketStatus.WAITING


def test_transfer_to_a_counter_is_called_only_there(
    office, group_a, permit, counter_1, counter_2, operator, operator_2
):
    issue(office, permit)
    issue(office, permit)
    ticket_call_next(counter=counter_1, user=operator)
    moved = ticket_transfer(counter=counter_1, user=operator, to_counter=counter_2)
    assert moved.target_counter == counter_2
    other = ticket_call_next(counter=counter_1, user=operator)
    assert other.number == "A002"
    assert ticket_call_next(counter=counter_2, user=operator_2) == moved


def test_transfer_needs_a_target_of_the_same_office(
    office, group_a, permit, counter_1, operator
):
    from .factories import OfficeFactory, ServiceGroupFactory

    other_group = ServiceGroupFactory(office=OfficeFactory(), services=[permit])
    elsewhere = make_counter(other_group, number=1)
    issue(office, permit)
    ticket_call_next(counter=counter_1, user=operator)
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        ticket_transfer(counter=counter_1, user=operator, to_counter=elsewhere)
    assert caught.value.message == "Choose an open counter of this office."


def test_an_operator_cannot_work_another_counter(
    office, group_a, permit, counter_2, operator
):
    issue(office, permit)
    with pytest.raises(NotAllowed):
        ticket_call_next(counter=counter_2, user=operator)
    assert not QueueTicket.objects.filter(status=TicketStatus.CALLED).exists()


def test_invalid_transitions_are_refused(office, group_a, permit, counter_1, operator):
    issue(office, permit)
    with pytest.raises(InvalidTransition):
        ticket_start(counter=counter_1, user=operator)  # nothing called
    ticket_call_next(counter=counter_1, user=operator)
    with pytest.raises(InvalidTransition):
        ticket_finish(counter=counter_1, user=operator)  # not started
