"""Keyset (cursor) pagination of the HTML queue.

A page is "rows after this row in this order": the cursor holds the sort value
and the primary key of the last row shown, so ``WHERE (key, pk) > (v, id)
ORDER BY key, pk LIMIT n`` costs the same on page 1000 as on page 1 (an
``OFFSET`` scans every row before it). Ties on the sort value are broken by the
primary key in the same direction. The API uses DRF's ``CursorPagination``.
"""

import base64
import binascii
import dataclasses
import datetime as dt
import json

from django.db.models import BooleanField, F, Func, QuerySet, Value


class BadCursor(ValueError):
    """The cursor was not made by ``encode`` (tampered or truncated)."""


@dataclasses.dataclass(frozen=True)
class SortKey:
    """Order by ``field`` (then ``pk``), ascending or descending; ``kind`` is
    ``"datetime"`` or ``"str"`` and says how the cursor value is read back."""

    field: str
    descending: bool = False
    kind: str = "str"

    @property
    def ordering(self) -> tuple[str, str]:
        sign = "-" if self.descending else ""
        return (f"{sign}{self.field}", f"{sign}pk")


def encode(value, pk: int) -> str:
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, key: SortKey):
    """``(value, pk)`` from ``cursor``; raises ``BadCursor``."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        pk = int(pk)
        if key.kind == "datetime":
            value = dt.datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise BadCursor("naive instant")
        elif not isinstance(value, str):
            raise BadCursor("not a string")
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as error:
        raise BadCursor(str(error)) from error
    return value, pk


class RowAfter(Func):
    """``(a, b, …) > (x, y, …)`` (``<`` with ``descending``): the SQL row
    comparison, true for rows after ``(x, y, …)`` in the order ``a, b, …``.

    PostgreSQL (and SQLite 3.15+) compare rows lexicographically, and a B-tree
    index on ``(…equal columns, a, b)`` takes the comparison as its scan's
    start: the page is an index range of ``size`` rows, wherever it starts.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, left, right, *, descending: bool = False) -> None:
        if len(left) != len(right):
            raise ValueError("RowAfter: both rows need as many members.")
        self.operator = "<" if descending else ">"
        super().__init__(*left, *right)

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, more = compiler.compile(expression)
            parts.append(sql)
            params.extend(more)
        half = len(parts) // 2
        left, right = ", ".join(parts[:half]), ", ".join(parts[half:])
        return f"(({left}) {self.operator} ({right}))", params


@dataclasses.dataclass
class Page:
    """``rows`` of one page and the cursor of the next (``None`` at the end)."""

    rows: list
    next_cursor: str | None


def _value(row, field: str):
    obj = row
    for part in field.split("__"):
        obj = getattr(obj, part)
    return obj


def after(queryset: QuerySet, key: SortKey, cursor: str | None) -> QuerySet:
    """``queryset`` in ``key``'s order, from the row after ``cursor`` (all
    rows for ``None``), unsliced. Raises ``BadCursor`` for a cursor it cannot
    read."""
    qs = queryset.order_by(*key.ordering)
    if cursor:
        value, pk = decode(cursor, key)
        # ``(key, pk) > (v, id)``, the row comparison of the hand-written
        # SQL: with the partial indexes of ``workspace`` migration 0002 it is
        # the index scan's start, so page 1000 reads as few rows as page 1.
        qs = qs.filter(
            RowAfter(
                (F(key.field), F("pk")),
                (Value(value), Value(pk)),
                descending=key.descending,
            )
        )
    return qs


def paginate(queryset: QuerySet, key: SortKey, cursor: str | None, size: int) -> Page:
    """One page of ``queryset`` ordered by ``key`` after ``cursor``: one query
    (``size + 1`` rows fetched to know whether a next page exists). Raises
    ``BadCursor`` for a cursor it cannot read."""
    rows = list(after(queryset, key, cursor)[: size + 1])
    nxt = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        nxt = encode(_value(last, key.field), last.pk)
    return Page(rows=rows, next_cursor=nxt)
