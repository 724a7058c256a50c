"""Leave handovers and signing delegations."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import SIGNATORY_ROLES, DelegationKind
from accounts.models import Delegation, Officer, User
from accounts.permissions import ensure_can
from audit.services import audit_record


def _same_unit(a: Officer, b: Officer) -> bool:
    if a.agency_id is not None:
        return a.agency_id == b.agency_id
    return a.office_id == b.office_id


@transaction.atomic(durable=True)
def delegation_create(
    *,
    kind: str,
    delegator: Officer,
    delegate: Officer,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    created_by: User,
) -> Delegation:
    """Record that ``delegate`` holds ``delegator``'s tasks (``kind="tasks"``,
    leave) or signature (``kind="signing"``) from ``starts_at`` to ``ends_at``
    (aware instants; half-open period).

    Rules: ``created_by`` may record it (``delegation.create``: the officer, a
    supervisor or head of the same unit, an admin); the delegate is another
    active officer of the same agency (or office, for officers without an agency);
    a signing delegation comes from a signatory (approver, agency or office head)
    and goes to someone of the same unit; the period ends after it starts and
    after now; it does not overlap another delegation of the same officer and
    kind. The delegator's row is locked, so two overlapping requests cannot both
    pass.

    Raises ``PermissionDenied`` and ``ValidationError`` (field-keyed).
    """
    delegator = (
        Officer.objects.select_for_update().select_related("user").get(pk=delegator.pk)
    )
    ensure_can(created_by, "delegation.create", delegator)
    errors: dict[str, str] = {}
    if delegate.pk == delegator.pk:
        errors["delegate"] = _("Choose someone other than the officer on leave.")
    elif not (delegate.is_active and delegate.user.is_active):
        errors["delegate"] = _("This officer's account is not active.")
    elif not _same_unit(delegator, delegate):
        errors["delegate"] = _("Choose an officer of the same agency or office.")
    if kind == DelegationKind.SIGNING and delegator.role not in SIGNATORY_ROLES:
        errors["kind"] = _("Only a signatory can delegate signing.")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Delegation periods are aware datetimes.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at <= timezone.now():
        errors["ends_at"] = _("The end must be in the future.")
    if errors:
        raise ValidationError(errors)
    overlap = Delegation.objects.filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=starts_at),
        delegator=delegator,
        kind=kind,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).first()
    if overlap is not None:
        raise ValidationError(
            {
                "starts_at": _(
                    "This period overlaps a delegation to %(name)s from %(start)s to "
                    "%(end)s (WIB)."
                )
                % {
                    "name": overlap.delegate.user,
                    "start": timezone.localtime(overlap.starts_at).strftime(
                        "%d-%m-%Y %H:%M"
                    ),
                    "end": timezone.localtime(overlap.ends_at).strftime(
                        "%d-%m-%Y %H:%M"
                    ),
                }
            }
        )
    delegation = Delegation.objects.create(
        kind=kind,
        delegator=delegator,
        delegate=delegate,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        created_by=created_by,
    )
    audit_record(
        action="delegation.create",
        obj=delegation,
        changes={
            "kind": [None, kind],
            "delegator": [None, delegator.pk],
            "delegate": [None, delegate.pk],
            "starts_at": [None, starts_at.isoformat()],
            "ends_at": [None, ends_at.isoformat()],
        },
        reason=delegation.reason,
        actor_agency=delegator.agency.code if delegator.agency_id else "",
    )
    return delegation


@transaction.atomic(durable=True)
def delegation_revoke(*, delegation: Delegation, revoked_by: User) -> Delegation:
    """End ``delegation`` now (it stops holding from this instant; a future one
    never starts). Raises ``PermissionDenied`` and ``ValidationError`` when it
    has already ended or been revoked."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    ensure_can(revoked_by, "delegation.revoke", delegation)
    now = timezone.now()
    if delegation.revoked_at is not None or delegation.ends_at <= now:
        raise ValidationError(_("This delegation has already ended."))
    delegation.revoked_at = now
    delegation.revoked_by = revoked_by
    delegation.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_record(
        action="delegation.revoke",
        obj=delegation,
        changes={"revoked_at": [None, now.isoformat()]},
    )
    return delegation
