"""Development settings and Procfile.dev follow ``PTSP_PORT`` (Makefile), so
links in notifications and PDFs point at the port actually served and two
copies of the portal (and their fake payment gateways) run side by side."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.PORTAL_BASE_URL); print(settings.PAYMENTS_GATEWAY_PAY_URL)"
)


def _dev_settings(port: str | None) -> list[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PORTAL_BASE_URL", "PAYMENTS_GATEWAY_PAY_URL", "PTSP_PORT")
    }
    env["DJANGO_SETTINGS_MODULE"] = "ptsp.settings.dev"
    if port is not None:
        env["PTSP_PORT"] = port
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return out.stdout.split()[-2:]


def test_dev_links_and_gateway_follow_the_port():
    assert _dev_settings("8120") == ["http://127.0.0.1:8120", "http://127.0.0.1:8319"]
    assert _dev_settings(None) == ["http://127.0.0.1:8000", "http://127.0.0.1:8199"]


def test_procfile_gateway_port_is_derived_from_the_portal_port():
    procfile = (ROOT / "Procfile.dev").read_text()
    (gateway,) = [line for line in procfile.splitlines() if line.startswith("gateway:")]
    assert "8199" not in gateway
    assert "--port $((PTSP_PORT + 199))" in gateway
    shell = subprocess.run(
        ["sh", "-c", "echo $((PTSP_PORT + 199))"],
        env={"PTSP_PORT": "8120", "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shell.stdout.strip() == "8319"
