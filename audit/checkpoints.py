"""Signed checkpoints of the seal chain, made daily and published.

A checkpoint states "after ``seq`` sealed entries the chain's hash was ``hash``",
signed with the portal's Ed25519 key (``audit.signing``). Someone with full
database access can rewrite an entry and recompute every later hash, but cannot
sign: verification (``audit.verification``) finds the recomputed chain disagreeing
with a checkpoint. Copies published outside the database (the public endpoint or
``manage.py audit_checkpoint --all``) also catch deleted checkpoints.
"""

from datetime import UTC
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from . import signing
from .models import AuditCheckpoint
from .sealing import chain_head

# pg_advisory_xact_lock key: the bytes b"auditCHK" as a bigint.
CHECKPOINT_LOCK_KEY = 0x6175_6469_7443_484B


def checkpoint_message(*, number: int, seq: int, hash: str, created_at) -> bytes:
    """The exact bytes signed for a checkpoint (``created_at`` in UTC, ISO 8601)."""
    instant = created_at.astimezone(UTC).isoformat(timespec="microseconds")
    return (
        f"ptsp-audit-checkpoint/1\nnumber={number}\nseq={seq}\n"
        f"hash={hash}\ncreated_at={instant}\n"
    ).encode()


def message_of(checkpoint: AuditCheckpoint) -> bytes:
    return checkpoint_message(
        number=checkpoint.number,
        seq=checkpoint.seq,
        hash=checkpoint.hash,
        created_at=checkpoint.created_at,
    )


@transaction.atomic(durable=True)
def checkpoint_create() -> AuditCheckpoint:
    """Sign the chain's current head and store it as the next checkpoint.

    Idempotent: when the latest checkpoint already covers the head, it is returned
    and nothing is written. Seal first (``audit_seal()``) to cover recent entries.
    Raises ``ImproperlyConfigured`` when no signing key is configured.
    """
    using = router.db_for_write(AuditCheckpoint)
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK_KEY])
    seq, head_hash = chain_head(using=using)
    latest = AuditCheckpoint.objects.using(using).order_by("-number").first()
    if latest is not None and latest.seq == seq and latest.hash == head_hash:
        return latest
    number = latest.number + 1 if latest else 1
    created_at = timezone.now()
    message = checkpoint_message(
        number=number, seq=seq, hash=head_hash, created_at=created_at
    )
    signature, public_key = signing.sign(message)
    return AuditCheckpoint.objects.using(using).create(
        number=number,
        seq=seq,
        hash=head_hash,
        created_at=created_at,
        signature=signature,
        public_key=public_key,
    )


def checkpoint_as_dict(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """The published form: every field, the signed message and the algorithm.

    ``{"number", "seq", "hash", "created_at", "signature", "public_key",
    "algorithm": "Ed25519", "message"}``; ``created_at`` is UTC ISO 8601.
    """
    return {
        "number": checkpoint.number,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "created_at": checkpoint.created_at.astimezone(UTC).isoformat(
            timespec="microseconds"
        ),
        "algorithm": "Ed25519",
        "public_key": checkpoint.public_key,
        "signature": checkpoint.signature,
        "message": message_of(checkpoint).decode(),
    }
