"""Staff roles as Django groups, with this app's permissions.

The mapping is frozen here (a migration must not follow later code); later apps
add their permissions to these groups in their own data migrations, and
``accounts.roles.roles_sync`` gives the auditor and admin groups every view
permission and every permission after each ``migrate``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "front_office": ["view_nik"],
    "verifier": ["view_nik"],
    "technical_reviewer": [],
    "approver": ["view_nik"],
    "supervisor": ["manage_delegations"],
    "agency_head": ["manage_delegations", "view_nik"],
    "office_head": ["manage_delegations", "view_nik"],
    "auditor": ["view_all_agencies"],
    "admin": ["manage_staff", "view_nik"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after the last migration; the groups
    # need this app's now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="accounts", codename__in=codenames
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_identity_businesses_staff"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
