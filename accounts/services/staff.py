"""Staff accounts: created by admins (one by one or from a CSV file), never
self-registered; invited by e-mail to choose a password; roles kept in step with
their Django groups."""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.choices import OfficerRole, StaffRole
from accounts.models import Officer, User
from accounts.roles import ADMIN, AUDITOR, ROLE_GROUPS
from agencies.models import Agency, Office
from audit.services import audit_record, field_changes
from notifications.services import notify

#: Columns of the staff CSV file, in this order (``nip`` may be empty).
CSV_COLUMNS = ("username", "full_name", "email", "role", "agency", "office", "nip")


@dataclass
class StaffRow:
    """One staff member to create, validated."""

    username: str
    full_name: str
    email: str
    role: str
    agency: Agency | None = None
    office: Office | None = None
    employee_number: str = ""
    line: int = 0


@dataclass
class StaffImportError(Exception):
    """The file has errors; nothing was imported. ``errors`` lists ``(line,
    column, message)``; line 1 is the header."""

    errors: list[tuple[int, str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"line {n} {c}: {m}" for n, c, m in self.errors)


def _staff_flags(user: User, role: str) -> None:
    # Auditors read the admin (view permissions only) and admins manage it.
    user.is_staff = role in (ADMIN, AUDITOR)
    user.is_superuser = False


def _groups_set(user: User, role: str) -> None:
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS))
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_ptsp_roles", None)


def _staff_create(row: StaffRow, *, invite: bool = True) -> User:
    user = User(
        username=row.username,
        full_name=row.full_name,
        email=User.objects.normalize_email(row.email),
        is_active=True,
    )
    _staff_flags(user, row.role)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _groups_set(user, row.role)
    if row.role in OfficerRole.values:
        officer = Officer(
            user=user,
            role=row.role,
            agency=row.agency,
            office=row.office,
            employee_number=row.employee_number,
        )
        officer.full_clean(exclude=["user"])
        officer.save()
    audit_record(
        action="staff.create",
        obj=user,
        changes={
            "username": [None, user.username],
            "role": [None, row.role],
            "agency": [None, row.agency.code if row.agency else None],
            "office": [None, row.office.code if row.office else None],
        },
    )
    if invite:
        staff_invite(user)
    return user


@transaction.atomic(durable=True)
def staff_create(
    *,
    username: str,
    full_name: str,
    email: str,
    role: str,
    agency: Agency | None = None,
    office: Office | None = None,
    employee_number: str = "",
    invite: bool = True,
) -> User:
    """Create a staff account with ``role`` (a ``StaffRole`` value) and, for an
    officer role, its ``Officer`` profile; e-mail an invitation to choose a
    password unless ``invite`` is False. Returns the user.

    Raises ``ValidationError`` (field-keyed) as the CSV import reports it.
    """
    row = StaffRow(
        username=username,
        full_name=full_name,
        email=email,
        role=role,
        agency=agency,
        office=office,
        employee_number=employee_number,
    )
    problems = _row_problems(row, usernames=set(), emails=set())
    if problems:
        raise ValidationError({col: msg for col, msg in problems})
    return _staff_create(row, invite=invite)


def staff_invite(user: User) -> None:
    """E-mail ``user`` a link to choose a password, valid for
    ``PASSWORD_RESET_TIMEOUT``; runs in the caller's transaction. Uses the
    notifications app's ``account.verification`` event (a link to verify the
    account): choosing the password there verifies the mailbox."""
    path = reverse(
        "accounts:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    notify(
        event="account.verification",
        recipient=user,
        context={
            "url": settings.PORTAL_BASE_URL.rstrip("/") + path,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


def _row_problems(
    row: StaffRow, *, usernames: set[str], emails: set[str]
) -> list[tuple[str, str]]:
    """``[(column, message)]`` for one row; ``usernames``/``emails`` are those
    of the rows above (lower-case), for duplicates within the file."""
    problems: list[tuple[str, str]] = []
    if not row.username:
        problems.append(("username", _("This field is required.")))
    else:
        try:
            UnicodeUsernameValidator()(row.username)
        except ValidationError as error:
            problems.append(("username", error.messages[0]))
        if row.username.lower() in usernames:
            problems.append(("username", _("Used twice in this file.")))
        elif User.objects.filter(username__iexact=row.username).exists():
            problems.append(
                ("username", _("A user with this username already exists."))
            )
    if not row.full_name:
        problems.append(("full_name", _("This field is required.")))
    try:
        validate_email(row.email)
    except ValidationError:
        problems.append(("email", _("Enter a valid e-mail address.")))
    else:
        if row.email.lower() in emails:
            problems.append(("email", _("Used twice in this file.")))
        elif User.objects.filter(is_active=True, email__iexact=row.email).exists():
            problems.append(
                ("email", _("Another account already uses this e-mail address."))
            )
    if row.role not in StaffRole.values:
        problems.append(
            (
                "role",
                _("Unknown role. Use one of: %(roles)s.")
                % {"roles": ", ".join(StaffRole.values)},
            )
        )
    elif row.role in OfficerRole.values:
        if row.agency is None and row.office is None:
            problems.append(
                ("agency", _("An officer needs an agency, an office or both."))
            )
        if row.role == OfficerRole.AGENCY_HEAD and row.agency is None:
            problems.append(("agency", _("An agency head needs an agency.")))
        if row.role == OfficerRole.OFFICE_HEAD and row.office is None:
            problems.append(("office", _("An office head needs an office.")))
    elif row.agency is not None or row.office is not None:
        problems.append(
            ("role", _("Auditors and admins belong to no agency or office."))
        )
    if row.employee_number and not (
        row.employee_number.isdigit() and len(row.employee_number) == 18
    ):
        problems.append(("nip", _("A NIP has 18 digits.")))
    return problems


def staff_csv_read(text: str) -> list[StaffRow]:
    """Parse and check a staff CSV file (UTF-8, comma- or semicolon-separated,
    header ``username,full_name,email,role,agency,office,nip``; ``agency`` is an
    agency code such as ``DINKES``, ``office`` an office code such as ``mpp``).

    Returns the rows when every one is valid; raises ``StaffImportError`` listing
    every problem of every row otherwise.
    """
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header and c != "nip"]
    if missing:
        raise StaffImportError(
            [
                (
                    1,
                    ", ".join(missing),
                    _("Missing columns. The header must be: %(columns)s.")
                    % {"columns": ",".join(CSV_COLUMNS)},
                )
            ]
        )
    reader.fieldnames = header
    agencies = {a.code: a for a in Agency.objects.filter(is_active=True)}
    offices = {o.code: o for o in Office.objects.filter(is_active=True)}
    rows: list[StaffRow] = []
    errors: list[tuple[int, str, str]] = []
    usernames: set[str] = set()
    emails: set[str] = set()
    for raw in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue
        row = StaffRow(
            username=values.get("username", ""),
            full_name=values.get("full_name", ""),
            email=values.get("email", ""),
            role=values.get("role", "").lower(),
            employee_number=values.get("nip", ""),
            line=line,
        )
        code = values.get("agency", "").upper()
        if code:
            row.agency = agencies.get(code)
            if row.agency is None:
                errors.append(
                    (
                        line,
                        "agency",
                        _("Unknown agency code %(code)s.") % {"code": code},
                    )
                )
        code = values.get("office", "").lower()
        if code:
            row.office = offices.get(code)
            if row.office is None:
                errors.append(
                    (
                        line,
                        "office",
                        _("Unknown office code %(code)s.") % {"code": code},
                    )
                )
        errors.extend(
            (line, col, msg)
            for col, msg in _row_problems(row, usernames=usernames, emails=emails)
        )
        usernames.add(row.username.lower())
        emails.add(row.email.lower())
        rows.append(row)
    if not rows and not errors:
        errors.append((1, "", _("The file has no staff rows.")))
    if errors:
        raise StaffImportError(errors)
    return rows


@transaction.atomic(durable=True)
def staff_import(*, text: str, invite: bool = True) -> list[User]:
    """Create every staff member of a CSV file (``staff_csv_read``), all or none.

    Raises ``StaffImportError`` with every row's problems, creating nobody.
    """
    rows = staff_csv_read(text)
    users = [_staff_create(row, invite=invite) for row in rows]
    audit_record(
        action="staff.import",
        object_type="accounts.user",
        changes={"created": [None, [u.pk for u in users]]},
    )
    return users


def _officer_update(*, officer: Officer, **values) -> Officer:
    """Change an officer's ``role``, ``agency``, ``office``, ``employee_number``
    or ``is_active``; the user's group follows the role. For callers already in a
    transaction (the admin). Raises ``ValidationError``."""
    before = Officer.objects.get(pk=officer.pk)
    for name, value in values.items():
        setattr(officer, name, value)
    officer.full_clean(exclude=["user"])
    officer.save()
    _groups_set(officer.user, officer.role)
    changes = field_changes(
        before, officer, ["role", "agency", "office", "employee_number", "is_active"]
    )
    if changes:
        audit_record(action="officer.update", obj=officer, changes=changes)
    return officer


@transaction.atomic(durable=True)
def officer_update(*, officer: Officer, **values) -> Officer:
    """Durable entry point of ``_officer_update``."""
    return _officer_update(officer=officer, **values)


@transaction.atomic(durable=True)
def staff_two_factor_reset(*, user: User, reason: str = "") -> int:
    """Remove ``user``'s authenticator devices (a lost phone); they enrol a new
    one at their next login. Returns how many were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    count, _detail = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action="staff.two_factor_reset",
        obj=user,
        changes={"devices": [count, 0]},
        reason=reason,
    )
    return count
