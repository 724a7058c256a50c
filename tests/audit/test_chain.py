"""Sealing, checkpoints and verification (SQLite and PostgreSQL alike)."""

import base64
import hashlib
import itertools
import json
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

import pytest

from audit import signing
from audit.checkpoints import checkpoint_create, checkpoint_message, message_of
from audit.models import GENESIS_HASH, AuditCheckpoint, AuditEntry, AuditSeal
from audit.sealing import audit_seal, canonical_sql, chain_hash
from audit.verification import audit_verify

from .conftest import seal_all, tampering, write_entries

pytestmark = pytest.mark.django_db(transaction=True)


def _recompute_from(seq: int) -> None:
    """What an attacker with database access does after rewriting an entry: every
    later seal gets a freshly computed, internally consistent hash."""
    with tampering() as cursor:
        prev = AuditSeal.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
        for seal in AuditSeal.objects.filter(seq__gte=seq).order_by("seq"):
            digest = chain_hash(prev, seal.seq, _content(cursor, seal.entry_id))
            cursor.execute(
                "UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE seq = %s",
                [prev, digest, seal.seq],
            )
            prev = digest


def _content(cursor, entry_id: int) -> str:
    sql = canonical_sql(connection.vendor)
    cursor.execute(
        f"SELECT {sql} FROM audit_auditentry e WHERE e.id = %s",  # noqa: S608
        [entry_id],
    )
    return cursor.fetchone()[0]


def _rewrite_reason(entry_id: int, reason: str) -> None:
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET reason = %s WHERE id = %s", [reason, entry_id]
        )


def test_seal_builds_one_gap_free_chain_and_is_safe_to_run_twice():
    entries = write_entries(5)
    seal_all()
    seals = list(AuditSeal.objects.order_by("seq"))
    assert [s.seq for s in seals] == [1, 2, 3, 4, 5]
    assert [s.entry_id for s in seals] == [e.pk for e in entries]
    assert seals[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(seals):
        assert after.prev_hash == before.hash
    assert audit_seal() == 0  # nothing new: a second run changes nothing
    assert AuditSeal.objects.count() == 5


def test_hash_covers_previous_hash_position_and_canonical_content():
    (entry,) = write_entries(1)
    seal_all()
    seal = AuditSeal.objects.get()
    with connection.cursor() as cursor:
        content = _content(cursor, entry.pk)
    if connection.vendor == "postgresql":
        # A row value: version, id, microseconds since the epoch (UTC), ...
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        micros = (entry.occurred_at - epoch) // timedelta(microseconds=1)
        assert content.startswith(f"(ptsp-audit/1,{entry.pk},{micros},,anonymous,")
        assert '"{""n"": [0, 1], ""note"": [null, ""ü-0""]}"' in content
    else:
        decoded = json.loads(content)
        assert decoded[:2] == ["ptsp-audit/1", entry.pk]
        assert decoded[10] == {"n": [0, 1], "note": [None, "ü-0"]}
    expected = hashlib.sha256(f"{GENESIS_HASH}:1:{content}".encode()).hexdigest()
    assert seal.hash == expected


def test_sealer_refuses_to_run_inside_a_transaction():
    with transaction.atomic(), pytest.raises(RuntimeError, match="outside"):
        audit_seal()


def test_intact_chain_verifies_and_names_its_head():
    write_entries(30)
    seal_all()
    checkpoint_create()
    write_entries(3)  # not sealed yet: reported, not an error
    result = audit_verify()
    assert result.ok, result.problems
    assert result.entries_checked == 30
    assert result.last_seq == 30
    assert result.head_hash == AuditSeal.objects.get(seq=30).hash
    assert result.checkpoints_checked == 1
    assert result.unsealed == 3
    assert result.first_broken is None


def test_altered_entry_is_named():
    entries = write_entries(10)
    seal_all()
    _rewrite_reason(entries[6].pk, "nothing happened here")
    result = audit_verify()
    assert not result.ok
    assert result.first_broken.kind == "hash"
    assert result.first_broken.entry_id == entries[6].pk
    assert result.first_broken.seq == 7
    assert result.entries_checked == 6


def test_altered_seal_link_and_deleted_seal_are_named():
    entries = write_entries(6)
    seal_all()
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = 4")
    result = audit_verify()
    assert result.first_broken.kind == "seq_gap"
    assert result.first_broken.entry_id == entries[4].pk
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditseal SET prev_hash = %s WHERE seq = 2", ["f" * 64]
        )
    result = audit_verify()
    assert result.first_broken.kind == "prev_hash"
    assert result.first_broken.entry_id == entries[1].pk


def test_signed_checkpoint_detects_a_recomputed_chain():
    """The attacker rewrites entry #3 and recomputes every later hash: the chain is
    consistent again, but no longer the one the portal signed after #10."""
    entries = write_entries(2)
    seal_all()
    first = checkpoint_create()
    entries += write_entries(8)
    seal_all()
    second = checkpoint_create()
    entries += write_entries(4)
    seal_all()

    _rewrite_reason(entries[2].pk, "rewritten history")
    _recompute_from(3)

    result = audit_verify()
    assert not result.ok
    kinds = {p.kind for p in result.problems}
    assert kinds == {"checkpoint_mismatch"}  # every hash is consistent by itself
    broken = result.first_broken
    assert broken.checkpoint == second.number
    assert broken.seq == first.seq + 1 == 3
    assert broken.entry_id == entries[2].pk


def test_forged_and_foreign_checkpoints_are_refused():
    write_entries(3)
    seal_all()
    checkpoint = checkpoint_create()
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditcheckpoint SET hash = %s WHERE number = %s",
            ["a" * 64, checkpoint.number],
        )
    result = audit_verify()
    assert [p.kind for p in result.problems] == ["checkpoint_signature"]

    # Re-signed with the attacker's own key: the key is not trusted.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    own = Ed25519PrivateKey.generate()
    stored = AuditCheckpoint.objects.get()
    signature = own.sign(message_of(stored))
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditcheckpoint SET signature = %s, public_key = %s",
            [
                base64.b64encode(signature).decode(),
                signing.public_key_b64(own.public_key()),
            ],
        )
    result = audit_verify()
    assert [p.kind for p in result.problems] == ["checkpoint_untrusted_key"]


def test_published_checkpoints_catch_deleted_checkpoints_and_truncation():
    from audit.checkpoints import checkpoint_as_dict

    entries = write_entries(4)
    seal_all()
    published = [checkpoint_as_dict(checkpoint_create())]
    # The attacker deletes the last two entries with their seals and the checkpoint.
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditcheckpoint")
        cursor.execute("DELETE FROM audit_auditseal WHERE seq > 2")
        cursor.execute(
            "DELETE FROM audit_auditentry WHERE id IN (%s, %s)",
            [entries[2].pk, entries[3].pk],
        )
    assert audit_verify().ok  # nothing left inside the database shows it
    result = audit_verify(published=published)
    kinds = [p.kind for p in result.problems]
    assert kinds == ["checkpoint_missing", "checkpoint_beyond_chain"]


def test_checkpoint_is_idempotent_and_signs_the_head():
    write_entries(2)
    seal_all()
    first = checkpoint_create()
    assert checkpoint_create() == first  # nothing new sealed: no new checkpoint
    assert (first.number, first.seq) == (1, 2)
    assert first.hash == AuditSeal.objects.get(seq=2).hash
    assert first.public_key in signing.trusted_public_keys()
    assert signing.signature_valid(
        message=checkpoint_message(
            number=1, seq=2, hash=first.hash, created_at=first.created_at
        ),
        signature=first.signature,
        public_key=first.public_key,
    )
    write_entries(1)
    seal_all()
    assert checkpoint_create().number == 2


def test_checkpoint_of_the_empty_chain_and_since_checkpoint_mode():
    empty = checkpoint_create()
    assert (empty.seq, empty.hash) == (0, GENESIS_HASH)
    write_entries(5)
    seal_all()
    checkpoint_create()
    write_entries(2)
    seal_all()
    result = audit_verify(since_checkpoint=True)
    assert result.ok
    assert (result.start_seq, result.entries_checked) == (5, 2)


def test_unconfigured_key_refuses_to_sign(settings):
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = ""
    with pytest.raises(ImproperlyConfigured, match="AUDIT_SIGNING_KEY"):
        checkpoint_create()
    assert not AuditCheckpoint.objects.exists()


def test_entries_are_only_sealed_once_committed():
    """An entry of a rolled-back transaction never reaches the chain."""

    def fails() -> None:
        with transaction.atomic():
            write_entries(2)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        fails()
    write_entries(1)
    seal_all()
    assert AuditEntry.objects.count() == 1
    assert AuditSeal.objects.count() == 1
