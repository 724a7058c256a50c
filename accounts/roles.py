"""Roles: the Django groups of staff and the permissions each holds.

Every officer role (``OfficerRole``) plus ``auditor`` and ``admin`` is a group of
the same name, created by migration ``accounts.0003_role_groups`` and kept in
step with ``ROLE_PERMISSIONS`` below (permissions of any app, e.g.
``permits.decide_application`` for the signatories: ``approver`` and
``agency_head``, who decide objections).
Two groups follow every app automatically, after each ``migrate``
(``roles_sync``): ``auditor`` holds every ``view_*`` permission (read-only across
agencies) and ``admin`` holds every permission.
"""

from django.db.models import Q

from accounts.choices import OfficerRole, StaffRole

FRONT_OFFICE = OfficerRole.FRONT_OFFICE.value
VERIFIER = OfficerRole.VERIFIER.value
TECHNICAL_REVIEWER = OfficerRole.TECHNICAL_REVIEWER.value
APPROVER = OfficerRole.APPROVER.value
SUPERVISOR = OfficerRole.SUPERVISOR.value
AGENCY_HEAD = OfficerRole.AGENCY_HEAD.value
OFFICE_HEAD = OfficerRole.OFFICE_HEAD.value
AUDITOR = StaffRole.AUDITOR.value
ADMIN = StaffRole.ADMIN.value

#: Every staff group, by name.
ROLE_GROUPS: tuple[str, ...] = tuple(StaffRole.values)

#: ``app_label.codename`` permissions of this app held by each group.
_QUEUE_DESK = ("queueing.operate_counter", "queueing.issue_reception_ticket")
_QUEUE_HEAD = ("queueing.view_queue_statistics", "queueing.issue_reception_ticket")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    FRONT_OFFICE: ("accounts.view_nik", *_QUEUE_DESK),
    VERIFIER: ("accounts.view_nik",),
    TECHNICAL_REVIEWER: (),
    APPROVER: ("accounts.view_nik", "permits.decide_application"),
    SUPERVISOR: ("accounts.manage_delegations", *_QUEUE_HEAD),
    AGENCY_HEAD: (
        "accounts.manage_delegations",
        "accounts.view_nik",
        "permits.decide_application",
    ),
    OFFICE_HEAD: ("accounts.manage_delegations", "accounts.view_nik", *_QUEUE_HEAD),
    AUDITOR: ("accounts.view_all_agencies",),
    ADMIN: ("accounts.manage_staff", "accounts.view_nik"),
}


def roles_sync() -> None:
    """Make sure every role group exists with its permissions above, and give
    ``auditor`` every ``view_*`` permission and ``admin`` every permission of
    every installed app. Idempotent; runs after ``migrate`` and after a test
    database is flushed (which empties the groups the migration created)."""
    from django.contrib.auth.models import Group, Permission

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    for name, permissions in ROLE_PERMISSIONS.items():
        wanted = Q(pk__in=[])
        for permission in permissions:
            app_label, codename = permission.split(".", 1)
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        groups[name].permissions.add(*Permission.objects.filter(wanted))
    auditor, admin = groups[AUDITOR], groups[ADMIN]
    # Never the authenticator devices: their rows hold TOTP secrets.
    secrets = Permission.objects.filter(content_type__app_label__startswith="otp_")
    auditor.permissions.add(
        *Permission.objects.filter(codename__startswith="view_")
        .exclude(codename="view_nik")
        .exclude(pk__in=secrets)
    )
    auditor.permissions.remove(*secrets)
    admin.permissions.add(*Permission.objects.all())
