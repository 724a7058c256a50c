"""Pages stay light on a slow connection (issue 18): with the production
static storage, ``collectstatic`` writes gzip and Brotli variants next to each
hashed file and WhiteNoise serves the smallest one the browser accepts, with a
long cache lifetime."""

from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

import pytest

#: ``ptsp/settings/base.py`` (the test settings swap it for the plain storage).
PRODUCTION_STORAGE = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
#: The third-party apps' files take long to compress and prove nothing more.
IGNORE = ["admin", "rest_framework", "drf_spectacular_sidecar", "django_extensions"]


@pytest.fixture
def collected(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": PRODUCTION_STORAGE,
    }
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=IGNORE
    )
    return tmp_path


@pytest.mark.parametrize(
    ("accept", "encoding", "suffix"),
    [("br, gzip", "br", ".br"), ("gzip", "gzip", ".gz"), ("", None, "")],
)
def test_css_is_served_compressed_with_a_long_cache_life(
    collected, accept, encoding, suffix
):
    url = static("css/portal.css")
    assert url != "/static/css/portal.css", "the manifest names the file by its hash"
    response = Client().get(url, HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    body = b"".join(response.streaming_content)
    on_disk = (collected / url.removeprefix("/static/")).with_name(
        url.rsplit("/", 1)[1] + suffix
    )
    assert body == on_disk.read_bytes()
    plain = (collected / url.removeprefix("/static/")).stat().st_size
    if encoding:
        assert len(body) < plain / 2  # CSS compresses well
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "Accept-Encoding" in response.headers["Vary"]
