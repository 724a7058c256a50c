"""Home page, health check, error pages and security headers."""

from django.db import connection
from django.test import Client

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_indonesian_by_default_and_english_on_request(client):
    """No cookie, no header: Indonesian. ``Accept-Language: en`` gives English."""
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert "Pelayanan terpadu satu pintu Kota Tangerang" in response.text
    response = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="en">' in response.text
    assert "Integrated one-stop service of Kota Tangerang" in response.text


def test_responses_carry_csp_with_nonce_and_request_id(client):
    """Every page sends the built-in CSP (no CDN allowed) and echoes a request id."""
    response = client.get("/", headers={"x-request-id": "abc12345-req"})
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Request-ID"] == "abc12345-req"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # A header that is not a plausible id is replaced, not reflected.
    response = client.get("/", headers={"x-request-id": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_healthz_reports_database_and_broker(client, settings):
    """Both dependencies answer: 200 with the database vendor named."""
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "detail": connection.vendor}
    assert body["broker"]["ok"] is True
    assert response.headers["Cache-Control"].startswith("max-age=0")


@pytest.mark.redis
def test_healthz_with_real_redis_broker(client, settings, redis_url):
    """The Redis broker the deployment uses is reported reachable."""
    settings.CELERY_BROKER_URL = redis_url
    body = client.get("/healthz").json()
    assert body["broker"]["ok"] is True
    assert "redis" in body["broker"]["detail"].lower()


def test_healthz_fails_when_broker_is_down(client, settings):
    """A broker nobody listens on makes the check 503 quickly, naming no secret."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["broker"]["ok"] is False
    assert "127.0.0.1" not in response.text


@pytest.mark.parametrize(
    ("lang", "text"),
    [("id", "Halaman tidak ditemukan"), ("en", "Page not found")],
)
def test_404_page_in_both_languages(client, lang, text):
    response = client.get("/tidak-ada/", headers={"accept-language": lang})
    assert response.status_code == 404
    assert text in response.text


@pytest.mark.urls("tests.urls")
def test_500_page_is_bilingual_without_stack_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/__boom__")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.text
    assert "Something went wrong on our side" in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("lang", "text"),
    [("id", "Formulir sudah kedaluwarsa"), ("en", "The form has expired")],
)
def test_csrf_failure_page_in_both_languages(lang, text):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/akun/masuk/",
        {"username": "x", "password": "y"},
        headers={"accept-language": lang},
    )
    assert response.status_code == 403
    assert text in response.text
    assert "CSRF" not in response.text


@pytest.mark.urls("tests.urls")
@pytest.mark.parametrize(
    ("lang", "text"), [("id", "Akses ditolak"), ("en", "Access denied")]
)
def test_403_page_in_both_languages(client, lang, text):
    response = client.get("/__forbidden__", headers={"accept-language": lang})
    assert response.status_code == 403
    assert text in response.text


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_api_docs_load_nothing_from_outside(client):
    """The Redoc page uses our own static copy (sidecar), no CDN or web fonts;
    only its styles are relaxed in the CSP, scripts stay 'self'."""
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert "https://" not in response.text
    assert "{#" not in response.text
    assert "/static/drf_spectacular_sidecar/redoc/" in response.text
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self' 'unsafe-inline'" in csp


def test_unknown_api_route_is_a_json_404(client):
    response = client.get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Tidak ditemukan."}
    page = client.get("/tidak-ada/")  # pages keep the HTML error page
    assert page["Content-Type"].startswith("text/html")


def test_favicon_ico_redirects_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
