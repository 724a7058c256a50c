"""Which models are audited, and which are deliberately not.

Every model of the portal's own apps is either registered with ``@audited`` (its
managers must return ``audit.bulk.AuditedQuerySet``, so that bulk ``update()`` and
``delete()`` refuse to run around the audit path) or exempted with
``@audit_exempt("reason")``. ``tests/audit/test_bulk.py`` enumerates the models
and fails on one that is neither, and on an audited model whose bulk writes slip
past the guard; ``manage.py check`` reports a registered model with a plain manager
(``audit.E002``).
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Model

_AUDITED: dict[str, type[Model]] = {}
_PERSONAL: dict[str, frozenset[str]] = {}
_EXEMPT: dict[str, str] = {
    "audit.auditentry": "The trail itself: append-only, guarded by triggers.",
    "audit.auditseal": "The trail's seal chain: insert-only, guarded by triggers.",
    "audit.auditcheckpoint": "Signed checkpoints: insert-only, guarded by triggers.",
}


def audited(model=None, *, personal: tuple[str, ...] = ()):
    """Class decorator: ``model``'s changes go through the audit trail.

    ``@audited`` or ``@audited(personal=("nik", "email"))``: ``personal`` fields are
    recorded as references, never values, by the bulk helpers and the admin.
    Give the model ``objects = AuditedManager()`` (or a manager built with
    ``.from_queryset(AuditedQuerySet)``) and ``Meta.base_manager_name = "objects"``.
    """

    def register(cls):
        _AUDITED[cls._meta.label_lower] = cls
        _PERSONAL[cls._meta.label_lower] = frozenset(personal)
        return cls

    return register(model) if model is not None else register


def personal_fields(model: type[Model]) -> frozenset[str]:
    """Fields of ``model`` declared personal with ``@audited(personal=...)``."""
    return _PERSONAL.get(model._meta.label_lower, frozenset())


def audit_exempt(reason: str):
    """Class decorator: ``model`` is deliberately not audited, for ``reason``
    (e.g. a cache or an outbox whose rows are not state changes)."""

    def register(cls):
        _EXEMPT[cls._meta.label_lower] = reason
        return cls

    return register


def audited_models() -> list[type[Model]]:
    """The registered models, in label order."""
    return [_AUDITED[label] for label in sorted(_AUDITED)]


def exempt_models() -> dict[str, str]:
    """``{label: reason}`` of the models deliberately not audited."""
    return dict(_EXEMPT)


def project_models() -> list[type[Model]]:
    """Every concrete model defined by the portal's own apps (not third parties)."""
    base = Path(settings.BASE_DIR).resolve()
    out = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(base) or ".venv" in path.parts:
            continue
        out.extend(
            m for m in config.get_models() if not m._meta.abstract and not m._meta.proxy
        )
    return out
