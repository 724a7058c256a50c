"""The one write path of the audit trail."""

from typing import Any

from django.db import connections, router
from django.db.models import Model

from .context import current_actor
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
    db = router.db_for_write(AuditEntry)
    if not connections[db].in_atomic_block:
        raise AuditOutsideTransaction(
            "audit_record() must run inside the transaction of the change it records."
        )
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) is not None else None
    return AuditEntry.objects.create(
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


def field_changes(before: Model | None, after: Model, fields: list[str]) -> dict:
    """``{"field": [old, new]}`` for each of ``fields`` whose value differs.

    ``before`` is ``None`` for a creation (every non-empty field is reported).
    Values are taken with ``value_from_object`` and stringified when not JSON-native.
    """
    out: dict[str, list[Any]] = {}
    for name in fields:
        field = after._meta.get_field(name)
        new = field.value_from_object(after)
        old = field.value_from_object(before) if before is not None else None
        if old != new:
            out[name] = [_json(old), _json(new)]
    return out


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)
