"""Public pages served whole from the cache for anonymous visitors (issue 17,
``ptsp.pagecache``): identical content, no database query on a hit, stale
after a catalogue edit, never for logged-in users, one entry per language, no
CSRF token in them while the forms that need one still work."""

import re

from django.contrib.messages import SUCCESS
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

import pytest

from agencies.models import Agency, Service
from audit.context import audit_actor
from payments.models import FeeRule
from ptsp.pagecache import STAMP_KEY
from tests.agencies.test_versioning import _admin_post_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]

PUBLIC = [
    "/",
    "/layanan/",
    "/layanan/?agency=DINKES&category=&applicant_type=&q=",
    "/layanan/kk/",
    "/layanan/kk/standar/",
    "/transparansi/",
    "/transparansi/instansi/DINKES/",
    "/permohonan/lacak/",
]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PASSWORD = "kopi-tubruk-2026"


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="warga-cache", email="warga-cache@example.org", password=PASSWORD
    )


def _hit(client: Client, url: str, **headers):
    """The second request of a page: the first stored it."""
    first = client.get(url, **headers)
    assert first.status_code == 200
    return first, client.get(url, **headers)


@pytest.mark.parametrize("url", PUBLIC)
def test_a_hit_serves_the_same_page_without_a_query(
    client, django_assert_num_queries, url
):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {
        v.strip() for v in second["Vary"].split(",")
    }
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("url", PUBLIC)
def test_anonymous_public_pages_carry_no_csrf_token_or_cookie(client, url):
    response = client.get(url)
    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies


def test_editing_a_service_in_the_admin_shows_at_once(client, admin_user):
    """An anonymous visitor's cached list and page show the new SLA as soon as
    the admin saves the service (new version, stamp bumped)."""
    service = Service.objects.select_related("current_version").get(code="kk")
    assert "5 hari kerja" in client.get("/layanan/kk/").text
    client.get("/layanan/")  # cached too
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        f"/admin/agencies/service/{service.pk}/change/",
        _admin_post_data(service, sla_value="4", change_reason="SK Kadis 12/2027"),
    )
    assert response.status_code == 302
    assert "4 hari kerja" in client.get("/layanan/kk/").text
    card = re.search(
        r'<li class="card">\s*<h3><a href="/layanan/kk/">.*?</li>',
        (client.get("/layanan/").text),
        re.S,
    )
    assert "4 hari kerja" in card.group(0)


def test_saves_of_what_the_pages_show_bump_the_stamp():
    """An agency saved anywhere (admin, API, loader) and a fee rule (shown on
    the service page) bump the catalogue stamp through the save signals."""
    cache = caches["default"]
    stamps = [cache.get(STAMP_KEY % "catalogue")]
    with audit_actor(system="system:test"):
        Agency.objects.get(code="DINKES").save()
        stamps.append(cache.get(STAMP_KEY % "catalogue"))
        FeeRule.objects.create(service=Service.objects.get(code="kk"), kind="free")
        stamps.append(cache.get(STAMP_KEY % "catalogue"))
    assert len(set(stamps)) == 3


def test_logged_in_users_never_get_or_fill_the_cache(client, citizen):
    anonymous = client.get("/layanan/kk/").content
    user = Client()
    user.force_login(citizen)
    response = user.get("/layanan/kk/")
    assert response.content != anonymous
    assert "csrfmiddlewaretoken" in response.text  # the apply form
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    # A page rendered for a user is never stored for anonymous visitors.
    caches["default"].clear()
    user.get("/layanan/kk/")
    assert b"csrfmiddlewaretoken" not in Client().get("/layanan/kk/").content


def test_languages_do_not_mix(client):
    """Indonesian and English pages of one URL are two entries; the language
    cookie picks as the Accept-Language header does."""
    _first, id_page = _hit(client, "/layanan/")
    _first, en_page = _hit(client, "/layanan/", **EN)
    assert '<html lang="id">' in id_page.text
    assert "Katalog layanan" in id_page.text
    assert '<html lang="en">' in en_page.text
    assert "Service catalogue" in en_page.text
    client.cookies["django_language"] = "en"
    assert client.get("/layanan/").content == en_page.content
    client.cookies["django_language"] = "id"
    assert client.get("/layanan/").content == id_page.content


@pytest.mark.parametrize(
    "url",
    [
        "/layanan/?q=PBG",  # search text: unbounded, rendered each time
        "/layanan/?agency=NOPE",  # invalid filter
        "/layanan/?utm_source=x",  # parameter the page does not declare
        "/layanan/?agency=DINKES&agency=DPUPR",  # repeated
        "/transparansi/?semester=1999-9",
        "/permohonan/lacak/?reference=PTSP-2026-000001",
    ],
)
def test_other_queries_are_rendered_each_time(client, url):
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response  # set on stored pages only


def test_search_still_lists_the_right_cards(client):
    response = client.get("/layanan/?q=PBG")
    assert len(re.findall(r'<li class="card">', response.text)) == 2
    assert "2 layanan ditemukan" in response.text
    assert "46 layanan" in response.text  # the lead counts the whole catalogue


def test_pending_messages_are_shown_not_cached(client, rf):
    """A visitor with a message waiting gets a rendered page with the message;
    the page stored for others stays without it."""
    cached = client.get("/").content
    storage = CookieStorage(rf.get("/"))
    client.cookies["messages"] = storage._encode([Message(SUCCESS, "Pesan Anda.")])
    response = client.get("/")
    assert "Pesan Anda." in response.text
    assert "public" not in response.get("Cache-Control", "")
    assert Client().get("/").content == cached


def test_language_switch_needs_no_token_for_an_anonymous_visitor():
    """The switch on a cached page posts without a token: the cookie is set and
    the visitor goes back to ``next``, never to another site."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/layanan/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/layanan/"
    assert response.cookies["django_language"].value == "en"
    assert "Service catalogue" in client.get("/layanan/").text
    response = client.post(
        reverse("set_language"), {"language": "id", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "django_language" not in response.cookies


def test_language_switch_saves_on_the_account_only_with_the_token(citizen):
    """A logged-in user's page carries the token and the choice is saved; a
    forged post without it only sets the cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "id"
    page = client.get("/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    client.post(
        reverse("set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": token.group(1)},
    )
    citizen.refresh_from_db()
    assert citizen.preferred_language == "en"


def test_forms_that_need_the_token_still_have_it(citizen):
    """Login (anonymous) and apply (logged in) keep their CSRF protection; the
    anonymous "Apply now" is a link to the login page."""
    client = Client(enforce_csrf_checks=True)
    detail = client.get("/layanan/kk/").text
    assert 'href="/akun/masuk/?next=/layanan/kk/"' in detail
    login = client.get("/akun/masuk/?next=/layanan/kk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    assert token
    assert (
        client.post(
            "/akun/masuk/", {"username": "warga-cache", "password": PASSWORD}
        ).status_code
        == 403
    )
    response = client.post(
        "/akun/masuk/?next=/layanan/kk/",
        {
            "username": "warga-cache",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
            "next": "/layanan/kk/",
        },
    )
    assert response.status_code == 302
    page = client.get("/layanan/kk/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    start = reverse("permits:start", args=["kk"])
    assert client.post(start).status_code == 403
    response = client.post(start, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302


@pytest.mark.postgres
def test_pages_answer_with_the_cache_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    for url in ("/", "/layanan/", "/layanan/kk/"):
        assert client.get(url).status_code == 200
    # A catalogue edit still saves (the bump is logged as failed).
    Agency.objects.get(code="DINKES").save()


@pytest.mark.redis
def test_the_redis_cache_reuses_one_client():
    """``ptsp.cache.RedisCache`` builds the redis-py client once per pool (a
    new one per call cost a third of a cache hit), and still works."""
    cache = caches["default"]
    assert cache._cache.get_client() is cache._cache.get_client()
    cache.set("pages:test", "x", 5)
    assert cache.get_many(["pages:test", "pages:none"]) == {"pages:test": "x"}
