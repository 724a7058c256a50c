"""Settings of the benchmark runs: production's, served on loopback over HTTP.

What differs from production, and why: no HTTPS redirect (no TLS proxy on
loopback); static files unhashed (no ``collectstatic`` before a run; pages are
measured without their assets); the bench URLs (``bench.urls``) add a trivial
view to compare pages with; the data generator is enabled. Keys below are public
and for benchmarks only.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
# base64 of the 32 bytes b"test-only-audit-key-not-secret!!" (as in tests).
os.environ.setdefault(
    "AUDIT_SIGNING_KEY", "dGVzdC1vbmx5LWF1ZGl0LWtleS1ub3Qtc2VjcmV0ISE="
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from ptsp.settings.production import *

ROOT_URLCONF = "bench.urls"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DATA_GENERATOR_ENABLED = True
