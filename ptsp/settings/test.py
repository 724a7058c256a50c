"""Test settings: real PostgreSQL and Redis when reachable, else SQLite.

``DATABASE_URL`` / ``REDIS_URL`` win. Otherwise the servers on 127.0.0.1 are probed;
when one is down the suite still runs on the embedded default and every test marked
``postgres`` or ``redis`` is skipped with a reason (``tests/conftest.py``). CI sets
``PTSP_REQUIRE_SERVICES=1``, which turns those skips into failures.
"""

import os
import socket


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


if "DATABASE_URL" not in os.environ and _reachable("127.0.0.1", 5432):
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/ptsp"
if "REDIS_URL" not in os.environ and _reachable("127.0.0.1", 6379):
    os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/15"

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
# base64 of the 32 bytes b"test-only-audit-key-not-secret!!": public, tests only.
os.environ.setdefault(
    "AUDIT_SIGNING_KEY", "dGVzdC1vbmx5LWF1ZGl0LWtleS1ub3Qtc2VjcmV0ISE="
)
# Off for the suite's staff fixtures; tests of the second factor turn it on
# (production settings force it on).
os.environ.setdefault("PTSP_STAFF_2FA_REQUIRED", "false")
# Public, tests only: the fake gateway signs its callbacks with it.
os.environ.setdefault("PAYMENTS_GATEWAY_SECRET", "test-only-gateway-secret")

from .base import *  # noqa: E402

# Argon2 is deliberately slow; tests hash thousands of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = VAR_DIR / "test-media"
DOCUMENTS_SIGNING_DIR = str(VAR_DIR / "test-signing")
# WhiteNoise serves from the finders in tests; no collectstatic output exists.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests call task functions directly; nothing may reach a broker by accident.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

DATA_GENERATOR_ENABLED = True

# A second alias on the test database stands in for a read replica; report
# reads use it only where a test turns REPORTS_FROM_REPLICA on (and lists
# "replica" in its databases), see tests/test_db_router.py.
if IS_POSTGRES and "replica" not in DATABASES:
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPORTS_FROM_REPLICA = False

# Quiet hours would make SMS tests depend on the wall clock (they hold SMS from
# 21:00 WIB); the tests of quiet hours set them explicitly.
NOTIFICATIONS_QUIET_HOURS = ""
