"""The one write path of the personal-data access log.

Call it from every staff view that shows a citizen's personal data; one line::

    from privacy.access import record_access
    record_access(request, application=application)                  # application page
    record_access(request, application=application, document=doc)    # download
    record_access(request, subject=person, kind=AccessKind.NIK)       # full NIK shown

It writes nothing when the viewer is the citizen themself or not a staff member
(officer, auditor, admin), so it is safe to call unconditionally. Rule source:
UU 27/2022 (PDP) art. 7 and 31, the data subject's right to know who processed
their data; the portal's privacy notice (``/privasi/``) promises this log.
"""

from django.db import transaction

from accounts.permissions import (
    ADMIN,
    AUDITOR,
    is_admin,
    is_auditor,
    is_staff_member,
    officer_of,
)

from .choices import AccessKind
from .models import PersonalDataAccess


def viewer_identity(user) -> tuple[str, str, str]:
    """``(role, unit code, unit name)`` of a staff ``user``: the officer's role
    and agency (or office when the officer has no agency); ``auditor``/``admin``
    with unit ``PTSP``."""
    officer = officer_of(user)
    if officer is not None:
        unit = officer.agency if officer.agency_id else officer.office
        return officer.role, unit.code, unit.name
    if is_auditor(user):
        return AUDITOR, "PTSP", "PTSP Kota Tangerang"
    if is_admin(user) or getattr(user, "is_staff", False):
        return ADMIN, "PTSP", "PTSP Kota Tangerang"
    return "", "", ""


def record_access(
    request,
    *,
    application=None,
    document=None,
    subject=None,
    kind: str | None = None,
) -> PersonalDataAccess | None:
    """Log that ``request.user`` opened ``subject``'s personal data; returns the
    row, or ``None`` when nothing is logged (the viewer is the subject, or not
    staff).

    ``subject`` defaults to ``application.applicant`` (or ``document.owner``);
    ``kind`` to ``document`` when a document is given, else ``application``.
    Written in its own short transaction (joins the caller's when one is open).
    Raises ``ValueError`` when no subject can be found.
    """
    user = getattr(request, "user", request)
    if user is None or not user.is_authenticated or not is_staff_member(user):
        return None
    if subject is None:
        if application is not None:
            subject = application.applicant
        elif document is not None:
            subject = document.owner
        else:
            raise ValueError(
                "record_access() needs a subject, application or document."
            )
    if subject.pk == user.pk:
        return None
    role, unit, unit_name = viewer_identity(user)
    if kind is None:
        kind = AccessKind.DOCUMENT if document is not None else AccessKind.APPLICATION
    with transaction.atomic():
        return PersonalDataAccess.objects.create(
            subject=subject,
            viewer=user,
            viewer_role=role,
            viewer_unit=unit,
            viewer_unit_name=unit_name,
            kind=kind,
            application=application,
            document=document,
        )
