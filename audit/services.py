"""The one write path of the audit trail."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from .context import audit_actor, current_actor
from .models import AuditEntry


class AuditOutsideTransaction(RuntimeError):
    """``audit_record`` was called outside a transaction: the entry could survive a
    rolled-back change, so it is refused."""


def audit_record(
    *,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    actor_role: str = "",
    actor_agency: str = "",
) -> AuditEntry:
    """Record ``action`` (e.g. ``"service.update"``) on ``obj`` in the current
    transaction and return the entry.

    ``obj`` gives ``object_type`` (``app_label.model``) and ``object_id`` (its pk)
    unless they are passed. ``changes`` is ``{"field": [before, after]}`` with
    JSON-serialisable values; pass references, not values, for personal data. The
    actor, IP address and request id come from ``audit.context``.

    Raises ``AuditOutsideTransaction`` when no transaction is open: the caller's
    change and its entry must commit or roll back together.
    """
    connection = _ensure_in_transaction()
    values = _entry_values(
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        changes=changes,
        reason=reason,
        actor_role=actor_role,
        actor_agency=actor_agency,
    )
    return _insert(connection, values)


#: The columns ``audit_record`` writes, in ``AuditEntry``'s field order; the
#: ``id`` comes back from the INSERT and ``txid`` is the trigger's.
_FIELDS = tuple(AuditEntry._meta.concrete_fields)
_WRITTEN = tuple(f for f in _FIELDS if f.attname not in {"id", "txid"})


@cache
def _insert_sql(vendor: str, returning: bool) -> str:
    """One INSERT of one entry, built once per database vendor."""
    del vendor  # in the key: each vendor's connection has its own statement
    # Quoted the standard way, as Django does on PostgreSQL and SQLite.
    columns = ", ".join(f'"{f.column}"' for f in _WRITTEN)
    marks = ", ".join(["%s"] * len(_WRITTEN))
    table = f'"{AuditEntry._meta.db_table}"'
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    return sql + " RETURNING id" if returning else sql


def _insert(connection, values: dict[str, Any]) -> AuditEntry:
    """Write one entry with an INSERT built once per vendor (not a server-side
    prepared statement) and return it as a saved ``AuditEntry``. The model's
    ``save()`` (signals, the compiler, the instance's state checks) cost about
    0.6 ms a write, more than the INSERT itself (``bench/findings.md``, 5c);
    the values are prepared by the fields themselves, so what is stored is
    what ``save()`` would store."""
    params = [f.get_db_prep_save(values[f.attname], connection) for f in _WRITTEN]
    returning = connection.features.can_return_columns_from_insert
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor, returning), params)
        if returning:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, AuditEntry._meta.db_table, "id")
    values = {**values, "id": pk, "txid": None}  # txid: not read back, as save()
    entry = AuditEntry.from_db(
        connection.alias, None, [values[f.attname] for f in _FIELDS]
    )
    if values["actor"] is not None:
        entry.actor = values["actor"]  # as save() left it: no query to read it
    return entry


def audit_insert_from(
    *,
    action: str,
    object_type: str,
    source: str,
    object_id: str,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    prefix: str = "audit",
) -> tuple[str, dict[str, Any]]:
    """An ``INSERT`` of one entry per row of ``source``, for a caller that
    writes its change and the entry in one statement (a data-modifying CTE:
    ``queueing.calling``, the hottest path): returns ``(sql, params)``, the SQL
    with named placeholders ``%(<prefix>_<n>)s`` to merge into the caller's.

    ``source`` is a relation of the caller's statement (a CTE name) and
    ``object_id`` an SQL expression over its columns (e.g. ``"taken.id"``; it
    is stored as text). Every other column is ``audit_record``'s, prepared by
    the model's own fields, so the stored row is the one ``audit_record``
    would write; ``RETURNING id``. The values are read now (actor, IP address,
    request id, ``occurred_at``). Raises ``AuditOutsideTransaction`` outside a
    transaction, as ``audit_record``: the caller's statement must run in it.
    """
    connection = _ensure_in_transaction()
    values = _entry_values(
        action=action, object_type=object_type, changes=changes, reason=reason
    )
    params: dict[str, Any] = {}
    expressions = []
    for number, f in enumerate(_WRITTEN):
        if f.attname == "object_id":
            expressions.append(f"({object_id})::text")
            continue
        key = f"{prefix}_{number}"
        params[key] = f.get_db_prep_save(values[f.attname], connection)
        expressions.append(f"%({key})s")
    columns = ", ".join(f'"{f.column}"' for f in _WRITTEN)
    table = f'"{AuditEntry._meta.db_table}"'
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {', '.join(expressions)} "  # noqa: S608
        f"FROM {source} RETURNING id"
    )
    return sql, params


def audit_record_many(records: Iterable[dict[str, Any]]) -> int:
    """Record several entries at once (one INSERT per 500), each ``record`` holding
    ``audit_record``'s keyword arguments; returns how many were written.

    Used by the bulk helpers (``audit.bulk``) for updates of many rows. Same rules
    as ``audit_record``: raises ``AuditOutsideTransaction`` outside a transaction.
    """
    _ensure_in_transaction()
    entries = [_build_entry(**record) for record in records]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def _ensure_in_transaction():
    """The connection the entries go to; raises ``AuditOutsideTransaction``
    when it has no transaction open."""
    connection = connections[router.db_for_write(AuditEntry)]
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            "audit_record() must run inside the transaction of the change it records."
        )
    return connection


def _build_entry(**kwargs: Any) -> AuditEntry:
    values = _entry_values(**kwargs)
    del values["actor_id"]  # ``actor`` sets it
    return AuditEntry(**values)


def _entry_values(
    *,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    actor_role: str = "",
    actor_agency: str = "",
) -> dict[str, Any]:
    """The new entry's field values by attribute name (``actor`` the user
    itself and ``actor_id`` its pk)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) is not None else None
    return {
        "occurred_at": timezone.now(),
        "actor": user,
        "actor_id": user.pk if user is not None else None,
        "actor_label": actor.label,
        "actor_role": actor_role,
        "actor_agency": actor_agency,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id) if object_id != "" else "",
        "changes": changes or {},
        "reason": reason,
        "ip_address": actor.ip_address,
        "request_id": actor.request_id,
        "caused_by_request": actor.caused_by_request,
    }


def field_changes(
    before: Model | None,
    after: Model,
    fields: list[str],
    *,
    personal: Iterable[str] = (),
) -> dict:
    """``{"field": [old, new]}`` for each of ``fields`` whose value differs.

    ``before`` is ``None`` for a creation (every non-empty field is reported).
    Values are taken with ``value_from_object``; aware datetimes become UTC ISO 8601,
    other values not native to JSON are stringified.
    Fields named in ``personal`` (NIK, e-mail, password) are reported as references
    (``{"ref": "accounts.user:12#email"}``) on both sides, never as values.
    """
    personal = set(personal)
    out: dict[str, list[Any]] = {}
    for name in fields:
        field = after._meta.get_field(name)
        new = field.value_from_object(after)
        old = field.value_from_object(before) if before is not None else None
        if old != new:
            if name in personal:
                ref = personal_ref(after, name)
                out[name] = [ref if old not in (None, "") else None, ref]
            else:
                out[name] = [_json(old), _json(new)]
    return out


def personal_ref(obj: Model, field: str) -> dict[str, str]:
    """What is stored instead of a personal value: ``{"ref": "label:pk#field"}``."""
    return {"ref": f"{obj._meta.label_lower}:{obj.pk}#{field}"}


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str, dict)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_json(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()  # one form, whatever the input zone
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def audit_record_standalone(**kwargs: Any) -> AuditEntry:
    """``audit_record`` in a transaction of its own, for events that are not part of a
    business change (logins, permission denials). Joins the caller's transaction
    when one is open, so it still never outlives a rolled-back change."""
    with transaction.atomic(using=router.db_for_write(AuditEntry)):
        return audit_record(**kwargs)


def audit_access_denied(*, request, status: int = 403, detail: str = "") -> None:
    """Record a refused request (HTTP 403) as ``access.denied`` on the path.

    Called by the 403 handler and the API's exception handler. The actor is the
    request's user (or anonymous); ``changes`` holds method, path and status.
    """
    user = getattr(request, "user", None)
    with audit_actor(user=user if user is not None and user.is_authenticated else None):
        audit_record_standalone(
            action="access.denied",
            object_type="http.path",
            object_id=request.path[:64],
            changes={
                "method": [None, request.method],
                "path": [None, request.path[:300]],
                "status": [None, status],
            },
            reason=detail[:500],
        )
