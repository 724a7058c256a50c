"""Helpers for the audit trail's tests: write entries, seal, tamper."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

import pytest

from audit.models import AuditEntry
from audit.sealing import audit_seal
from audit.services import audit_record

AUDIT_TABLES = ("audit_auditentry", "audit_auditseal", "audit_auditcheckpoint")


def write_entries(count: int, *, action: str = "test.change") -> list[AuditEntry]:
    """``count`` entries committed in one transaction (call outside a transaction
    in transactional tests)."""
    with transaction.atomic():
        return [
            audit_record(
                action=action,
                object_type="test.thing",
                object_id=i,
                changes={"n": [i, i + 1], "note": [None, f"ü-{i}"]},
                reason="test",
            )
            for i in range(count)
        ]


def seal_until(done: Callable[[], bool], *, timeout: float = 120.0) -> None:
    """Run the sealer until ``done()``. The PostgreSQL sealer waits for every older
    writing transaction on the server, and other test runs may share it (a
    migration of another test database holds one for a while); fails when
    ``done()`` never holds."""
    deadline = time.monotonic() + timeout
    while True:
        audit_seal()
        if done():
            return
        if time.monotonic() > deadline:
            pytest.fail("the sealer did not seal the expected entries in time")
        time.sleep(0.1)


def seal_all() -> None:
    """Seal until no committed entry is left unsealed."""
    seal_until(lambda: not AuditEntry.objects.filter(seal__isnull=True).exists())


@contextmanager
def tampering() -> Iterator:
    """A cursor for an attacker with full database access: on PostgreSQL the
    append-only triggers are disabled (as a superuser can) for the block."""
    postgres = connection.vendor == "postgresql"
    tables = AUDIT_TABLES if postgres else ()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        try:
            with transaction.atomic():
                yield cursor
        finally:
            for table in tables:
                cursor.execute(
                    f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"
                )
