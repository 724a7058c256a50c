"""Who sees the agency dashboard and who handles complaints.

- ``transparency.view_agency`` (agency): the agency's supervisors and heads
  (``accounts.roles``: supervisor, agency head, office head), also while acting
  for one by delegation; auditors and admins. Issue 16: "Supervisors and heads
  get the same view for their own agency, plus the workload per officer."
- ``complaint.view``: the citizen who filed it, officers of the agency it was
  routed to, auditors and admins.
- ``complaint.answer``: officers of that agency, while it is still open.
- ``complaint.forward``: the agency's supervisors and heads, or admins, while
  it has not been handed over yet.
"""

from accounts.permissions import (
    AGENCY_HEAD,
    OFFICE_HEAD,
    SUPERVISOR,
    is_admin,
    is_auditor,
    rule,
)
from accounts.selectors import officers_acting_as

from .choices import OPEN_COMPLAINT_STATUSES, ComplaintStatus

MANAGER_ROLES = frozenset({SUPERVISOR, AGENCY_HEAD, OFFICE_HEAD})


def managed_agency_ids(user) -> set[int]:
    """Agencies whose dashboard ``user`` sees as a supervisor or head."""
    return {
        o.agency_id
        for o in officers_acting_as(user)
        if o.agency_id and o.role in MANAGER_ROLES
    }


def officer_agency_ids(user) -> set[int]:
    """Agencies ``user`` works in (own profile or delegation)."""
    return {o.agency_id for o in officers_acting_as(user) if o.agency_id}


@rule("transparency.view_agency")
def _view_agency(user, agency) -> bool:
    if is_auditor(user) or is_admin(user):
        return True
    return agency.pk in managed_agency_ids(user)


@rule("complaint.view")
def _view_complaint(user, complaint) -> bool:
    if complaint.citizen_id == user.pk or is_auditor(user) or is_admin(user):
        return True
    return complaint.agency_id in officer_agency_ids(user)


@rule("complaint.answer")
def _answer_complaint(user, complaint) -> bool:
    return (
        complaint.status in OPEN_COMPLAINT_STATUSES
        and complaint.agency_id in officer_agency_ids(user)
    )


@rule("complaint.forward")
def _forward_complaint(user, complaint) -> bool:
    if complaint.status != ComplaintStatus.SUBMITTED:
        return False
    return is_admin(user) or complaint.agency_id in managed_agency_ids(user)
