"""Who may file for a citizen at a counter, see an office's assisted list and
its report, and complete BPJS corrections.

Source: issue 8. Front-office officers of an office (the MPP or a
kecamatan/kelurahan service point) file for a citizen who is present; the
office's front office and its head see the office's assisted submissions; the
report per service point is for office heads (their office), auditors and
admins (every office). BPJS corrections are worked by the officers of the BPJS
agency through the shared workflow (``permits.permissions``).
"""

from django.utils.translation import gettext as _

from accounts.permissions import (
    FRONT_OFFICE,
    OFFICE_HEAD,
    ensure_can,
    is_admin,
    is_auditor,
    officer_of,
    rule,
)
from ptsp.exceptions import ApplicationError

#: Agency codes of BPJS (catalogue ``agencies``) whose corrections go through the
#: hand-over adapter.
BPJS_AGENCIES = frozenset({"BPJSKES", "BPJSTK"})


def counter_officer(user):
    """The active front-office officer profile of ``user`` with an office, or
    ``None``: who may file for a citizen at that office."""
    officer = officer_of(user)
    if officer is None or officer.office_id is None or officer.role != FRONT_OFFICE:
        return None
    return officer


@rule("channeling.assist")
def _assist(user, obj) -> bool:
    return counter_officer(user) is not None


@rule("channeling.view_assisted")
def _view_assisted(user, assisted) -> bool:
    """Front office and head of the office where it was filed."""
    officer = officer_of(user)
    return (
        officer is not None
        and officer.role in (FRONT_OFFICE, OFFICE_HEAD)
        and officer.office_id is not None
        and (assisted is None or officer.office_id == assisted.office_id)
    )


@rule("channeling.report")
def _report(user, obj) -> bool:
    if is_admin(user) or is_auditor(user):
        return True
    officer = officer_of(user)
    return officer is not None and officer.office_id is not None


class NotAtCounter(ApplicationError):
    """The user is not a front-office officer of an office."""


def ensure_counter_officer(user):
    """The user's counter officer profile; raises ``NotAtCounter`` otherwise."""
    officer = counter_officer(user)
    if officer is None:
        raise NotAtCounter(
            _("Only front-office officers of a service point file for a citizen.")
        )
    return officer


__all__ = ["BPJS_AGENCIES", "counter_officer", "ensure_can", "ensure_counter_officer"]
