"""System checks of the audit trail."""

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from .bulk import AuditedQuerySet
from .registry import audited_models


@register(Tags.security)
def check_signing_key(app_configs, **kwargs):
    """The checkpoint key must load (a key that is set but unreadable fails here,
    not at midnight when the daily checkpoint is signed)."""
    from . import signing

    try:
        signing.signing_key()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Set AUDIT_SIGNING_KEY (see .env.example; "
                "`manage.py audit_keygen` makes one).",
                id="audit.E001",
            )
        ]
    return []


@register(Tags.models)
def check_audited_managers(app_configs, **kwargs):
    """Every manager of an audited model, the base manager included, must return an
    ``AuditedQuerySet``: otherwise a bulk write could bypass the trail."""
    errors = []
    for model in audited_models():
        managers = [*model._meta.managers, model._base_manager]
        for manager in managers:
            if not isinstance(manager.get_queryset(), AuditedQuerySet):
                errors.append(
                    Error(
                        f"{model._meta.label}.{manager.name or 'base manager'} "
                        "does not return an AuditedQuerySet.",
                        hint="Use audit.bulk.AuditedManager and Meta.base_manager_name "
                        '= "objects".',
                        obj=model,
                        id="audit.E002",
                    )
                )
    return errors
