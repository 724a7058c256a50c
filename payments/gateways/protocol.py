"""The generic gateway protocol: HMAC-SHA256-signed JSON (``docs/payments.md``).

Both directions sign ``f"{timestamp}.".encode() + body`` with the shared
secret ``settings.PAYMENTS_GATEWAY_SECRET`` (HMAC-SHA256, lowercase hex) and
send::

    X-PTSP-Timestamp: 1764400000            (Unix seconds, UTC)
    X-PTSP-Signature: sha256=<hex digest>

A payment callback's body is a JSON object::

    {"transaction_id": "TRX-0001",           # unique per payment at the gateway
     "billing_code": "3671260123456789",
     "amount": 270000,                        # whole IDR, integer
     "paid_at": "2026-11-29T10:15:00+07:00",  # ISO 8601 with an offset
     "channel": "teller"}                     # optional, free text

A message whose timestamp is further than
``settings.PAYMENTS_CALLBACK_TOLERANCE_SECONDS`` from now is refused like a
bad signature (a captured message cannot be sent again much later). Adapters
for a bank's own format subclass ``GenericHmacGateway`` and override
``verify`` and ``parse``.
"""

import datetime as dt
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from django.conf import settings

SIGNATURE_HEADER = "X-PTSP-Signature"
TIMESTAMP_HEADER = "X-PTSP-Timestamp"
#: Largest amount a callback may carry: the bigint the columns hold.
MAX_AMOUNT = 2**63 - 1


class MalformedMessage(ValueError):
    """The body is not a valid callback message (the text says why)."""


@dataclass(frozen=True)
class CallbackMessage:
    transaction_id: str
    billing_code: str
    amount: int
    paid_at: dt.datetime
    channel: str = ""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of ``timestamp + "." + body`` under ``secret``."""
    digest = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict:
    """The two headers that sign ``body`` now (for senders and tests)."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


class GenericHmacGateway:
    """The portal's own protocol; the default adapter."""

    name = "generic"

    def __init__(self, secret: str | None = None) -> None:
        self.secret = secret if secret is not None else settings.PAYMENTS_GATEWAY_SECRET

    def verify(self, *, body: bytes, headers) -> bool:
        """Whether the signature headers are present, fresh and right."""
        timestamp = headers.get(TIMESTAMP_HEADER, "")
        signature = headers.get(SIGNATURE_HEADER, "")
        # ``isascii``: ``str.isdigit`` also accepts "²" and other digits
        # ``int`` refuses; 20 digits bound ``int`` (it refuses > 4300 digits).
        if not self.secret or not signature:
            return False
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 20):
            return False
        age = abs(time.time() - int(timestamp))
        if age > settings.PAYMENTS_CALLBACK_TOLERANCE_SECONDS:
            return False
        expected = sign(self.secret, timestamp, body)
        return hmac.compare_digest(expected, signature)

    def parse(self, body: bytes) -> CallbackMessage:
        """The message in ``body``; raises ``MalformedMessage``."""
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise MalformedMessage("body is not JSON") from None
        if not isinstance(data, dict):
            raise MalformedMessage("body is not a JSON object")
        tx = data.get("transaction_id")
        code = data.get("billing_code")
        amount = data.get("amount")
        if not isinstance(tx, str) or not 1 <= len(tx) <= 64 or "\x00" in tx:
            raise MalformedMessage("transaction_id must be a string of 1-64 chars")
        if not isinstance(code, str) or not 1 <= len(code) <= 64 or "\x00" in code:
            raise MalformedMessage("billing_code must be a string")
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int)
            or not 0 < amount <= MAX_AMOUNT
        ):
            raise MalformedMessage("amount must be a positive integer (IDR)")
        try:
            paid_at = dt.datetime.fromisoformat(str(data.get("paid_at")))
            if paid_at.tzinfo is None:
                raise MalformedMessage("paid_at must carry an offset")
            paid_at = paid_at.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise MalformedMessage("paid_at must be ISO 8601") from None
        channel = str(data.get("channel") or "").replace("\x00", "")
        return CallbackMessage(
            transaction_id=tx,
            billing_code=code.replace(" ", ""),
            amount=amount,
            paid_at=paid_at,
            channel=channel[:40],
        )

    def payment_url(self, bill) -> str:
        """Where the citizen pays online, or ``""`` (pay at a bank or teller
        with the billing code)."""
        base = settings.PAYMENTS_GATEWAY_PAY_URL
        return f"{base.rstrip('/')}/pay/{bill.billing_code}" if base else ""
