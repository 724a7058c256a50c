"""Service definitions: identity updates and new immutable versions."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.choices import FeeType, SlaBasis, StepKind, VersionOrigin
from agencies.models import Agency, Service, ServiceStep, ServiceVersion
from audit.services import audit_record, field_changes

# The content of a version (everything but identity and bookkeeping).
VERSION_FIELDS = [
    "name",
    "name_en",
    "requirements",
    "eligibility",
    "sla_value",
    "sla_unit",
    "sla_basis",
    "sla_provisional",
    "sla_clock_start",
    "sla_note",
    "sla_note_en",
    "fee_type",
    "fee_amount",
    "fee_rule",
    "fee_rule_en",
    "fee_exemptions",
    "validity_text",
    "validity_text_en",
    "validity_months",
    "legal_basis",
    "sources",
    "confidence",
    "notes",
    "notes_en",
    "volume_note",
    "form_schema",
]
STEP_FIELDS = [
    "name",
    "name_en",
    "kind",
    "agency",
    "role",
    "external_system",
    "pauses_sla",
    "sla_value",
    "sla_unit",
    "parallel_group",
]
IDENTITY_FIELDS = [
    "agency",
    "issuer_agency",
    "issuer_system",
    "issuer_text",
    "category",
    "applicant_type",
    "is_published",
]


def version_content(version: ServiceVersion | None) -> dict[str, Any]:
    """``VERSION_FIELDS`` of ``version`` as a dict (``{}`` for ``None``)."""
    if version is None:
        return {}
    return {name: getattr(version, name) for name in VERSION_FIELDS}


def step_content(version: ServiceVersion | None) -> list[dict[str, Any]]:
    """The steps of ``version`` as dicts of ``STEP_FIELDS`` (``agency`` is the
    ``Agency`` instance or ``None``), in order."""
    if version is None:
        return []
    steps = version.steps.select_related("agency").order_by("order")
    return [{name: getattr(step, name) for name in STEP_FIELDS} for step in steps]


def _check_steps(steps: list[dict[str, Any]]) -> None:
    """Rules a step list must follow beyond the row constraints. Raises
    ``ValidationError`` with a message naming the step."""
    if not steps:
        raise ValidationError(_("A service needs at least one step."))
    closed: set[str] = set()
    previous = ""
    counts: dict[str, int] = {}
    for number, step in enumerate(steps, start=1):
        group = step.get("parallel_group") or ""
        if previous and group != previous:
            closed.add(previous)
        if group and group in closed:
            raise ValidationError(
                _("Step %(number)s: parallel group “%(group)s” must be contiguous.")
                % {"number": number, "group": group}
            )
        if group:
            counts[group] = counts.get(group, 0) + 1
        previous = group
    for group, count in counts.items():
        if count < 2:
            raise ValidationError(
                _("Parallel group “%(group)s” has only one step.") % {"group": group}
            )


def _check_version_rules(version: ServiceVersion) -> None:
    """The ``ServiceVersion`` check constraints, with readable messages."""
    if not version.sla_value:
        raise ValidationError({"sla_value": _("The service level must be at least 1.")})
    if version.fee_type == FeeType.FREE and version.fee_amount:
        raise ValidationError({"fee_amount": _("A free service has no amount.")})


def _check_step_rules(step: ServiceStep) -> None:
    """The ``ServiceStep`` check constraints, with readable messages."""
    if step.kind == StepKind.AGENCY and (step.agency_id is None or not step.role):
        raise ValidationError(_("An agency step needs an agency and a role."))
    if step.kind == StepKind.APPLICANT and step.agency_id is not None:
        raise ValidationError(_("An applicant step has no agency."))
    if step.kind == StepKind.EXTERNAL_SYSTEM and not step.external_system:
        raise ValidationError(_("An external-system step names its system."))
    if (step.sla_value is None) != (not step.sla_unit):
        raise ValidationError(_("A step service level needs a value and a unit."))


def _service_version_create(
    *,
    service: Service,
    fields: dict[str, Any],
    steps: list[dict[str, Any]],
    origin: str,
    reason: str,
    user=None,
    source_digest: str = "",
) -> ServiceVersion:
    """Create version N+1 of ``service`` with ``fields`` (keys of
    ``VERSION_FIELDS``; missing keys are copied from the current version) and
    ``steps`` (dicts of ``STEP_FIELDS``, ``agency`` an ``Agency`` or ``None``, in
    order), make it current and audit it as ``service_version.create``.

    Runs inside the caller's transaction; locks the service row. Raises
    ``ValidationError`` (nothing written) when a field or step breaks a rule.
    """
    if not reason.strip():
        raise ValidationError(_("Give a reason for the change."))
    service = Service.objects.select_for_update().get(pk=service.pk)
    previous = service.current_version
    content = {**version_content(previous), **fields}
    last = service.versions.order_by("-number").values_list("number", flat=True).first()
    version = ServiceVersion(
        service=service,
        number=(last or 0) + 1,
        origin=origin,
        source_digest=source_digest,
        change_reason=reason,
        created_by=user if getattr(user, "pk", None) else None,
        **content,
    )
    # Field validation here; the row rules are checked in Python (cheaper than
    # Django's per-constraint queries) and enforced again by the database.
    version.full_clean(exclude=["service", "created_by"], validate_constraints=False)
    _check_version_rules(version)
    _check_steps(steps)
    step_rows = []
    for order, step in enumerate(steps):
        row = ServiceStep(version=version, order=order, **step)
        if row.kind == StepKind.APPLICANT:
            row.role = ""
        try:
            row.full_clean(
                exclude=["version"], validate_unique=False, validate_constraints=False
            )
            _check_step_rules(row)
        except ValidationError as exc:
            raise ValidationError(
                _("Step %(number)s: %(errors)s")
                % {"number": order + 1, "errors": "; ".join(exc.messages)}
            ) from exc
        step_rows.append(row)
    version.save()
    for row in step_rows:
        row.version = version
    ServiceStep.objects.bulk_create(step_rows)
    service.current_version = version
    service.save(update_fields=["current_version", "updated_at"])
    changes = field_changes(previous, version, VERSION_FIELDS)
    old_steps = _steps_json(step_content(previous))
    new_steps = _steps_json(steps)
    if old_steps != new_steps:
        changes["steps"] = [old_steps, new_steps]
    changes["number"] = [previous.number if previous else None, version.number]
    audit_record(
        action="service_version.create", obj=version, changes=changes, reason=reason
    )
    return version


def _steps_json(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        item = dict(step)
        agency = item.get("agency")
        item["agency"] = agency.code if isinstance(agency, Agency) else agency
        out.append(item)
    return out


@transaction.atomic(durable=True)
def service_version_create(**kwargs) -> ServiceVersion:
    """Entry point for :func:`_service_version_create` (same arguments)."""
    return _service_version_create(**kwargs)


def _service_update(
    *, service: Service, data: dict[str, Any], reason: str, before: Service | None
) -> Service:
    """Save ``service`` with its identity fields (``IDENTITY_FIELDS``) set from
    ``data`` and audit the change as ``service.update`` (``service.create`` when
    ``before`` is ``None``). These fields are not versioned: routing uses the
    version's steps. Raises ``ValidationError`` for a blank reason."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for the change."))
    for name, value in data.items():
        if name not in IDENTITY_FIELDS and name != "code":
            raise ValueError(f"{name} is not an identity field of a service.")
        setattr(service, name, value)
    service.full_clean(exclude=["current_version"])
    service.save()
    changes = field_changes(before, service, ["code", *IDENTITY_FIELDS])
    if before is None or changes:
        audit_record(
            action="service.create" if before is None else "service.update",
            obj=service,
            changes=changes,
            reason=reason,
        )
    return service


@transaction.atomic(durable=True)
def service_update(*, service: Service, data: dict[str, Any], reason: str) -> Service:
    """Entry point: update an existing service's identity fields."""
    before = Service.objects.select_for_update().get(pk=service.pk)
    return _service_update(service=service, data=data, reason=reason, before=before)


def _service_sla_confirm(*, service: Service, reason: str, user=None) -> ServiceVersion:
    """An administrator confirms the current SLA: a new version with basis
    ``confirmed`` and ``sla_provisional`` off (versions never change in place).
    Raises ``ValidationError`` when the SLA is not provisional."""
    current = service.current_version
    if current is None or not current.sla_provisional:
        raise ValidationError(_("This service level is not provisional."))
    return _service_version_create(
        service=service,
        fields={"sla_provisional": False, "sla_basis": SlaBasis.CONFIRMED},
        steps=step_content(current),
        origin=VersionOrigin.ADMIN,
        reason=reason,
        user=user,
    )


@transaction.atomic(durable=True)
def service_sla_confirm(*, service: Service, reason: str, user=None) -> ServiceVersion:
    """Entry point for :func:`_service_sla_confirm`."""
    return _service_sla_confirm(service=service, reason=reason, user=user)
