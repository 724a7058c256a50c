"""Who may do what: the one place that answers "may this user do this to this
object".

``user_can(user, action, obj)`` looks ``action`` up in a table of rules, each a
function ``(user, obj) -> bool``. This app registers the account, business, staff
and delegation rules below; later apps add theirs from their own
``permissions.py`` with ``@rule("application.decide")`` and call
``user_can``/``ensure_can`` from views, API permission classes, templates
(``{% user_can user "action" obj as allowed %}``) and services alike.

Role helpers (``roles_of``, ``officer_of``, ``is_officer``, ``is_auditor``,
``is_admin``, ``is_staff_member``, ``is_citizen``, ``home_url``) answer who a user
is; the role names are the constants of ``accounts.roles``.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import BUSINESS_MANAGER_ROLES, SIGNATORY_ROLES, DelegationKind
from accounts.roles import (  # noqa: F401  (re-exported for other apps)
    ADMIN,
    AGENCY_HEAD,
    APPROVER,
    AUDITOR,
    FRONT_OFFICE,
    OFFICE_HEAD,
    ROLE_GROUPS,
    SUPERVISOR,
    TECHNICAL_REVIEWER,
    VERIFIER,
)

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


class UnknownAction(LookupError):
    """No rule is registered for the action (a programming error, never a
    user's)."""


def rule(action: str) -> Callable[[Rule], Rule]:
    """Decorator registering ``func(user, obj) -> bool`` as the rule of
    ``action``. Raises ``ValueError`` if another function already holds it."""

    def register(func: Rule) -> Rule:
        existing = _RULES.get(action)
        if existing is not None and existing is not func:
            raise ValueError(f"A rule for {action!r} is already registered.")
        _RULES[action] = func
        return func

    return register


def user_can(user, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (e.g. ``"delegation.create"``) to
    ``obj``. Anonymous and inactive users may do nothing. Raises
    ``UnknownAction`` for an action no app registered."""
    try:
        func = _RULES[action]
    except KeyError:
        raise UnknownAction(f"No permission rule for {action!r}.") from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(func(user, obj))


def ensure_can(user, action: str, obj: Any = None) -> None:
    """``user_can`` or ``PermissionDenied`` (HTTP 403) with a translated
    message."""
    if not user_can(user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def registered_actions() -> list[str]:
    return sorted(_RULES)


# --- Who the user is ----------------------------------------------------------------


def roles_of(user) -> frozenset[str]:
    """Names of the staff groups ``user`` belongs to (cached on the instance)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ptsp_roles", None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True)
        )
        user._ptsp_roles = cached
    return cached


def officer_of(user):
    """The active ``Officer`` profile of ``user``, or ``None``."""
    if user is None or not user.is_authenticated:
        return None
    from accounts.models import Officer

    try:
        officer = user.officer
    except Officer.DoesNotExist:
        return None
    return officer if officer.is_active else None


def is_officer(user) -> bool:
    return officer_of(user) is not None


def is_auditor(user) -> bool:
    return AUDITOR in roles_of(user)


def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or ADMIN in roles_of(user)


def is_staff_member(user) -> bool:
    """Officer, auditor or admin: the accounts that need a second factor and
    shorter sessions."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or is_admin(user) or is_auditor(user) or is_officer(user)


def is_citizen(user) -> bool:
    return user is not None and user.is_authenticated and not is_staff_member(user)


def home_url(user) -> str:
    """Where ``user`` lands after logging in: admin, auditor home, officer home or
    the citizen's account page."""
    if is_admin(user):
        return reverse("admin:index")
    if is_auditor(user):
        return reverse("accounts:auditor_home")
    if is_officer(user):
        return reverse("accounts:officer_home")
    return reverse("accounts:home")


# --- Rules of this app ----------------------------------------------------------------


@rule("account.view_nik")
def _view_nik(user, person) -> bool:
    """Staff whose work needs identity checks (front office, verifier, approver,
    heads, admins) see a full NIK; everyone else, the person included, sees it
    masked."""
    return is_staff_member(user) and user.has_perm("accounts.view_nik")


@rule("account.manage_staff")
def _manage_staff(user, obj) -> bool:
    return user.has_perm("accounts.manage_staff")


@rule("business.act_for")
def _act_for_business(user, business) -> bool:
    """A confirmed, open membership lets a citizen apply as the business."""
    return business.memberships.filter(
        user=user, confirmed_at__isnull=False, ended_at__isnull=True
    ).exists()


@rule("business.manage_members")
def _manage_business_members(user, business) -> bool:
    """Owners and directors confirm or end other people's memberships."""
    return business.memberships.filter(
        user=user,
        confirmed_at__isnull=False,
        ended_at__isnull=True,
        role__in=BUSINESS_MANAGER_ROLES,
    ).exists()


@rule("agency.work_in")
def _work_in_agency(user, agency) -> bool:
    """Officers of the agency, and officers acting for one of them now."""
    from accounts.selectors import officers_acting_as

    return any(o.agency_id == agency.pk for o in officers_acting_as(user))


@rule("agency.read")
def _read_agency(user, agency) -> bool:
    """Read-only access: the agency's officers, auditors and admins."""
    return is_auditor(user) or is_admin(user) or _work_in_agency(user, agency)


@rule("officer.view")
def _view_officer(user, officer) -> bool:
    own = officer_of(user)
    if own is not None and (
        (own.agency_id and own.agency_id == officer.agency_id)
        or (own.office_id and own.office_id == officer.office_id)
    ):
        return True
    return is_auditor(user) or is_admin(user)


@rule("delegation.create")
def _create_delegation(user, delegator) -> bool:
    """An officer records their own leave or signing delegation; a supervisor or
    head with ``manage_delegations`` records one for an officer of their agency
    (or office, for an office head); admins for anyone."""
    if is_admin(user):
        return True
    own = officer_of(user)
    if own is None or not delegator.is_active:
        return False
    if own.pk == delegator.pk:
        return True
    if not user.has_perm("accounts.manage_delegations"):
        return False
    same_agency = own.agency_id is not None and own.agency_id == delegator.agency_id
    same_office = own.office_id is not None and own.office_id == delegator.office_id
    return same_agency or same_office


@rule("delegation.revoke")
def _revoke_delegation(user, delegation) -> bool:
    """Whoever may record a delegation for the delegator may end it early."""
    return _create_delegation(user, delegation.delegator)


@rule("delegation.sign_for")
def _sign_for(user, officer) -> bool:
    """``user`` is ``officer`` (a signatory) or holds their signing delegation
    now."""
    from accounts.selectors import officers_acting_as

    if officer.role not in SIGNATORY_ROLES:
        return False
    return any(
        o.pk == officer.pk
        for o in officers_acting_as(
            user, at=timezone.now(), kind=DelegationKind.SIGNING
        )
    )
