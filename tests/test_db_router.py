"""The replica router, tested with a second database alias pointing at the
test database (as ``DATABASE_REPLICA_URL`` would point at a streaming
replica): report reads go there only inside ``replica_reads()``, writes never,
and without the alias nothing changes."""

from django.db import connections
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.models import User
from ptsp.db_router import REPLICA, ReplicaRouter, replica_reads

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.postgres,
]


@pytest.fixture
def replica(settings):
    """Report reads on: the ``replica`` alias (test settings) is the same
    database seen through a second connection."""
    settings.REPORTS_FROM_REPLICA = True
    return connections[REPLICA]


def test_report_reads_go_to_the_replica_and_writes_do_not(replica):
    User.objects.create_user(username="warga")
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        assert User.objects.filter(username="warga").exists()  # default
        with replica_reads():
            assert User.objects.filter(username="warga").exists()  # replica
            User.objects.create_user(username="warga2")  # still default
    assert len(on_replica) == 1
    assert "SELECT" in on_replica[0]["sql"]
    assert any("INSERT" in q["sql"] for q in on_default.captured_queries)
    assert User.objects.count() == 2


def test_reads_inside_a_transaction_stay_on_default(replica):
    from django.db import transaction

    with (
        CaptureQueriesContext(replica) as on_replica,
        replica_reads(),
        transaction.atomic(),
    ):
        User.objects.create_user(username="baru")
        assert User.objects.filter(username="baru").exists()  # own write
    assert len(on_replica) == 0


def test_without_a_replica_everything_reads_default():  # the default
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(User) == "default"
    assert router.allow_migrate(REPLICA, "accounts") is False
    assert router.allow_migrate("default", "accounts") is True


def test_queue_statistics_read_from_the_replica(replica, client):
    from tests.queueing.factories import OfficeFactory, make_supervisor

    office = OfficeFactory()
    client.force_login(make_supervisor(User, office))
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(f"/antrian/{office.code}/statistik/").status_code == 200
    assert len(on_replica) >= 1
