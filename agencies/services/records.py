"""Audit records for plain edits (admin saves of calendars, holidays, offices)."""

from functools import cache

from django.db.models import Model

from audit.services import audit_record, field_changes


def _editable_fields(obj: Model) -> list[str]:
    return _editable_fields_of(type(obj))


@cache
def _editable_fields_of(model: type[Model]) -> list[str]:
    """Computed once per model: the field list is fixed after start-up."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in {"created_at", "updated_at"}
    ]


def record_change(
    *, obj: Model, before: Model | None, reason: str, extra: dict | None = None
) -> None:
    """Audit the creation (``before`` is ``None``) or update of ``obj``, already
    saved, as ``<model>.create`` / ``<model>.update`` with the changed fields.
    Must run inside the transaction that saved ``obj``; nothing is written when
    nothing changed."""
    changes = field_changes(before, obj, _editable_fields(obj))
    changes.update(extra or {})
    if before is not None and not changes:
        return
    action = "create" if before is None else "update"
    audit_record(
        action=f"{obj._meta.model_name}.{action}",
        obj=obj,
        changes=changes,
        reason=reason,
    )


def record_deletion(*, obj: Model, reason: str) -> None:
    """Audit the deletion of ``obj`` (call before deleting, in the same
    transaction), keeping its last field values."""
    audit_record(
        action=f"{obj._meta.model_name}.delete",
        obj=obj,
        changes=field_changes(None, obj, _editable_fields(obj)),
        reason=reason,
    )
