"""The one write path of the audit trail."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model

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
    _ensure_in_transaction()
    entry = _build_entry(
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        changes=changes,
        reason=reason,
        actor_role=actor_role,
        actor_agency=actor_agency,
    )
    entry.save(force_insert=True)
    return entry


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


def _ensure_in_transaction() -> None:
    db = router.db_for_write(AuditEntry)
    if not connections[db].in_atomic_block:
        raise AuditOutsideTransaction(
            "audit_record() must run inside the transaction of the change it records."
        )


def _build_entry(
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
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) is not None else None
    return AuditEntry(
        actor=user,
        actor_label=actor.label,
        actor_role=actor_role,
        actor_agency=actor_agency,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        changes=changes or {},
        reason=reason,
        ip_address=actor.ip_address,
        request_id=actor.request_id,
        caused_by_request=actor.caused_by_request,
    )


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
