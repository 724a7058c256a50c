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

from django.db.models import Q, QuerySet


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


def paginate(queryset: QuerySet, key: SortKey, cursor: str | None, size: int) -> Page:
    """One page of ``queryset`` ordered by ``key`` after ``cursor``: one query
    (``size + 1`` rows fetched to know whether a next page exists). Raises
    ``BadCursor`` for a cursor it cannot read."""
    qs = queryset.order_by(*key.ordering)
    if cursor:
        value, pk = decode(cursor, key)
        op = "lt" if key.descending else "gt"
        # ``key >= v AND (key > v OR pk > id)``: the same rows as the row
        # comparison ``(key, pk) > (v, id)``, written so the first term is an
        # index range (``workspace`` migration 0002).
        qs = qs.filter(
            Q(**{f"{key.field}__{op}e": value}),
            Q(**{f"{key.field}__{op}": value}) | Q(**{f"pk__{op}": pk}),
        )
    rows = list(qs[: size + 1])
    nxt = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        nxt = encode(_value(last, key.field), last.pk)
    return Page(rows=rows, next_cursor=nxt)
