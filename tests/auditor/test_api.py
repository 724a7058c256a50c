"""Auditor API, and the read-only rule: every write endpoint refuses auditors."""

from django.urls import URLPattern, URLResolver, get_resolver

import pytest

from audit.models import AuditEntry
from auditor.models import VerificationRun
from auditor.permissions import AUDITOR_WRITE_ALLOWED
from tests.support.workflow import submit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_entries_api_filters_and_pages(client, auditor_user, licence, citizen):
    application, _ = submit(licence, citizen)
    client.force_login(auditor_user)
    response = client.get(
        "/api/v1/auditor/entries/", {"reference": application.reference, "order": "asc"}
    )
    assert response.status_code == 200
    data = response.json()
    assert "count" not in data
    assert data["results"][0]["action"] == "application.create"
    assert client.get("/api/v1/auditor/entries/", {"date_from": "x"}).status_code == 400
    assert client.get("/api/v1/auditor/entries/", {"cursor": "%%%"}).status_code == 400


def test_entries_api_cursor_walks_every_page(
    client, auditor_user, licence, citizen, settings
):
    submit(licence, citizen)
    settings.AUDITOR_PAGE_SIZE = 2
    client.force_login(auditor_user)
    ids, params = [], {}
    while True:
        data = client.get("/api/v1/auditor/entries/", params).json()
        ids += [r["id"] for r in data["results"]]
        if not data["next"]:
            break
        params = {"cursor": data["next"]}
    assert len(ids) == len(set(ids)) == AuditEntry.objects.count()


def test_integrity_api_and_verify_now(
    client, auditor_user, django_capture_on_commit_callbacks
):
    client.force_login(auditor_user)
    assert client.get("/api/v1/auditor/integrity/").json()["last_verification"] is None
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/api/v1/auditor/integrity/",
            {"full": True},
            content_type="application/json",
        )
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert len(callbacks) == 1
    assert VerificationRun.objects.get().full is True


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _routes(pattern, prefix + (f"{ns}:" if ns else ""))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_the_allow_list_names_real_routes():
    names = set(_routes())
    assert names >= AUDITOR_WRITE_ALLOWED, AUDITOR_WRITE_ALLOWED - names


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/applications/"),
        ("post", "/api/v1/applications/00000000-0000-0000-0000-000000000000/approve/"),
        ("patch", "/api/v1/applications/00000000-0000-0000-0000-000000000000/"),
        ("delete", "/api/v1/documents/00000000-0000-0000-0000-000000000000/"),
        ("post", "/permohonan/baru/sip-dokter/"),
        ("post", "/akun/profil/"),
        ("post", "/admin/accounts/user/add/"),
        ("post", "/akun/ponsel/"),
        ("post", "/akun/email/"),
    ],
)
def test_every_write_refuses_an_auditor(client, auditor_user, method, path):
    client.force_login(auditor_user)
    response = getattr(client, method)(path)
    assert response.status_code == 403
    assert AuditEntry.objects.filter(
        action="access.denied", actor=auditor_user
    ).exists()


def test_every_route_refuses_an_auditors_post_unless_allowed(client, auditor_user):
    """Walk every URL pattern without parameters: a POST from an auditor is
    403 everywhere except the allow list."""
    from django.urls import reverse

    client.force_login(auditor_user)
    checked = 0
    for name in _routes():
        if name in AUDITOR_WRITE_ALLOWED:
            continue
        try:
            path = reverse(name)
        except Exception:  # noqa: S112  (a pattern with parameters)
            continue
        response = client.post(path)
        assert response.status_code == 403, (name, response.status_code)
        checked += 1
    assert checked > 30


def test_an_auditor_may_still_log_out(client, auditor_user):
    client.force_login(auditor_user)
    assert client.post("/akun/keluar/").status_code == 302
