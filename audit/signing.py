"""The portal's audit signing key (Ed25519, via ``cryptography``).

``AUDIT_SIGNING_KEY`` holds the private key: a PEM block (PKCS#8; ``\\n`` escapes
are accepted, as environment files often need them) or the base64 of its raw
32 bytes. Production requires it (``ptsp.settings.production``). Development
and tests without it use ``AUDIT_SIGNING_KEY_FILE``, a key generated on first use
under ``var/`` (never in production, where that setting is unset).

``AUDIT_TRUSTED_PUBLIC_KEYS`` lists earlier public keys (base64, raw 32 bytes) that
verification still accepts after a key rotation.
"""

import base64
import binascii
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)


def parse_private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM text or base64 of the raw 32 bytes.

    Raises ``ImproperlyConfigured`` naming the problem (never the key).
    """
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(
                text.replace("\\n", "\n").encode(), password=None
            )
        except ValueError as exc:
            raise ImproperlyConfigured(
                "AUDIT_SIGNING_KEY is not a readable PEM private key."
            ) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be an Ed25519 key.")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(
            "AUDIT_SIGNING_KEY is neither PEM nor base64."
        ) from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "AUDIT_SIGNING_KEY in base64 must decode to the 32 raw bytes of an "
            "Ed25519 private key."
        )
    return Ed25519PrivateKey.from_private_bytes(raw)


def generate_private_key_pem() -> str:
    """A new Ed25519 private key as PKCS#8 PEM text (``manage.py audit_keygen``)."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_key_b64(key: Ed25519PublicKey) -> str:
    """Base64 of the raw 32-byte public key, as published with each checkpoint."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _dev_key_file(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_private_key_pem())
    return path.read_text()


@cache
def _signing_key(configured: str, dev_file: str) -> Ed25519PrivateKey:
    if configured:
        return parse_private_key(configured)
    if dev_file:
        return parse_private_key(_dev_key_file(Path(dev_file)))
    raise ImproperlyConfigured(
        "AUDIT_SIGNING_KEY is not set: audit checkpoints cannot be signed."
    )


def signing_key() -> Ed25519PrivateKey:
    """The portal's private key. Raises ``ImproperlyConfigured`` when none is set."""
    return _signing_key(
        getattr(settings, "AUDIT_SIGNING_KEY", ""),
        str(getattr(settings, "AUDIT_SIGNING_KEY_FILE", "") or ""),
    )


def trusted_public_keys() -> set[str]:
    """Public keys (base64) whose signatures verification accepts: the current key's
    and those listed in ``AUDIT_TRUSTED_PUBLIC_KEYS``."""
    keys = {public_key_b64(signing_key().public_key())}
    keys.update(k.strip() for k in settings.AUDIT_TRUSTED_PUBLIC_KEYS if k.strip())
    return keys


def sign(message: bytes) -> tuple[str, str]:
    """``(signature, public_key)``, both base64, for ``message``."""
    key = signing_key()
    return (
        base64.b64encode(key.sign(message)).decode(),
        public_key_b64(key.public_key()),
    )


def signature_valid(*, message: bytes, signature: str, public_key: str) -> bool:
    """Whether ``signature`` (base64) is ``public_key``'s (base64) over ``message``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
