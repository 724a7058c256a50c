"""The sealer: hashes committed audit entries into one chain, in commit order.

Entries are inserted inside business transactions, so ids are not commit order: a
transaction holding id 10 may commit after id 11. The sealer therefore seals only
entries whose transaction is certainly finished.

* PostgreSQL: a trigger stamps each entry with its inserting transaction
  (``txid``). Every transaction older than the sealer's snapshot ``xmin``
  (``pg_snapshot_xmin(pg_current_snapshot())``) has committed or rolled back, so the
  set of entries with ``txid < xmin`` can no longer grow. The sealer walks them in
  ``(txid, id)`` order from a cursor (the last sealed entry); an entry whose
  transaction is still open waits for a later run and is never skipped. A
  transaction left open anywhere on the server (any database) holds sealing back
  until it ends.
* SQLite: one writer at a time (IMMEDIATE transactions), so id order is commit
  order and the cursor is the last sealed id.

Each seal's hash is ``sha256(prev_hash || canonical_bytes(entry, seq))`` (hex). Runs
are serialised by an advisory lock (PostgreSQL) or SQLite's write lock, and the
unique ``seq``/``entry`` keys make a fork impossible even without them. Running the
sealer twice, or from two workers at once, seals each entry exactly once.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router, transaction

from .models import GENESIS_HASH, AuditEntry, AuditSeal

# pg_advisory_xact_lock key: the bytes b"auditSEA" as a bigint.
SEALER_LOCK_KEY = 0x6175_6469_7453_4541
CANONICAL_VERSION = "ptsp-audit/1"

# Columns of an entry, in the order canonical_bytes() reads them.
ENTRY_COLUMNS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "actor_role",
    "actor_agency",
    "action",
    "object_type",
    "object_id",
    "changes",
    "reason",
    "ip_address",
    "request_id",
    "caused_by_request",
)
ENTRY_SELECT = ", ".join(f"e.{c}" for c in ENTRY_COLUMNS)

_dumps = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
).encode
_loads = json.loads


def _instant(value: Any) -> str:
    # PostgreSQL returns aware datetimes (the connection runs in UTC); SQLite returns
    # Django's text form of naive UTC. Both become the same ISO string.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical_bytes(seq: int, row: Sequence[Any]) -> bytes:
    """The bytes a seal's hash covers: the chain position ``seq`` and every content
    column of the entry (``ENTRY_COLUMNS``, as read raw from the database), as
    compact JSON with sorted keys. ``changes`` is normalised (parsed and re-dumped),
    so the form does not depend on how a database prints JSON."""
    changes = row[9]
    if isinstance(changes, str):
        changes = _loads(changes)
    return _dumps(
        [
            CANONICAL_VERSION,
            seq,
            row[0],
            _instant(row[1]),
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            changes,
            row[10],
            row[11],
            row[12],
            row[13],
        ]
    ).encode()


def chain_hash(prev_hash: str, seq: int, row: Sequence[Any]) -> str:
    """``sha256(prev_hash || canonical_bytes(seq, row))`` as 64 hex digits."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical_bytes(seq, row))
    return digest.hexdigest()


def audit_seal(*, batch_size: int = 1000, max_batches: int | None = None) -> int:
    """Seal every entry whose transaction has finished; return how many were sealed.

    Each batch of up to ``batch_size`` entries is sealed in its own short
    transaction. Must be called outside any transaction (raises
    ``RuntimeError`` otherwise: the sealer has to see other transactions' commits).
    Safe to run twice and concurrently.
    """
    db = router.db_for_write(AuditSeal)
    if connections[db].in_atomic_block:
        raise RuntimeError("audit_seal() must run outside a transaction.")
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        sealed = _seal_batch(using=db, batch_size=batch_size)
        total += sealed
        batches += 1
        if sealed < batch_size:
            break
    return total


def _seal_batch(*, using: str, batch_size: int) -> int:
    connection = connections[using]
    vendor = connection.vendor
    with transaction.atomic(using=using, durable=True), connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK_KEY])
        head = (
            AuditSeal.objects.using(using)
            .order_by("-seq")
            .values_list("seq", "hash", "entry__txid", "entry_id")
            .first()
        )
        seq, prev_hash, last_txid, last_id = head or (0, GENESIS_HASH, None, 0)
        table = AuditEntry._meta.db_table
        if vendor == "postgresql":
            # One statement: the snapshot that decides which transactions are over
            # is the one that reads the rows.
            cursor.execute(
                f"SELECT {ENTRY_SELECT} FROM {table} e "  # noqa: S608
                "WHERE (e.txid, e.id) > (%s, %s) "
                "AND e.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint "
                "ORDER BY e.txid, e.id LIMIT %s",
                [-1 if last_txid is None else last_txid, last_id, batch_size],
            )
        elif vendor == "sqlite":
            cursor.execute(
                f"SELECT {ENTRY_SELECT} FROM {table} e "  # noqa: S608
                "WHERE e.id > %s ORDER BY e.id LIMIT %s",
                [last_id, batch_size],
            )
        else:  # pragma: no cover - the portal runs on PostgreSQL or SQLite only
            raise NotImplementedError(f"No audit sealer for {vendor}.")
        rows = cursor.fetchall()
        seals = []
        for row in rows:
            seq += 1
            digest = chain_hash(prev_hash, seq, row)
            seals.append(
                AuditSeal(seq=seq, entry_id=row[0], prev_hash=prev_hash, hash=digest)
            )
            prev_hash = digest
        AuditSeal.objects.using(using).bulk_create(seals)
    return len(seals)


def chain_head(*, using: str = "default") -> tuple[int, str]:
    """``(seq, hash)`` of the last seal; ``(0, GENESIS_HASH)`` for an empty chain."""
    head = AuditSeal.objects.using(using).order_by("-seq").values_list("seq", "hash")
    return head.first() or (0, GENESIS_HASH)
