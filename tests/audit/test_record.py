"""The audit write path: entries live and die with the transaction they record."""

from django.db import transaction

import pytest

from accounts.models import User
from audit.context import audit_actor
from audit.models import AuditEntry
from audit.services import AuditOutsideTransaction, audit_record, field_changes

pytestmark = pytest.mark.django_db(transaction=True)


def test_rolled_back_change_leaves_no_entry():
    """The change fails after its entry was written: both are gone."""

    def change_that_fails() -> None:
        with transaction.atomic():
            user = User.objects.create(username="rollback")
            audit_record(action="user.create", obj=user)
            raise RuntimeError("the business change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not AuditEntry.objects.exists()
    assert not User.objects.filter(username="rollback").exists()


def test_committed_change_has_its_entry_with_actor_and_changes():
    officer = User.objects.create(username="officer")
    with audit_actor(user=officer), transaction.atomic():
        target = User.objects.create(username="target", full_name="Siti")
        before = User.objects.get(pk=target.pk)
        target.full_name = "Siti Aminah"
        target.save()
        audit_record(
            action="user.update",
            obj=target,
            changes=field_changes(before, target, ["full_name", "username"]),
            reason="typo in name",
        )
    entry = AuditEntry.objects.get()
    assert entry.actor == officer
    assert entry.actor_label == f"user:{officer.pk}"
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(target.pk)
    assert entry.changes == {"full_name": ["Siti", "Siti Aminah"]}
    assert entry.reason == "typo in name"


def test_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransaction):
        audit_record(action="user.update", object_type="accounts.user", object_id=1)
    assert not AuditEntry.objects.exists()


def test_system_actor_names_the_task_and_the_causing_request():
    with (
        audit_actor(system="system:example_task", caused_by_request="req-123456"),
        transaction.atomic(),
    ):
        audit_record(action="example.run", object_type="x", object_id=1)
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_label == "system:example_task"
    assert entry.caused_by_request == "req-123456"
    with pytest.raises(ValueError, match="system:"), audit_actor(system="sla sweep"):
        pass


@pytest.mark.urls("tests.urls")
def test_web_request_binds_ip_and_request_id(client):
    """A request's entries carry its client IP and request id (via the middleware)."""
    response = client.get(
        "/__audit_probe__", headers={"x-request-id": "probe-req-0001"}
    )
    assert response.json() == {"ip": "127.0.0.1", "rid": "probe-req-0001"}


def test_field_changes_normalise_times_to_utc():
    from datetime import UTC, datetime, timedelta, timezone

    before = User(username="x", date_joined=datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
    after = User(
        username="x",
        date_joined=datetime(2026, 1, 5, 10, 0, tzinfo=timezone(timedelta(hours=7))),
    )
    assert field_changes(before, after, ["date_joined", "username"]) == {
        "date_joined": ["2026-01-05T02:00:00+00:00", "2026-01-05T03:00:00+00:00"]
    }


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    """On every database (SQLite has no trigger) the models refuse it in Python."""
    from audit.models import AppendOnlyError

    with transaction.atomic():
        entry = audit_record(action="x.y", object_type="x", object_id=1)
    entry.reason = "rewritten"
    for attempt in (
        entry.save,
        entry.delete,
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="r"),
        lambda: AuditEntry.objects.all().delete(),
        lambda: AuditEntry.objects.bulk_update([entry], ["reason"]),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AuditEntry.objects.get().reason == ""
