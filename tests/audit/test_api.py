"""The verification endpoint (staff and auditors) and the public checkpoints."""

from django.contrib.auth.models import Permission

import pytest

from accounts.models import User
from audit.checkpoints import checkpoint_create
from audit.models import AuditCheckpoint
from audit.signing import signature_valid

from .conftest import seal_all, tampering, write_entries

pytestmark = pytest.mark.django_db(transaction=True)

VERIFY = "/api/v1/audit/verify/"


@pytest.fixture
def auditor() -> User:
    user = User.objects.create(username="auditor")
    user.user_permissions.add(Permission.objects.get(codename="verify_chain"))
    return user


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_verify_is_refused_to_everyone_but_staff_and_auditors(client, who):
    if who == "citizen":
        client.force_login(User.objects.create(username="warga"))
    assert client.get(VERIFY).status_code == 403


def test_auditor_verifies_an_intact_chain(client, auditor):
    write_entries(12)
    seal_all()
    checkpoint_create()
    write_entries(3)
    seal_all()
    client.force_login(auditor)
    body = client.get(VERIFY).json()
    assert body["ok"] is True
    assert (body["start_seq"], body["entries_checked"]) == (12, 3)
    full = client.get(VERIFY, {"full": "true"}).json()
    assert (full["start_seq"], full["entries_checked"], full["last_seq"]) == (0, 15, 15)
    assert full["first_broken"] is None


def test_staff_sees_the_first_broken_entry(client):
    entries = write_entries(5)
    seal_all()
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET object_id = '999' WHERE id = %s",
            [entries[1].pk],
        )
    client.force_login(User.objects.create(username="staff", is_staff=True))
    body = client.get(VERIFY, {"full": "true"}).json()
    assert body["ok"] is False
    assert body["first_broken"]["entry_id"] == entries[1].pk
    assert body["first_broken"]["seq"] == 2
    assert body["first_broken"]["kind"] == "hash"


def test_checkpoints_are_public_and_verifiable(client):
    assert client.get("/api/v1/audit/checkpoints/latest/").status_code == 404
    write_entries(2)
    seal_all()
    checkpoint_create()
    write_entries(1)
    seal_all()
    checkpoint_create()
    latest = client.get("/api/v1/audit/checkpoints/latest/").json()
    assert (latest["number"], latest["seq"]) == (2, 3)
    assert latest["algorithm"] == "Ed25519"
    assert f"hash={latest['hash']}" in latest["message"]
    assert signature_valid(
        message=latest["message"].encode(),
        signature=latest["signature"],
        public_key=latest["public_key"],
    )
    listing = client.get("/api/v1/audit/checkpoints/").json()
    assert [c["number"] for c in listing["results"]] == [2, 1]
    assert AuditCheckpoint.objects.count() == 2
