"""Development settings: the embedded default for ``make run``.

Only harmless values are filled in here; anything set in the environment wins.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# SMS and WhatsApp are written to the worker's log (a code can be read there).
for _channel in ("SMS", "WHATSAPP"):
    if not os.environ.get(f"NOTIFICATIONS_{_channel}_URL"):
        os.environ.setdefault(
            f"NOTIFICATIONS_{_channel}_ADAPTER",
            "notifications.gateways.console.ConsoleGateway",
        )

# Demo staff accounts log in without a second factor (seed_demo); production
# requires it.
os.environ.setdefault("PTSP_STAFF_2FA_REQUIRED", "false")

# The port `make run` serves on (Makefile PTSP_PORT): links in e-mails, PDFs and
# QR codes point there, and the fake gateway listens 199 above it
# (Procfile.dev), so two copies can run side by side.
_port = int(os.environ.get("PTSP_PORT") or 8000)
os.environ.setdefault("PORTAL_BASE_URL", f"http://127.0.0.1:{_port}")

# The local fake payment gateway (manage.py run_fake_gateway) and its secret.
os.environ.setdefault("PAYMENTS_GATEWAY_SECRET", "dev-only-gateway-secret")
os.environ.setdefault("PAYMENTS_GATEWAY_PAY_URL", f"http://127.0.0.1:{_port + 199}")

from .base import *  # noqa: E402

# Without AUDIT_SIGNING_KEY, development signs audit checkpoints with a key
# generated on first use under var/ (never in production, which requires the key).
AUDIT_SIGNING_KEY_FILE = VAR_DIR / "audit-signing-key.pem"

# In development WhiteNoise serves straight from the finders; no manifest needed.
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# `manage.py generate_data` may fill this database with fake data.
DATA_GENERATOR_ENABLED = True
