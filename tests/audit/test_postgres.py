"""PostgreSQL guarantees: triggers, transaction stamps, concurrent and late sealing."""

import threading

from django.db import IntegrityError, connection, connections, transaction

import psycopg2
import pytest

from accounts.models import User
from audit.checkpoints import checkpoint_create
from audit.models import AuditCheckpoint, AuditEntry, AuditSeal
from audit.sealing import audit_seal
from audit.services import audit_record
from audit.verification import audit_verify

from .conftest import seal_all, seal_until, tampering, write_entries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _raw_connection():
    """A second session on the test database, outside Django."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg2.connect(**params)


def test_rolled_back_change_leaves_no_entry():
    def change_that_fails() -> None:
        with transaction.atomic():
            user = User.objects.create(username="rollback")
            audit_record(action="user.create", obj=user)
            raise RuntimeError("the business change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not AuditEntry.objects.exists()
    assert not User.objects.filter(username="rollback").exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'rewritten'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry CASCADE",
        "UPDATE audit_auditseal SET hash = repeat('0', 64)",
        "DELETE FROM audit_auditseal",
        "TRUNCATE audit_auditseal",
        "UPDATE audit_auditcheckpoint SET seq = 0",
        "DELETE FROM audit_auditcheckpoint",
    ],
)
def test_audit_tables_refuse_update_delete_and_truncate(sql):
    write_entries(2)
    seal_all()
    checkpoint_create()

    def attempt() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            # The suite's own sessions may TRUNCATE (for the flush); not this one.
            cursor.execute("SET LOCAL ptsp.audit_allow_truncate = 'off'")
            cursor.execute(sql)

    with pytest.raises(IntegrityError, match="append-only"):
        attempt()
    assert AuditEntry.objects.filter(reason="test").count() == 2
    assert AuditSeal.objects.count() == 2
    assert AuditCheckpoint.objects.count() == 1


def test_entry_is_stamped_with_its_transaction_whatever_the_caller_says():
    with transaction.atomic(), connection.cursor() as cursor:
        entry = AuditEntry.objects.create(action="x", actor_label="anonymous", txid=1)
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        (txid,) = cursor.fetchone()
    entry.refresh_from_db()
    assert entry.txid == txid != 1


def test_verification_names_the_row_altered_behind_a_disabled_trigger():
    entries = write_entries(8)
    seal_all()

    def update_directly() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditentry SET action = 'forged' WHERE id = %s",
                [entries[4].pk],
            )

    with pytest.raises(IntegrityError, match="append-only"):
        update_directly()
    with tampering() as cursor:  # ALTER TABLE ... DISABLE TRIGGER, as a superuser
        cursor.execute(
            "UPDATE audit_auditentry SET action = 'forged' WHERE id = %s",
            [entries[4].pk],
        )
    result = audit_verify()
    assert not result.ok
    assert result.first_broken.kind == "hash"
    assert result.first_broken.entry_id == entries[4].pk
    assert str(entries[4].pk) in result.first_broken.message


def test_two_concurrent_sealers_make_one_gap_free_chain():
    entries = write_entries(600)
    barrier = threading.Barrier(2)
    sealed: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            sealed.append(audit_seal(batch_size=25))
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    seal_all()  # whatever the two left for a transaction still open elsewhere
    seqs = list(AuditSeal.objects.order_by("seq").values_list("seq", "entry_id"))
    assert [s for s, _ in seqs] == list(range(1, 601))
    assert sorted(e for _, e in seqs) == sorted(e.pk for e in entries)
    assert audit_verify().ok


def test_late_committing_transaction_is_sealed_after_it_commits_never_skipped():
    """Session A takes id N but commits last; B's entry N+1 commits first and is
    sealed; A's entry is sealed once A commits, after B's, never skipped."""
    late = _raw_connection()
    try:
        with late.cursor() as cur:
            cur.execute("SELECT nextval('audit_auditentry_id_seq')")
            (late_id,) = cur.fetchone()  # holds id N; no transaction id yet
            (early,) = write_entries(1)  # id N+1, commits now
            assert early.pk > late_id
            cur.execute(
                "INSERT INTO audit_auditentry (id, occurred_at, actor_label, "
                "actor_role, actor_agency, action, object_type, object_id, "
                "changes, reason, request_id, caused_by_request) VALUES "
                "(%s, now(), 'system:late', '', '', 'late.change', '', '', '{}', "
                "'', '', '')",
                [late_id],
            )
            seal_until(lambda: AuditSeal.objects.filter(entry_id=early.pk).exists())
            assert not AuditSeal.objects.filter(entry_id=late_id).exists()
            # While A is open, nothing it wrote can be sealed.
            audit_seal()
            assert not AuditSeal.objects.filter(entry_id=late_id).exists()
        late.commit()
    finally:
        late.close()
    seal_until(lambda: AuditSeal.objects.filter(entry_id=late_id).exists())
    early_seq = AuditSeal.objects.get(entry_id=early.pk).seq
    late_seq = AuditSeal.objects.get(entry_id=late_id).seq
    assert late_seq == early_seq + 1
    assert audit_verify().ok


def test_open_transaction_holds_back_later_entries_until_it_ends():
    """An entry of a still-open transaction keeps every later transaction's entries
    waiting, so the chain order follows the order transactions finish in."""
    waiting = _raw_connection()
    try:
        with waiting.cursor() as cur:
            cur.execute(
                "INSERT INTO audit_auditentry (occurred_at, actor_label, actor_role, "
                "actor_agency, action, object_type, object_id, changes, reason, "
                "request_id, caused_by_request) VALUES (now(), 'system:slow', '', "
                "'', 'slow.change', '', '', '{}', '', '', '') RETURNING id"
            )
            (slow_id,) = cur.fetchone()
            (after,) = write_entries(1)
            audit_seal()
            assert not AuditSeal.objects.filter(entry_id__in=[slow_id, after.pk])
        waiting.rollback()  # A gives up: its entry never existed
    finally:
        waiting.close()
    seal_until(lambda: AuditSeal.objects.filter(entry_id=after.pk).exists())
    assert not AuditEntry.objects.filter(pk=slow_id).exists()
    assert audit_verify().ok
