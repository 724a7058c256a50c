"""The checkpoint signing key: formats, the development key, production."""

import base64
import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from audit import signing
from audit.checks import check_signing_key

ROOT = Path(__file__).resolve().parents[2]


def test_pem_base64_and_escaped_pem_give_the_same_key():
    pem = signing.generate_private_key_pem()
    key = signing.parse_private_key(pem)
    raw = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = signing.public_key_b64(key.public_key())
    for text in (base64.b64encode(raw).decode(), pem.replace("\n", "\\n")):
        assert signing.public_key_b64(signing.parse_private_key(text).public_key()) == (
            public
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not a key at all", "neither PEM nor base64"),
        (base64.b64encode(b"short").decode(), "32 raw bytes"),
        ("-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----", "PEM"),
    ],
)
def test_bad_keys_are_refused_with_a_clear_message(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        signing.parse_private_key(text)


def test_a_key_of_another_type_is_refused():
    pem = (
        X25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ImproperlyConfigured, match="Ed25519"):
        signing.parse_private_key(pem)


def test_development_key_is_generated_once_and_private(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "var" / "audit-signing-key.pem"
    first = signing.public_key_b64(signing.signing_key().public_key())
    assert oct(settings.AUDIT_SIGNING_KEY_FILE.stat().st_mode & 0o777) == "0o600"
    signing._signing_key.cache_clear()
    assert signing.public_key_b64(signing.signing_key().public_key()) == first


def test_rotated_keys_stay_trusted(settings):
    old = signing.public_key_b64(
        signing.parse_private_key(signing.generate_private_key_pem()).public_key()
    )
    settings.AUDIT_TRUSTED_PUBLIC_KEYS = [old]
    assert old in signing.trusted_public_keys()
    assert len(signing.trusted_public_keys()) == 2


def test_missing_key_fails_the_system_check(settings):
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = ""
    assert [e.id for e in check_signing_key(None)] == ["audit.E001"]
    settings.AUDIT_SIGNING_KEY = base64.b64encode(b"k" * 32).decode()
    assert check_signing_key(None) == []


def test_production_requires_the_signing_key():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AUDIT_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ptsp.settings.production",
            "DJANGO_SECRET_KEY": "s" * 60,
            "DJANGO_ALLOWED_HOSTS": "ptsp.example",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "AUDIT_SIGNING_KEY" in result.stderr
