"""Who may ask for and decide SLA extensions (issue 9: "formal extensions ...
approved by the agency head").

An officer of the agency that owns the application's service asks; the head of
that agency (``AGENCY_HEAD``) decides. Both raise ``ApplicationError`` with a
translated message otherwise.
"""

from django.utils.translation import gettext as _

from accounts.permissions import officer_of
from accounts.roles import AGENCY_HEAD
from ptsp.exceptions import ApplicationError


def can_request_extension(user, application) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.agency_id == application.service.agency_id


def can_decide_extension(user, application) -> bool:
    officer = officer_of(user)
    return (
        officer is not None
        and officer.role == AGENCY_HEAD
        and officer.agency_id == application.service.agency_id
    )


def ensure_can_request_extension(user, application) -> None:
    if not can_request_extension(user, application):
        raise ApplicationError(
            _("Only officers of the agency that owns the service ask for extensions.")
        )


def ensure_can_decide_extension(user, application) -> None:
    if not can_decide_extension(user, application):
        raise ApplicationError(
            _("Only the head of the agency that owns the service decides extensions.")
        )
