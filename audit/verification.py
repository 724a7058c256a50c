"""Verification of the seal chain and its signed checkpoints.

``audit_verify()`` streams the seals in ``seq`` order with a server-side cursor
(no COUNT over the table), recomputes each hash from the entry's content and the
previous hash, and compares the chain with every checkpoint whose signature is
valid under a trusted key. It reports the first broken entry:

* ``seq_gap``: a seal is missing (deleted);
* ``entry_missing``: a seal's entry is gone;
* ``prev_hash`` / ``hash``: a seal or its entry was altered in place;
* ``checkpoint_mismatch``: the chain was rewritten and every later hash recomputed,
  so it no longer matches what the portal signed; the entry named is the first one
  after the last checkpoint that still matched;
* ``checkpoint_*``: a checkpoint is forged, signed by an untrusted key, missing or
  points past the end of the chain.
"""

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import Q

from . import signing
from .checkpoints import message_of
from .models import GENESIS_HASH, AuditCheckpoint, AuditEntry, AuditSeal
from .sealing import canonical_sql, chain_hash

UNSEALED_LIMIT = 10_000
_FETCH = 10_000


@dataclass
class Problem:
    """One finding. ``seq``/``entry_id`` name the entry, ``checkpoint`` the number."""

    kind: str
    message: str
    seq: int | None = None
    entry_id: int | None = None
    checkpoint: int | None = None


@dataclass
class VerificationResult:
    """The outcome. ``first_broken`` is the first chain problem (or ``None``);
    ``unsealed`` counts entries not yet sealed, capped at ``UNSEALED_LIMIT`` + 1
    (the recent tail, normally a minute's worth); ``seconds`` is wall time."""

    ok: bool = True
    entries_checked: int = 0
    start_seq: int = 0
    last_seq: int = 0
    head_hash: str = GENESIS_HASH
    checkpoints_checked: int = 0
    latest_checkpoint: int | None = None
    unsealed: int = 0
    seconds: float = 0.0
    first_broken: Problem | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Entries verified per second."""
        return self.entries_checked / self.seconds if self.seconds else 0.0

    def add(self, problem: Problem) -> None:
        self.ok = False
        self.problems.append(problem)
        if self.first_broken is None and problem.entry_id is not None:
            self.first_broken = problem

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rate"] = round(self.rate)
        data["seconds"] = round(self.seconds, 3)
        return data


@dataclass
class _Expected:
    number: int
    hash: str
    source: str


def audit_verify(
    *,
    since_checkpoint: bool = False,
    published: list[dict[str, Any]] | None = None,
    using: str | None = None,
) -> VerificationResult:
    """Verify the seal chain and the checkpoints; never writes.

    ``since_checkpoint`` starts from the latest checkpoint with a valid signature
    (fast, for the API) instead of the first seal. ``published`` adds checkpoints
    kept outside the database (dicts as printed by ``audit_checkpoint --all``):
    they must be in the database unchanged and match the chain too.
    """
    using = using or router.db_for_read(AuditSeal)
    started = time.perf_counter()
    result = VerificationResult()
    expected = _checkpoints(result, published or [], using=using)

    start_seq, prev = 0, GENESIS_HASH
    if since_checkpoint:
        usable = [(seq, e) for seq, es in expected.items() for e in es if seq > 0]
        if usable:
            start_seq, start = max(usable, key=lambda item: item[0])
            prev = start.hash
    result.start_seq = start_seq
    _walk(result, expected, start_seq=start_seq, prev=prev, using=using)
    if result.first_broken is None:
        for seq, entries in sorted(expected.items()):
            if seq > result.last_seq:
                for cp in entries:
                    result.add(
                        Problem(
                            kind="checkpoint_beyond_chain",
                            message=(
                                f"Checkpoint {cp.number} ({cp.source}) covers "
                                f"#{seq} but the chain ends at #{result.last_seq}: "
                                "sealed entries were deleted."
                            ),
                            checkpoint=cp.number,
                        )
                    )
    result.unsealed = _unsealed(using=using)
    result.seconds = time.perf_counter() - started
    return result


def _checkpoints(
    result: VerificationResult, published: list[dict[str, Any]], *, using: str
) -> dict[int, list[_Expected]]:
    trusted = signing.trusted_public_keys()
    expected: dict[int, list[_Expected]] = {}
    stored = {}
    for number, cp in enumerate(
        AuditCheckpoint.objects.using(using).order_by("number"), start=1
    ):
        stored[cp.number] = cp
        result.checkpoints_checked += 1
        result.latest_checkpoint = cp.number
        if cp.number != number:
            result.add(
                Problem(
                    kind="checkpoint_gap",
                    message=f"Checkpoint {number} is missing (next is {cp.number}).",
                    checkpoint=number,
                )
            )
        if _signed(result, cp.number, message_of(cp), cp, trusted, "database"):
            expected.setdefault(cp.seq, []).append(
                _Expected(cp.number, cp.hash, "database")
            )
    for item in published:
        result.checkpoints_checked += 1
        number, seq, digest = int(item["number"]), int(item["seq"]), item["hash"]
        message = str(item["message"]).encode()
        if not _signed(result, number, message, _Obj(item), trusted, "published"):
            continue
        if f"\nseq={seq}\nhash={digest}\n" not in item["message"]:
            result.add(
                Problem(
                    kind="checkpoint_signature",
                    message=f"Published checkpoint {number}: fields differ from "
                    "the signed message.",
                    checkpoint=number,
                )
            )
            continue
        own = stored.get(number)
        if own is None or own.seq != seq or own.hash != digest:
            result.add(
                Problem(
                    kind="checkpoint_missing",
                    message=f"Published checkpoint {number} is missing or different "
                    "in the database.",
                    checkpoint=number,
                )
            )
        expected.setdefault(seq, []).append(_Expected(number, digest, "published"))
    return expected


class _Obj:
    def __init__(self, item: dict[str, Any]) -> None:
        self.signature = item["signature"]
        self.public_key = item["public_key"]


def _signed(result, number, message, cp, trusted, source) -> bool:
    if cp.public_key not in trusted:
        result.add(
            Problem(
                kind="checkpoint_untrusted_key",
                message=f"Checkpoint {number} ({source}) is signed by a key the "
                "portal does not trust.",
                checkpoint=number,
            )
        )
        return False
    if not signing.signature_valid(
        message=message, signature=cp.signature, public_key=cp.public_key
    ):
        result.add(
            Problem(
                kind="checkpoint_signature",
                message=f"Checkpoint {number} ({source}) has an invalid signature.",
                checkpoint=number,
            )
        )
        return False
    return True


def _walk(
    result: VerificationResult,
    expected: dict[int, list[_Expected]],
    *,
    start_seq: int,
    prev: str,
    using: str,
) -> None:
    seal_table = AuditSeal._meta.db_table
    entry_table = AuditEntry._meta.db_table
    connection = connections[using]
    sql = (
        f"SELECT s.seq, s.prev_hash, s.hash, s.entry_id, e.id, "  # noqa: S608
        f"{canonical_sql(connection.vendor)} "
        f"FROM {seal_table} s LEFT JOIN {entry_table} e ON e.id = s.entry_id "
        "WHERE s.seq > %s ORDER BY s.seq LIMIT %s"
    )
    good_seq = start_seq  # last seq known to match a checkpoint (or the start)
    expect = start_seq + 1
    batches = _batches(connection, sql, start_seq=start_seq)
    with contextlib.closing(batches):
        for rows in batches:
            for seq, prev_hash, stored, entry_id, found, content in rows:
                problem = None
                if seq != expect:
                    problem = Problem(
                        "seq_gap",
                        f"Seal #{expect} is missing; the chain resumes at #{seq}.",
                    )
                elif found is None:
                    problem = Problem("entry_missing", f"Entry of seal #{seq} is gone.")
                elif prev_hash != prev:
                    problem = Problem(
                        "prev_hash", f"Seal #{seq} does not follow seal #{seq - 1}."
                    )
                else:
                    digest = chain_hash(prev, seq, content)
                    if digest != stored:
                        problem = Problem(
                            "hash",
                            f"Entry {entry_id} (seal #{seq}) was altered after "
                            "sealing.",
                        )
                if problem is not None:
                    problem.seq, problem.entry_id = seq, entry_id
                    result.add(problem)
                    return
                prev = digest
                expect += 1
                result.entries_checked += 1
                result.last_seq, result.head_hash = seq, digest
                if seq in expected:
                    for cp in expected[seq]:
                        if cp.hash != digest:
                            first = _entry_at(good_seq + 1, using=using)
                            result.add(
                                Problem(
                                    "checkpoint_mismatch",
                                    f"The chain at #{seq} differs from signed "
                                    f"checkpoint {cp.number} ({cp.source}): an "
                                    f"entry between #{good_seq + 1} and #{seq} was "
                                    "rewritten and later hashes recomputed.",
                                    seq=good_seq + 1,
                                    entry_id=first,
                                    checkpoint=cp.number,
                                )
                            )
                            return
                    good_seq = seq
    if start_seq == 0:
        for cp in expected.get(0, []):
            if cp.hash != GENESIS_HASH:
                result.add(
                    Problem(
                        "checkpoint_mismatch",
                        f"Checkpoint {cp.number} of the empty chain has a wrong hash.",
                        checkpoint=cp.number,
                    )
                )


def _batches(connection, sql: str, *, start_seq: int) -> Iterator[list]:
    """Batches of ``_FETCH`` rows in ``seq`` order, by keyset paging (each query an
    index range scan; no sort of the whole table, no COUNT). On PostgreSQL the
    next batch is fetched in a thread while this one is hashed, so the server
    renders rows while Python hashes (the driver releases the GIL while it waits).
    """
    if connection.vendor != "postgresql":
        after = start_seq
        with connection.cursor() as cursor:
            while True:
                cursor.execute(sql, [after, _FETCH])
                rows = cursor.fetchall()
                if not rows:
                    return
                yield rows
                after = rows[-1][0]
    connection.ensure_connection()
    raw = connection.connection  # the driver's connection; only `fetch` uses it
    batches: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def fetch() -> None:
        after = start_seq
        try:
            with raw.cursor() as cursor:
                # Parallel workers only add start-up time to a page of 10,000
                # rows: with them a page took 1.7x as long (bench, scenario 5b).
                cursor.execute("SET max_parallel_workers_per_gather = 0")
                try:
                    while not stop.is_set():
                        cursor.execute(sql, [after, _FETCH])
                        rows = cursor.fetchall()
                        batches.put(rows)
                        if not rows:
                            return
                        after = rows[-1][0]
                finally:
                    with contextlib.suppress(Exception):  # a broken link stays broken
                        cursor.execute("RESET max_parallel_workers_per_gather")
        except BaseException as exc:  # handed to the consumer
            batches.put(exc)

    worker = threading.Thread(target=fetch, name="audit-verify-fetch", daemon=True)
    worker.start()
    try:
        while True:
            rows = batches.get()
            if isinstance(rows, BaseException):
                raise rows
            if not rows:
                return
            yield rows
    finally:
        stop.set()
        while worker.is_alive():  # unblock a fetcher waiting on a full queue
            with contextlib.suppress(queue.Empty):
                batches.get(timeout=0.1)
        worker.join()


def _entry_at(seq: int, *, using: str) -> int | None:
    return (
        AuditSeal.objects.using(using)
        .filter(seq=seq)
        .values_list("entry_id", flat=True)
        .first()
    )


def _unsealed(*, using: str) -> int:
    head = (
        AuditSeal.objects.using(using)
        .order_by("-seq")
        .values_list("entry__txid", "entry_id")
        .first()
    )
    last_txid, last_id = head or (None, 0)
    tail = AuditEntry.objects.using(using)
    if connections[using].vendor == "postgresql" and last_txid is not None:
        tail = tail.filter(Q(txid__gt=last_txid) | Q(txid=last_txid, id__gt=last_id))
    else:
        tail = tail.filter(id__gt=last_id)
    return tail[: UNSEALED_LIMIT + 1].count()
