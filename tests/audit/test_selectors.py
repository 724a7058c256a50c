"""Reads of the trail: an object's history and an actor's entries in a time
range, as keyset pages of one query each, whatever the size of the trail."""

from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

import pytest
import time_machine

from accounts.models import User
from audit.context import audit_actor
from audit.selectors import (
    audit_entries_by_actor,
    audit_entries_by_actor_sql,
    audit_entries_for_object,
    audit_entries_for_object_sql,
)
from audit.services import audit_record, audit_record_many

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def history():
    """Two officers acting on applications 1 and 2, one entry a day for 6 days."""
    siti = User.objects.create(username="siti")
    budi = User.objects.create(username="budi")
    for day in range(6):
        with time_machine.travel(START + timedelta(days=day), tick=False):
            for officer, application in ((siti, 1), (budi, 2)):
                with audit_actor(user=officer), transaction.atomic():
                    audit_record(
                        action="step.complete",
                        object_type="permits.application",
                        object_id=application,
                        changes={"day": [None, day]},
                    )
    return siti, budi


def test_history_of_an_object_is_newest_first_with_the_actor_in_one_query(
    history, django_assert_num_queries
):
    siti, _ = history
    with django_assert_num_queries(1):
        entries = list(
            audit_entries_for_object(object_type="permits.application", object_id=1)
        )
        actors = {entry.actor.username for entry in entries}  # joined, no query
    assert [e.changes["day"][1] for e in entries] == [5, 4, 3, 2, 1, 0]
    assert actors == {siti.username}


def test_history_pages_by_keyset(history, django_assert_num_queries):
    first = list(
        audit_entries_for_object(
            object_type="permits.application", object_id=2, limit=4
        )
    )
    with django_assert_num_queries(1):
        rest = list(
            audit_entries_for_object(
                object_type="permits.application",
                object_id="2",
                before_id=first[-1].id,
                limit=4,
            )
        )
    assert [e.changes["day"][1] for e in first] == [5, 4, 3, 2]
    assert [e.changes["day"][1] for e in rest] == [1, 0]


def test_actor_entries_stay_in_the_half_open_time_range(
    history, django_assert_num_queries
):
    _, budi = history
    with django_assert_num_queries(1):
        entries = list(
            audit_entries_by_actor(
                actor_label=f"user:{budi.pk}",
                since=START + timedelta(days=1),
                until=START + timedelta(days=4),  # day 4 itself is out
            )
        )
        objects = {(e.object_type, e.object_id, e.actor.pk) for e in entries}
    assert [e.changes["day"][1] for e in entries] == [3, 2, 1]
    assert objects == {("permits.application", "2", budi.pk)}


def test_actor_entries_page_by_keyset_within_the_range(history):
    siti, _ = history
    pages = []
    before = None
    while True:
        page = list(
            audit_entries_by_actor(
                actor_label=f"user:{siti.pk}",
                since=START,
                until=START + timedelta(days=30),
                before=before,
                limit=4,
            )
        )
        if not page:
            break
        pages.append([e.changes["day"][1] for e in page])
        before = (page[-1].occurred_at, page[-1].id)
    assert pages == [[5, 4, 3, 2], [1, 0]]


def test_rows_are_immutable_and_carry_the_entry(history):
    """The selectors return light read-only rows, not model instances: what a
    trail shows, the actor's username and name, nothing to save."""
    siti, _ = history
    entry = audit_entries_by_actor(
        actor_label=f"user:{siti.pk}", since=START, until=START + timedelta(days=1)
    )[0]
    assert entry.pk == entry.id
    assert entry.occurred_at == START
    assert entry.action == "step.complete"
    assert (entry.actor.pk, str(entry.actor)) == (siti.pk, "siti")
    with pytest.raises(AttributeError):
        entry.reason = "rewritten"  # type: ignore[misc]


def test_system_entries_have_no_actor():
    with audit_actor(system="system:sla_sweep_task"), transaction.atomic():
        audit_record(action="sla.sweep", object_type="x", object_id=7)
    (entry,) = audit_entries_for_object(object_type="x", object_id=7)
    assert entry.actor is None
    assert entry.actor_label == "system:sla_sweep_task"


@pytest.mark.postgres
def test_the_selectors_use_their_indexes(history):
    """The plans read an index range, not the table: the cost does not grow
    with the trail (sequential scans disabled to decide on a small table).
    Next pages (the keyset shapes) too."""
    siti, _ = history
    by_object = audit_entries_for_object_sql(
        object_type="permits.application", object_id=1
    )
    # A next page on a long trail: the keyset bound keeps most of the table
    # (the object's filter is what is selective), as on a real trail.
    next_object = audit_entries_for_object_sql(
        object_type="permits.application", object_id=1, before_id=10**12
    )
    by_actor = audit_entries_by_actor_sql(
        actor_label=f"user:{siti.pk}", since=START, until=START + timedelta(days=2)
    )
    next_actor = audit_entries_by_actor_sql(
        actor_label=f"user:{siti.pk}",
        since=START,
        until=START + timedelta(days=2),
        before=(START + timedelta(days=1), 10**12),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Other actors' entries in the same days and statistics, so that the
        # planner weighs the actor's index against the time index
        # (audit_by_time, the auditor workspace's) as it does on a real trail,
        # not on a dozen rows.
        with (
            audit_actor(system="system:other"),
            time_machine.travel(START + timedelta(hours=12), tick=False),
        ):
            audit_record_many(
                {"action": "other.thing", "object_type": "x", "object_id": i}
                for i in range(5000)
            )
        cursor.execute("ANALYZE audit_auditentry")
        plans = {}
        for name, (sql, params) in (
            ("object", by_object),
            ("next object", next_object),
            ("actor", by_actor),
            ("next actor", next_actor),
        ):
            cursor.execute("EXPLAIN " + sql, params)
            plans[name] = "\n".join(row[0] for row in cursor.fetchall())
    for name, index in (
        ("object", "audit_by_object"),
        ("next object", "audit_by_object"),
        ("actor", "audit_by_actor_time"),
        ("next actor", "audit_by_actor_time"),
    ):
        assert index in plans[name], plans[name]
        assert "Sort" not in plans[name]  # the index gives the order
        assert "Seq Scan on audit_auditentry" not in plans[name]
