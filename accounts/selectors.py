"""Reads of the accounts app for pages, the API and other apps.

Delegations are read at an instant ``at`` (aware; default now): a delegation
holds when ``starts_at <= at < ends_at`` and it was not revoked before ``at``.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.choices import DelegationKind
from accounts.models import Business, BusinessMembership, Delegation, Officer


def delegations_in_force(*, at: dt.datetime | None = None) -> QuerySet[Delegation]:
    """Delegations holding at ``at``, with both officers and their users joined."""
    at = at or timezone.now()
    return Delegation.objects.filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=at),
        starts_at__lte=at,
        ends_at__gt=at,
        delegator__is_active=True,
        delegate__is_active=True,
    ).select_related(
        "delegator__user",
        "delegator__agency",
        "delegator__office",
        "delegate__user",
    )


def delegations_received(
    user, *, at: dt.datetime | None = None, kind: str | None = None
) -> QuerySet[Delegation]:
    """Delegations ``user`` holds at ``at`` (optionally of one ``kind``), for the
    "acting for" page, oldest start first."""
    qs = delegations_in_force(at=at).filter(delegate__user=user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("starts_at", "pk")


def delegators_of(
    user, *, at: dt.datetime | None = None, kind: str = DelegationKind.TASKS
) -> QuerySet[Officer]:
    """Officers whose work (``kind="tasks"``) or signature (``kind="signing"``)
    ``user`` holds at ``at``. Empty for a user who is not an active officer."""
    at = at or timezone.now()
    ids = delegations_in_force(at=at).filter(delegate__user=user, kind=kind)
    return (
        Officer.objects.filter(pk__in=ids.values("delegator_id"))
        .select_related("user", "agency", "office")
        .order_by("pk")
    )


def officers_acting_as(
    user, *, at: dt.datetime | None = None, kind: str = DelegationKind.TASKS
) -> list[Officer]:
    """The officers ``user`` may act as at ``at``: their own active officer
    profile (first) and every officer whose ``kind`` they hold then.

    The workflow lists a user's tasks as those assigned to any of these officers:
    ``tasks.filter(assignee__in=officers_acting_as(user))``.
    """
    from accounts.permissions import officer_of

    own = officer_of(user)
    if own is None:
        return []
    return [own, *delegators_of(user, at=at, kind=kind)]


def substitute_for(
    officer: Officer, *, at: dt.datetime | None = None, kind: str = DelegationKind.TASKS
) -> Officer | None:
    """Who holds ``officer``'s work (or signature) at ``at``, or ``None`` when
    nobody does: the workflow assigns a task meant for an officer on leave to
    them."""
    delegation = (
        delegations_in_force(at=at)
        .filter(delegator=officer, kind=kind)
        .order_by("starts_at", "pk")
        .first()
    )
    return delegation.delegate if delegation else None


def businesses_for(user) -> QuerySet[Business]:
    """Businesses ``user`` may apply as: an open, confirmed membership. The
    applications issue offers these next to "myself" when a citizen applies."""
    if user is None or not user.is_authenticated:
        return Business.objects.none()
    return (
        Business.objects.filter(
            memberships__user=user,
            memberships__confirmed_at__isnull=False,
            memberships__ended_at__isnull=True,
        )
        .distinct()
        .order_by("name", "pk")
    )


def memberships_of(user) -> QuerySet[BusinessMembership]:
    """``user``'s open memberships, confirmed or waiting, with their business."""
    return (
        BusinessMembership.objects.filter(user=user, ended_at__isnull=True)
        .select_related("business")
        .order_by("business__name", "pk")
    )


def memberships_to_confirm(user) -> QuerySet[BusinessMembership]:
    """Waiting memberships of businesses that ``user`` manages (owner or
    director)."""
    from accounts.choices import BUSINESS_MANAGER_ROLES

    managed = BusinessMembership.objects.filter(
        user=user,
        confirmed_at__isnull=False,
        ended_at__isnull=True,
        role__in=BUSINESS_MANAGER_ROLES,
    ).values("business_id")
    return (
        BusinessMembership.objects.filter(
            business_id__in=managed, confirmed_at__isnull=True, ended_at__isnull=True
        )
        .select_related("business", "user")
        .order_by("created_at", "pk")
    )


def officers_of_same_unit(officer: Officer) -> QuerySet[Officer]:
    """Active officers of ``officer``'s agency (or office, when it has no agency),
    other than ``officer``: the choices of substitute or deputy."""
    unit = (
        Q(agency_id=officer.agency_id)
        if officer.agency_id
        else Q(office_id=officer.office_id)
    )
    return (
        Officer.objects.filter(unit, is_active=True, user__is_active=True)
        .exclude(pk=officer.pk)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
