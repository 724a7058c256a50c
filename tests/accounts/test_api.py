"""``/api/v1/accounts/me/``: the caller's own profile only."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_gets_403(client):
    assert client.get("/api/v1/accounts/me/").status_code == 403


def test_profile_read_and_update(client, citizen):
    client.force_login(citizen)
    body = client.get("/api/v1/accounts/me/").json()
    assert body["full_name"] == "Budi Santoso"
    assert body["email_verified"] is True
    assert body["roles"] == []
    assert body["home_url"] == "/akun/"
    response = client.patch(
        "/api/v1/accounts/me/",
        {"preferred_language": "en", "full_name": "Budi S."},
        content_type="application/json",
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.preferred_language) == ("Budi S.", "en")


def test_bad_language_is_a_400(client, citizen):
    client.force_login(citizen)
    response = client.patch(
        "/api/v1/accounts/me/",
        {"preferred_language": "fr"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "preferred_language" in response.json()


def test_staff_profile_names_the_role(client, verifier):
    client.force_login(verifier)
    body = client.get("/api/v1/accounts/me/").json()
    assert body["roles"] == ["verifier"]
    assert body["home_url"] == "/akun/petugas/"
