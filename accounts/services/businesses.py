"""Businesses and the people who act for them."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import BUSINESS_MANAGER_ROLES
from accounts.models import Business, BusinessMembership, User
from accounts.permissions import ensure_can, is_citizen
from audit.services import audit_record

_NOT_DIGITS = re.compile(r"\D")


@transaction.atomic(durable=True)
def business_register(
    *, user: User, name: str, nib: str, npwp: str, role: str
) -> BusinessMembership:
    """Declare that ``user`` acts for the business with ``nib``, in ``role``;
    return the membership.

    A NIB not yet known creates the business and a confirmed membership. A known
    NIB adds a membership that waits for an owner or director of the business to
    confirm it (``membership_confirm``); the stored name and NPWP stay as they
    are. Separators in NIB and NPWP are dropped (``01.234.567.8-901.000``).

    Raises ``ValidationError`` (field-keyed) for a bad NIB or NPWP, a staff user,
    or an open membership of the same business.
    """
    if not is_citizen(user):
        raise ValidationError(_("Only citizens' accounts act for businesses."))
    nib, npwp = _NOT_DIGITS.sub("", nib), _NOT_DIGITS.sub("", npwp)
    business = Business.objects.select_for_update().filter(nib=nib).first()
    created = business is None
    if created:
        business = Business(name=name.strip(), nib=nib, npwp=npwp, created_by=user)
        business.full_clean()
        business.save()
        audit_record(
            action="business.register",
            obj=business,
            changes={
                "name": [None, business.name],
                "nib": [None, nib],
                "npwp": [None, npwp],
            },
        )
    elif business.memberships.filter(user=user, ended_at__isnull=True).exists():
        raise ValidationError({"nib": _("You already act for this business.")})
    now = timezone.now()
    membership = BusinessMembership(
        business=business,
        user=user,
        role=role,
        confirmed_at=now if created else None,
        confirmed_by=user if created else None,
    )
    membership.full_clean()
    membership.save()
    audit_record(
        action="business.membership_request"
        if not created
        else "business.membership_open",
        obj=membership,
        changes={"user": [None, user.pk], "role": [None, role]},
    )
    return membership


@transaction.atomic(durable=True)
def membership_confirm(
    *, membership: BusinessMembership, by: User
) -> BusinessMembership:
    """An owner or director confirms a waiting membership of their business.

    Raises ``PermissionDenied`` for anyone else and ``ValidationError`` when the
    membership is no longer waiting.
    """
    membership = BusinessMembership.objects.select_for_update().get(pk=membership.pk)
    ensure_can(by, "business.manage_members", membership.business)
    if membership.confirmed_at is not None or membership.ended_at is not None:
        raise ValidationError(_("This request is no longer waiting."))
    membership.confirmed_at = timezone.now()
    membership.confirmed_by = by
    membership.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    audit_record(
        action="business.membership_confirm",
        obj=membership,
        changes={"confirmed_at": [None, membership.confirmed_at.isoformat()]},
    )
    return membership


@transaction.atomic(durable=True)
def membership_end(*, membership: BusinessMembership, by: User) -> BusinessMembership:
    """End a membership: the person themself leaves, or an owner or director
    removes (or declines) them. The last confirmed owner or director cannot
    leave while others still act for the business.

    Raises ``PermissionDenied`` and ``ValidationError``.
    """
    membership = BusinessMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id != by.pk:
        ensure_can(by, "business.manage_members", membership.business)
    if membership.ended_at is not None:
        raise ValidationError(_("This membership has already ended."))
    others = membership.business.memberships.filter(ended_at__isnull=True).exclude(
        pk=membership.pk
    )
    managers_left = others.filter(
        confirmed_at__isnull=False, role__in=BUSINESS_MANAGER_ROLES
    ).exists()
    if (
        membership.is_confirmed
        and membership.role in BUSINESS_MANAGER_ROLES
        and others.exists()
        and not managers_left
    ):
        raise ValidationError(
            _("Name another owner or director before you leave this business.")
        )
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at", "updated_at"])
    audit_record(
        action="business.membership_end",
        obj=membership,
        changes={"ended_at": [None, membership.ended_at.isoformat()]},
    )
    return membership
