"""Redis (the cache, and the rate limits kept in it) is down. The public
document verification, which counts requests per IP in the cache, must still
answer (the count is skipped, the page shown), not a 500 for every citizen
who scans a QR code."""

from django.core.cache import caches
from django.urls import reverse

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "KEY_PREFIX": "ptsp",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    # Django's setting_changed receiver rebuilds the cache handlers.
    return caches["default"]


@pytest.mark.usefixtures("dead_cache")
@pytest.mark.parametrize(
    "url",
    [
        reverse("documents:verify", args=["no-such-token"]),
        reverse("api:documents-api:verify", args=["no-such-token"]),
    ],
)
def test_document_verification_answers_with_redis_down(client, url):
    response = client.get(url)
    assert response.status_code == 404
