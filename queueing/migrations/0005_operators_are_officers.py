"""Step 2 of 3. Counter operators and office supervisors point at ``accounts.Officer`` (the
one staff identity) instead of a bare user.

Each existing row is linked to its user's officer profile. A user without one
(queueing predates the officer model) gets an active officer at the row's
office: ``front_office`` for counter operators, ``office_head`` for
supervisors, and joins that role group if they had none. Reversible: going
back puts the officer's user on each row again (officers created here stay).
"""

from django.db import migrations

ROLE_GROUPS = (
    "front_office",
    "verifier",
    "technical_reviewer",
    "approver",
    "supervisor",
    "agency_head",
    "office_head",
    "auditor",
    "admin",
)


def _officer_for(apps, user_id, office_id, role):
    Officer = apps.get_model("accounts", "Officer")
    officer = Officer.objects.filter(user_id=user_id).first()
    if officer is not None:
        return officer
    officer = Officer.objects.create(user_id=user_id, office_id=office_id, role=role)
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    user = User.objects.get(pk=user_id)
    if not user.groups.filter(name__in=ROLE_GROUPS).exists():
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return officer


def forward(apps, schema_editor):
    CounterOperator = apps.get_model("queueing", "CounterOperator")
    OfficeSupervisor = apps.get_model("queueing", "OfficeSupervisor")
    for row in CounterOperator.objects.select_related("counter").order_by("pk"):
        officer = _officer_for(apps, row.user_id, row.counter.office_id, "front_office")
        if CounterOperator.objects.filter(counter_id=row.counter_id, officer=officer).exists():
            row.delete()  # two users of one officer cannot happen; be safe
            continue
        row.officer = officer
        row.save(update_fields=["officer"])
    for row in OfficeSupervisor.objects.order_by("pk"):
        officer = _officer_for(apps, row.user_id, row.office_id, "office_head")
        row.officer = officer
        row.save(update_fields=["officer"])


def backward(apps, schema_editor):
    for name in ("CounterOperator", "OfficeSupervisor"):
        model = apps.get_model("queueing", name)
        for row in model.objects.select_related("officer").order_by("pk"):
            row.user_id = row.officer.user_id
            row.save(update_fields=["user"])


class Migration(migrations.Migration):
    dependencies = [("queueing", "0004_counter_operator_officer")]

    operations = [migrations.RunPython(forward, backward)]
