"""Bulk writes of audited models: refused unless they write their entries too.

``AuditedQuerySet.update()``, ``.bulk_update()`` and ``.delete()`` raise
``UnauditedWrite`` unless called through ``audited_update`` / ``audited_delete``,
which lock the rows, record one entry per changed row with before and after
values, and write, all in the caller's transaction. Single objects are saved as
usual and recorded by their service with ``audit_record``.

    with transaction.atomic():
        Service.objects.filter(agency=a).audited_update(
            action="service.deactivate", reason="Agency merged", is_active=False
        )
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.models import Model, QuerySet

from .registry import personal_fields
from .services import _ensure_in_transaction, _json, audit_record_many

CHUNK = 500
_bypass: ContextVar[bool] = ContextVar("audit_bulk_bypass", default=False)


class UnauditedWrite(RuntimeError):
    """A bulk update or delete of an audited model tried to skip the audit trail."""


@contextmanager
def _audited_write() -> Iterator[None]:
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def _refuse(model: type[Model], verb: str) -> None:
    if not _bypass.get():
        raise UnauditedWrite(
            f"{model._meta.label}.objects...{verb}() bypasses the audit trail; use "
            f"audited_{'delete' if verb == 'delete' else 'update'}() instead."
        )


class AuditedQuerySet(QuerySet):
    """QuerySet of an audited model: bulk writes only through the audit helpers."""

    def update(self, **kwargs: Any) -> int:
        _refuse(self.model, "update")
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        _refuse(self.model, "bulk_update")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse(self.model, "delete")
        return super().delete()

    delete.alters_data = True

    def audited_update(
        self, *, action: str, reason: str = "", personal: Iterable[str] = (), **values
    ) -> int:
        """See ``audited_update``."""
        return audited_update(
            self, action=action, reason=reason, personal=personal, **values
        )

    audited_update.alters_data = True

    def audited_delete(
        self, *, action: str, reason: str = "", personal: Iterable[str] = ()
    ) -> int:
        """See ``audited_delete``."""
        return audited_delete(self, action=action, reason=reason, personal=personal)

    audited_delete.alters_data = True


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):
    """Default manager for audited models (``objects = AuditedManager()``)."""


def _chunks(queryset: QuerySet) -> Iterator[list]:
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        yield pks[start : start + CHUNK]


def _personal(model: type[Model], extra: Iterable[str]) -> set[str]:
    names = set(personal_fields(model)) | set(extra)
    # Foreign keys are read by attname ("agency_id"); match either spelling.
    return names | {model._meta.get_field(n).attname for n in names}


def _value(obj_label: str, pk: Any, field: str, value: Any, personal: set[str]):
    if field in personal and value not in (None, ""):
        return {"ref": f"{obj_label}:{pk}#{field}"}
    return _json(value)


def audited_update(
    queryset: QuerySet,
    *,
    action: str,
    reason: str = "",
    personal: Iterable[str] = (),
    **values: Any,
) -> int:
    """``queryset.update(**values)`` that records one entry per changed row.

    Rows are locked in pk order (``select_for_update``), in chunks of 500; each
    entry's ``changes`` holds ``[before, after]`` of the updated fields (``after``
    read back, so expressions such as ``F("n") + 1`` are recorded as values);
    fields named in ``personal`` are recorded as references. Returns the number
    of rows updated; ``@audited(personal=...)`` fields count as ``personal``.
    Raises ``AuditOutsideTransaction`` outside a transaction.
    """
    _ensure_in_transaction()
    model = queryset.model
    label = model._meta.label_lower
    fields = [model._meta.get_field(name).attname for name in values]
    personal = _personal(model, personal)
    updated = 0
    for pks in _chunks(queryset.select_for_update()):
        scope = model._default_manager.filter(pk__in=pks)
        before = {row[0]: row[1:] for row in scope.values_list("pk", *fields)}
        with _audited_write():
            updated += scope.update(**values)
        after = scope.values_list("pk", *fields)
        records = []
        for pk, *new in after:
            old = before.get(pk, (None,) * len(fields))
            changes = {
                field: [
                    _value(label, pk, field, o, personal),
                    _value(label, pk, field, n, personal),
                ]
                for field, o, n in zip(fields, old, new, strict=True)
                if o != n
            }
            if changes:
                records.append(
                    {
                        "action": action,
                        "object_type": label,
                        "object_id": pk,
                        "changes": changes,
                        "reason": reason,
                    }
                )
        audit_record_many(records)
    return updated


def audited_delete(
    queryset: QuerySet,
    *,
    action: str,
    reason: str = "",
    personal: Iterable[str] = (),
) -> int:
    """``queryset.delete()`` that records one entry per deleted row, with the
    row's last values as ``[before, None]`` (``personal`` fields as references).

    Rows are locked in pk order first. Cascaded deletions of related rows are part
    of the recorded deletion (prefer ``PROTECT`` toward audited models). Returns
    the number of rows of ``queryset.model`` deleted. Raises
    ``AuditOutsideTransaction`` outside a transaction.
    """
    _ensure_in_transaction()
    model = queryset.model
    label = model._meta.label_lower
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    personal = _personal(model, personal)
    deleted = 0
    for pks in _chunks(queryset.select_for_update()):
        scope = model._default_manager.filter(pk__in=pks)
        records = [
            {
                "action": action,
                "object_type": label,
                "object_id": pk,
                "changes": {
                    field: [_value(label, pk, field, value, personal), None]
                    for field, value in zip(fields, row, strict=True)
                    if value not in (None, "")
                },
                "reason": reason,
            }
            for pk, *row in scope.values_list("pk", *fields)
        ]
        audit_record_many(records)
        with _audited_write():
            _total, per_model = scope.delete()
        deleted += per_model.get(model._meta.label, 0)
    return deleted
