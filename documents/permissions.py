"""Who may see, revoke and renew issued documents.

Seeing: the applicant, officers of the service's agency or issuing agency (the
register) or of an agency with a step in the application, auditors and admins.
Revoking: a signatory (approver, agency head) of the issuing agency, or an
admin (issue 14: "revocation with reason" by the issuer). Renewing: the
applicant of the original application.
"""

from accounts.choices import SIGNATORY_ROLES
from accounts.permissions import is_admin, is_auditor, rule
from accounts.selectors import officers_acting_as


def _issuer_id(document) -> int:
    return document.service.issuer_agency_id or document.service.agency_id


@rule("document.view")
def _view(user, document) -> bool:
    if document.application.applicant_id == user.pk:
        return True
    if is_auditor(user) or is_admin(user):
        return True
    from .selectors import documents_visible_to

    return documents_visible_to(user).filter(pk=document.pk).exists()


@rule("document.register")
def _register(user, obj) -> bool:
    """The register is for officers with an agency, auditors and admins."""
    return (
        is_auditor(user)
        or is_admin(user)
        or any(o.agency_id for o in officers_acting_as(user))
    )


@rule("document.revoke")
def _revoke(user, document) -> bool:
    if is_admin(user):
        return True
    issuer = _issuer_id(document)
    return any(
        o.agency_id == issuer and o.role in SIGNATORY_ROLES
        for o in officers_acting_as(user)
    )


@rule("document.renew")
def _renew(user, document) -> bool:
    return document.application.applicant_id == user.pk
