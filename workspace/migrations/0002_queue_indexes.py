"""Indexes for the officer queues, on ``permits_applicationstep``.

The queues read active steps in deadline order (``COALESCE(due_at,
NO_DEADLINE), id``, see ``workspace.selectors``) per agency and role
(unassigned), per assigned officer (mine) or per agency (whole agency). These
partial expression indexes let a keyset page read only its rows. They live in
this migration (raw SQL) so the permits app's own migrations stay its own; the
expression must stay identical to the ``due_key`` annotation.
"""

from django.db import migrations

DUE = "(COALESCE(due_at, '9999-12-31T00:00:00+00:00'::timestamptz))"
DUE_SQLITE = "(COALESCE(due_at, '9999-12-31 00:00:00'))"

INDEXES = {
    "workspace_unassigned_due": "agency_id, role, {due}, id",
    "workspace_assigned_due": "assigned_officer_id, {due}, id",
    "workspace_agency_due": "agency_id, {due}, id",
}
WHERE = {
    "workspace_unassigned_due": "status = 'active' AND assigned_officer_id IS NULL",
    "workspace_assigned_due": "status = 'active' AND assigned_officer_id IS NOT NULL",
    "workspace_agency_due": "status = 'active'",
}


def create(apps, schema_editor):
    due = DUE if schema_editor.connection.vendor == "postgresql" else DUE_SQLITE
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON permits_applicationstep "
            f"({columns.format(due=due)}) WHERE {WHERE[name]}"
        )


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
        ("permits", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
