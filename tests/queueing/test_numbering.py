"""Ticket numbers: group prefix and at least three digits, per office, prefix and
WIB day; a new day starts at 00:00 WIB (17:00 UTC)."""

import datetime as dt

import pytest
import time_machine

from queueing.choices import TicketChannel
from queueing.models import DailySequence, QueueTicket
from queueing.services import format_number, ticket_issue

from .conftest import NIK_1
from .factories import OfficeFactory, ServiceGroupFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _reception(office, service, **kwargs):
    return ticket_issue(
        office=office, service=service, channel=TicketChannel.RECEPTION, **kwargs
    )


@pytest.mark.parametrize(
    ("sequence", "number"),
    [(1, "A001"), (42, "A042"), (999, "A999"), (1000, "A1000"), (12345, "A12345")],
)
def test_format_number_has_at_least_three_digits(sequence, number):
    assert format_number("A", sequence) == number


def test_numbers_count_up_per_prefix(office, group_a, group_b, permit, permit_2, civil):
    numbers = [
        _reception(office, permit).number,
        _reception(office, civil).number,
        _reception(office, permit_2).number,
        _reception(office, civil).number,
    ]
    assert numbers == ["A001", "B001", "A002", "B002"]


def test_each_office_counts_on_its_own(office, group_a, permit):
    other = OfficeFactory()
    ServiceGroupFactory(office=other, prefix="A", services=[permit])
    assert _reception(office, permit).number == "A001"
    assert _reception(other, permit).number == "A001"
    assert _reception(office, permit).number == "A002"


def test_a999_is_followed_by_a1000(office, group_a, permit):
    with time_machine.travel(dt.datetime(2026, 5, 4, 3, tzinfo=UTC), tick=False):
        DailySequence.objects.create(
            office=office, prefix="A", local_date=dt.date(2026, 5, 4), last_number=998
        )
        numbers = [_reception(office, permit).number for _ in range(3)]
    assert numbers == ["A999", "A1000", "A1001"]
    sequences = list(
        QueueTicket.objects.order_by("pk").values_list("sequence", flat=True)
    )
    assert sequences == [999, 1000, 1001]  # strictly increasing, sortable


def test_numbering_starts_again_at_midnight_wib(office, group_a, permit):
    """16:59 UTC is 23:59 WIB of the 4th; 17:00 UTC is 00:00 WIB of the 5th."""
    with time_machine.travel(dt.datetime(2026, 5, 4, 16, 58, tzinfo=UTC), tick=False):
        late = [_reception(office, permit) for _ in range(2)]
    with time_machine.travel(dt.datetime(2026, 5, 4, 17, 0, tzinfo=UTC), tick=False):
        early = _reception(office, permit)
    assert [t.number for t in late] == ["A001", "A002"]
    assert {t.local_date for t in late} == {dt.date(2026, 5, 4)}
    assert early.number == "A001"
    assert early.local_date == dt.date(2026, 5, 5)


def test_same_nik_gets_a_new_ticket_the_next_day(office, group_a, permit):
    with time_machine.travel(dt.datetime(2026, 5, 4, 16, 58, tzinfo=UTC), tick=False):
        first = ticket_issue(office=office, service=permit, nik=NIK_1)
    with time_machine.travel(dt.datetime(2026, 5, 4, 17, 1, tzinfo=UTC), tick=False):
        second = ticket_issue(office=office, service=permit, nik=NIK_1)
    assert first.nik_hash == second.nik_hash
    assert (first.local_date, second.local_date) == (
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 5),
    )


def test_issuing_is_audited_without_the_nik(office, group_a, permit):
    from audit.models import AuditEntry

    ticket = ticket_issue(office=office, service=permit, nik=NIK_1)
    entry = AuditEntry.objects.get(action="queue.ticket_issue")
    assert entry.object_id == str(ticket.pk)
    assert entry.changes["number"] == [None, "A001"]
    assert NIK_1 not in str(entry.changes)
