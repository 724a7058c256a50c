"""Enumerations of the accounts app. Values are stable: groups, CSV imports, the
API and other apps' data use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficerRole(models.TextChoices):
    """What an officer (*petugas*) does in the shared workflow. Each role is also
    a Django group of the same name holding its permissions (``accounts.roles``).
    """

    FRONT_OFFICE = "front_office", _("Front office")
    VERIFIER = "verifier", _("Verifier")
    TECHNICAL_REVIEWER = "technical_reviewer", _("Technical reviewer")
    APPROVER = "approver", _("Approver and signatory")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENCY_HEAD = "agency_head", _("Agency head")
    OFFICE_HEAD = "office_head", _("Office head")


#: Roles that sign decisions and may delegate signing to a deputy.
SIGNATORY_ROLES = frozenset(
    {OfficerRole.APPROVER, OfficerRole.AGENCY_HEAD, OfficerRole.OFFICE_HEAD}
)


class StaffRole(models.TextChoices):
    """Every staff role an admin can give (the officer roles, auditor, admin);
    the ``role`` column of the staff CSV import."""

    FRONT_OFFICE = OfficerRole.FRONT_OFFICE.value, OfficerRole.FRONT_OFFICE.label
    VERIFIER = OfficerRole.VERIFIER.value, OfficerRole.VERIFIER.label
    TECHNICAL_REVIEWER = (
        OfficerRole.TECHNICAL_REVIEWER.value,
        OfficerRole.TECHNICAL_REVIEWER.label,
    )
    APPROVER = OfficerRole.APPROVER.value, OfficerRole.APPROVER.label
    SUPERVISOR = OfficerRole.SUPERVISOR.value, OfficerRole.SUPERVISOR.label
    AGENCY_HEAD = OfficerRole.AGENCY_HEAD.value, OfficerRole.AGENCY_HEAD.label
    OFFICE_HEAD = OfficerRole.OFFICE_HEAD.value, OfficerRole.OFFICE_HEAD.label
    AUDITOR = "auditor", _("Auditor (read-only, every agency)")
    ADMIN = "admin", _("Administrator")


class BusinessRole(models.TextChoices):
    """A person's standing in a business (*kedudukan dalam badan usaha*)."""

    OWNER = "owner", _("Owner")
    DIRECTOR = "director", _("Director")
    AUTHORISED_REPRESENTATIVE = (
        "authorised_representative",
        _("Authorised representative (power of attorney)"),
    )
    EMPLOYEE = "employee", _("Employee")


#: Roles whose holders confirm other people's membership of the business.
BUSINESS_MANAGER_ROLES = frozenset({BusinessRole.OWNER, BusinessRole.DIRECTOR})


class DelegationKind(models.TextChoices):
    TASKS = "tasks", _("Tasks during leave")
    SIGNING = "signing", _("Signing authority")


class CodePurpose(models.TextChoices):
    """Why a one-time code was sent; the ``purpose`` of event ``account.otp``."""

    EMAIL_VERIFICATION = "email_verification", _("E-mail verification")
    PHONE_VERIFICATION = "phone_verification", _("Phone number verification")
    PASSWORD_RESET = "password_reset", _("Password reset")
    ASSISTED_CONFIRMATION = (
        "assisted_confirmation",
        _("Confirmation of an application filed at a service point"),
    )


class CodeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class SubjectRelationship(models.TextChoices):
    """The applicant's relationship to the person an application is about."""

    CHILD = "child", _("Child")
    SPOUSE = "spouse", _("Husband or wife")
    PARENT = "parent", _("Father or mother")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_FAMILY = "other_family", _("Other family member")
    OTHER = "other", _("Other (with power of attorney)")
