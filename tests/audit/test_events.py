"""Logins, logouts and permission denials go through the same audit path."""

import pytest

from accounts.models import User
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen() -> User:
    user = User.objects.create(username="warga1", full_name="Budi")
    user.set_password("Rahasia-2026!")
    user.save()
    return user


def test_successful_login_is_recorded_with_ip(client, citizen):
    response = client.post(
        "/akun/masuk/", {"username": "warga1", "password": "Rahasia-2026!"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == citizen
    assert entry.object_id == str(citizen.pk)
    assert entry.ip_address == "127.0.0.1"
    assert entry.request_id


def test_failed_login_names_the_account_but_never_the_attempt(client, citizen):
    client.post("/akun/masuk/", {"username": "warga1", "password": "salah"})
    client.post("/akun/masuk/", {"username": "Rahasia-2026!", "password": "x"})
    failed = AuditEntry.objects.filter(action="auth.login_failed").order_by("id")
    assert [(e.object_type, e.object_id) for e in failed] == [
        ("accounts.user", str(citizen.pk)),
        ("accounts.user", ""),  # an unknown "username" may be a mistyped password
    ]
    assert all(e.actor is None and e.actor_label == "anonymous" for e in failed)
    assert "Rahasia" not in str([e.changes for e in failed])


def test_logout_is_recorded(client, citizen):
    client.force_login(citizen)
    client.post("/akun/keluar/")
    assert AuditEntry.objects.filter(action="auth.logout", actor=citizen).exists()


@pytest.mark.urls("tests.urls")
def test_permission_denied_page_is_recorded(client, citizen):
    client.force_login(citizen)
    response = client.get("/__forbidden__")
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor == citizen
    assert entry.changes["path"] == [None, "/__forbidden__"]
    assert entry.changes["status"] == [None, 403]


def test_api_denial_is_recorded(client, citizen):
    client.force_login(citizen)
    response = client.get("/api/v1/audit/verify/")
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.actor == citizen
    assert entry.changes["method"] == [None, "GET"]
    assert entry.object_id == "/api/v1/audit/verify/"
