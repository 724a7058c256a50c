"""The language switch stores a logged-in user's choice (issue 18); the stored
choice wins over the cookie on every request of that user."""

from django.utils import timezone

import pytest

from accounts.models import User
from audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def citizen():
    return User.objects.create_user(username="warga", password="pw-Rahasia-123")


def test_switch_stores_the_choice_on_the_account_and_audits_it(client, citizen):
    client.force_login(citizen)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    citizen.refresh_from_db()
    assert citizen.preferred_language == "en"
    entry = AuditEntry.objects.get(action="account.profile_update")
    assert entry.changes == {"preferred_language": ["id", "en"]}


def test_unknown_language_or_anonymous_changes_no_account(client, citizen):
    client.post("/i18n/setlang/", {"language": "en"})  # anonymous: cookie only
    client.force_login(citizen)
    client.post("/i18n/setlang/", {"language": "fr"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "id"
    assert not AuditEntry.objects.filter(action="account.profile_update").exists()


def test_the_stored_language_applies_on_a_new_device(client, citizen):
    citizen.preferred_language = "en"
    citizen.language_chosen_at = timezone.now()
    citizen.save(update_fields=["preferred_language", "language_chosen_at"])
    client.force_login(citizen)
    response = client.get("/akun/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.headers["Content-Language"] == "en"
    assert response.cookies["django_language"].value == "en"


def test_a_language_never_chosen_leaves_the_browser_to_decide(client, citizen):
    assert citizen.language_chosen_at is None  # "id" is only the default
    client.force_login(citizen)
    response = client.get("/akun/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"
    assert "django_language" not in response.cookies
