"""Bulk loading of generated rows: ``COPY … FROM STDIN`` on PostgreSQL (psycopg2
``copy_expert``), batched ``INSERT`` on SQLite. Each batch commits on its own, so
a long load shows progress and an interruption keeps what was loaded."""

import io
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connections, transaction

# Rows per COPY / INSERT batch (and per commit). Larger batches gain little.
BATCH_ROWS = {"postgresql": 50_000, "sqlite": 5_000}
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value.__class__ is not str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        else:
            value = str(value)
    # Most values need no escape; testing first is 3x faster than translating.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


class BulkLoader:
    """Append rows of ``columns`` to ``table``; call ``close()`` (or use ``with``)
    to flush the last batch. ``on_batch(n)`` is called after each committed
    batch with its row count (for progress bars). Values: ``None``, ``bool``,
    ``int``, ``str``, ``UUID``, aware ``datetime``, ``dict``/``list`` (JSON).

    Raises the driver's errors (e.g. ``IntegrityError`` for a duplicate key);
    batches committed before the error stay.
    """

    def __init__(
        self,
        table: str,
        columns: Sequence[str],
        *,
        using: str = "default",
        on_batch=None,
    ) -> None:
        self.connection = connections[using]
        self.using = using
        self.vendor = self.connection.vendor
        self.table = table
        self.columns = list(columns)
        self.batch_rows = BATCH_ROWS.get(self.vendor, 1_000)
        self.on_batch = on_batch
        self.rows: list[Sequence[Any]] = []
        self.written = 0

    def __enter__(self) -> "BulkLoader":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()

    def add(self, row: Sequence[Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_rows:
            self.flush()

    def close(self) -> None:
        self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        with transaction.atomic(using=self.using):
            if self.vendor == "postgresql":
                self._copy(rows)
            else:
                self._insert(rows)
        self.written += len(rows)
        if self.on_batch is not None:
            self.on_batch(len(rows))

    def _copy(self, rows: list[Sequence[Any]]) -> None:
        buffer = io.StringIO()
        write = buffer.write
        for row in rows:
            write("\t".join(map(_copy_text, row)))
            write("\n")
        buffer.seek(0)
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        # The driver's own cursor (Django's has no COPY), with Django's error
        # classes (an IntegrityError, not psycopg2's UniqueViolation).
        with self.connection.cursor() as cursor, self.connection.wrap_database_errors:
            cursor.cursor.copy_expert(
                f"COPY {quote(self.table)} ({names}) FROM STDIN", buffer
            )

    def _insert(self, rows: list[Sequence[Any]]) -> None:
        ops = self.connection.ops
        quote = ops.quote_name

        def adapt(value: Any) -> Any:
            if isinstance(value, datetime):
                return ops.adapt_datetimefield_value(value)
            if isinstance(value, uuid.UUID):
                return value.hex  # as Django stores UUIDField on SQLite
            if isinstance(value, (dict, list)):
                return json.dumps(value, ensure_ascii=False)
            return value

        names = ", ".join(quote(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})",  # noqa: S608
                [[adapt(v) for v in row] for row in rows],
            )
