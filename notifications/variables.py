"""Template variables: only plain values cross from the caller to a template.

A notification's ``context`` is stored as JSON on the outbox row and rendered later
by a worker, so it may hold only ``str``, ``int``, ``float``, ``bool``, ``None``,
``Decimal`` (amounts in IDR), ``date`` and aware ``datetime`` (rendered in WIB in the
recipient's language). Model instances and other objects are refused: a template
can then never reach a method or a related object (safe variables by construction).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone


class UnsafeVariable(TypeError):
    """A context value is not a plain value (see the module docstring)."""


def context_encode(context: dict[str, Any]) -> dict[str, Any]:
    """Return ``context`` as JSON-native values, tagging dates and decimals.

    Raises ``UnsafeVariable`` for any other type and ``ValueError`` for a naive
    ``datetime`` (the portal stores aware UTC instants only).
    """
    return {str(key): _encode(key, value) for key, value in context.items()}


def context_decode(stored: dict[str, Any]) -> dict[str, Any]:
    """Inverse of ``context_encode``: tagged values become ``datetime``/``date``/
    ``Decimal`` again."""
    return {key: _decode(value) for key, value in stored.items()}


def _encode(key: str, value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError(f"Variable {key!r} is a naive datetime; pass aware UTC.")
        return {"$datetime": value.astimezone(dt.UTC).isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise UnsafeVariable(
        f"Variable {key!r} is a {type(value).__name__}; pass a plain value "
        "(str, int, Decimal, date, aware datetime), never an object."
    )


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$datetime":
            return dt.datetime.fromisoformat(raw)
        if tag == "$date":
            return dt.date.fromisoformat(raw)
        if tag == "$decimal":
            return Decimal(raw)
    return value
