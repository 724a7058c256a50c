"""Migration ``queueing.0004``: counter operators and office supervisors that
pointed at bare users end up pointing at those users' officer profiles, and a
user without one gets an officer at the row's office with the matching role."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _targets(queueing: str) -> list[tuple[str, str]]:
    """Every app at its latest migration, the queue at ``queueing``."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [n for n in leaves if n[0] != "queueing"] + [("queueing", queueing)]


BEFORE = "0003_audited_managers"
AFTER = "0006_drop_operator_user"


def _migrate(queueing: str | None):
    executor = MigrationExecutor(connection)
    targets = (
        executor.loader.graph.leaf_nodes() if queueing is None else _targets(queueing)
    )
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_users_become_officers_and_back():
    apps = _migrate(BEFORE)
    try:
        Agency = apps.get_model("agencies", "Agency")
        Office = apps.get_model("agencies", "Office")
        User = apps.get_model("accounts", "User")
        Officer = apps.get_model("accounts", "Officer")
        Counter = apps.get_model("queueing", "Counter")
        CounterOperator = apps.get_model("queueing", "CounterOperator")
        OfficeSupervisor = apps.get_model("queueing", "OfficeSupervisor")
        agency = Agency.objects.create(code="DPMPTSP", name="DPMPTSP", kind="dinas")
        hours = apps.get_model("agencies", "Calendar").objects.create(
            code="jam-mpp", name="Jam MPP", kind="service_hours"
        )
        office = Office.objects.create(
            code="mpp", name="MPP", kind="mpp", service_calendar=hours
        )
        counter = Counter.objects.create(office=office, number=1)
        plain = User.objects.create(username="loket1")
        staff = User.objects.create(username="fo")
        existing = Officer.objects.create(user=staff, agency=agency, role="verifier")
        head = User.objects.create(username="kepala")
        CounterOperator.objects.create(counter=counter, user=plain)
        CounterOperator.objects.create(counter=counter, user=staff)
        OfficeSupervisor.objects.create(office=office, user=head)

        apps = _migrate(AFTER)
        Officer = apps.get_model("accounts", "Officer")
        CounterOperator = apps.get_model("queueing", "CounterOperator")
        OfficeSupervisor = apps.get_model("queueing", "OfficeSupervisor")
        operators = {
            row.officer.user.username: row.officer
            for row in CounterOperator.objects.select_related("officer__user")
        }
        assert operators["fo"].pk == existing.pk  # the profile that existed
        assert operators["fo"].role == "verifier"  # left as it was
        assert (operators["loket1"].role, operators["loket1"].office_id) == (
            "front_office",
            office.pk,
        )
        assert (
            Officer.objects.get(user__username="loket1")
            .user.groups.filter(name="front_office")
            .exists()
        )
        supervisor = OfficeSupervisor.objects.select_related("officer").get()
        assert (supervisor.officer.role, supervisor.officer.office_id) == (
            "office_head",
            office.pk,
        )

        apps = _migrate(BEFORE)  # and back: each row names its user again
        CounterOperator = apps.get_model("queueing", "CounterOperator")
        assert sorted(
            CounterOperator.objects.values_list("user__username", flat=True)
        ) == [
            "fo",
            "loket1",
        ]
    finally:
        _migrate(None)
