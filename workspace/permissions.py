"""Who may do what in the officer workspace (rules for ``user_can``).

Source: issue 7. Every officer of an agency sees the agency's unassigned tasks
and their own; supervisors and agency heads see every task of their agency and
assign or reassign them; officers claim unassigned tasks of their role.
Delegation: a substitute acts as the absent colleague too
(``accounts.selectors.officers_acting_as``).
"""

from accounts.permissions import AGENCY_HEAD, SUPERVISOR, rule
from accounts.selectors import officers_acting_as

#: Roles that see every task of their agency and (re)assign tasks.
MANAGING_ROLES = frozenset({SUPERVISOR, AGENCY_HEAD})


def agency_ids_of(user) -> list[int]:
    """Agencies ``user`` works for now (own, then delegators'), no repeats."""
    seen: list[int] = []
    for officer in officers_acting_as(user):
        if officer.agency_id and officer.agency_id not in seen:
            seen.append(officer.agency_id)
    return seen


def managed_agency_ids(user) -> list[int]:
    """Agencies whose whole queue ``user`` manages (supervisor or head)."""
    return [
        o.agency_id
        for o in officers_acting_as(user)
        if o.agency_id and o.role in MANAGING_ROLES
    ]


@rule("workspace.use")
def _use(user, obj) -> bool:
    """Any active officer with an agency (own or held) has a workspace."""
    return bool(agency_ids_of(user))


@rule("workspace.view_agency")
def _view_agency(user, obj) -> bool:
    """The "whole agency" queue: supervisors and agency heads."""
    return bool(managed_agency_ids(user))


@rule("workspace.assign")
def _assign(user, step) -> bool:
    """(Re)assign ``step``: a supervisor or head of the step's agency."""
    return step is not None and step.agency_id in managed_agency_ids(user)


@rule("workspace.claim")
def _claim(user, step) -> bool:
    """Claim ``step``: it is active, unassigned or already the user's, and the
    user (or a colleague they stand in for) has its agency and role."""
    from permits.choices import StepStatus
    from permits.permissions import acting_officer_for_step

    if step is None or step.status != StepStatus.ACTIVE:
        return False
    officer = acting_officer_for_step(user, step)
    if officer is None:
        return False
    return step.assigned_officer_id in (None, officer.pk)


@rule("workspace.note")
def _note(user, application) -> bool:
    """Read and write internal notes: officers of an agency with a step in the
    application."""
    ids = agency_ids_of(user)
    return bool(ids) and application.steps.filter(agency_id__in=ids).exists()
