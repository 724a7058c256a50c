"""HMAC signatures of gateway callbacks.

Header ``X-PTSP-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256 with the shared secret over ``"<t>." + raw request body``. Several
``v1=`` values may be sent while a secret is rotated; one valid value suffices.
A signature older or newer than ``NOTIFICATIONS_CALLBACK_TOLERANCE_SECONDS`` is
refused, so a captured callback cannot be replayed later; within the tolerance
the report's unique id makes a replay change nothing.
"""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from .base import InvalidCallback

HEADER = "X-PTSP-Signature"


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int) -> str:
    """The header value a gateway sends with ``body`` (used by tests and by any
    adapter that signs its own requests)."""
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def signature_verify(
    *,
    header: str,
    body: bytes,
    secrets: Iterable[str],
    now: datetime,
    tolerance: int,
) -> int:
    """Check ``header`` against ``body``; return the signed timestamp.

    Raises ``InvalidCallback``: 403 for a missing or wrong signature (or no
    secret configured: every callback is then refused), 400 for a timestamp
    outside ``now ± tolerance`` seconds.
    """
    secrets = [s for s in secrets if s]
    parts: dict[str, list[str]] = {}
    for item in (header or "").split(","):
        key, _sep, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
        candidates = parts["v1"]
    except (KeyError, ValueError, IndexError):
        raise InvalidCallback(
            "Missing or malformed signature.", status_code=403
        ) from None
    if not secrets:
        raise InvalidCallback("No callback secret is configured.", status_code=403)
    expected = [_digest(secret, timestamp, body) for secret in secrets]
    if not any(
        hmac.compare_digest(given, wanted)
        for given in candidates
        for wanted in expected
    ):
        raise InvalidCallback("Signature does not match.", status_code=403)
    if abs(now.timestamp() - timestamp) > tolerance:
        raise InvalidCallback("Signature timestamp outside the tolerance.")
    return timestamp
