"""The generic JSON-webhook gateway: the protocol any SMS or WhatsApp provider (or
a small bridge in front of one) can speak. The README, "SMS and WhatsApp",
documents it for providers."""

import json
import logging
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.utils.dateparse import parse_datetime

import httpx

from notifications.failures import PermanentFailure, TemporaryFailure

from .base import (
    CallbackReport,
    Gateway,
    InvalidCallback,
    OutboundMessage,
    SendResult,
    WindowClosed,
)
from .signing import HEADER, signature_verify

logger = logging.getLogger(__name__)

#: Error codes after which another attempt cannot succeed.
PERMANENT_CODES = frozenset(
    {
        "invalid_number",
        "not_mobile",
        "not_on_whatsapp",
        "blocked",
        "opted_out",
        "template_not_found",
        "template_rejected",
        "invalid_parameters",
    }
)
#: HTTP statuses worth retrying besides 5xx: timeout, conflict (the same key is
#: still being processed), too early, rate limited; and bad credentials, which an
#: operator can fix while the retries back off.
TEMPORARY_STATUSES = frozenset({401, 403, 408, 409, 425, 429})
#: Report fields kept in ``GatewayCallback.payload`` (never the message text).
KEPT_FIELDS = (
    "id",
    "type",
    "channel",
    "message_id",
    "reference",
    "status",
    "error",
    "occurred_at",
    "window_closes_at",
)


class GenericJsonGateway(Gateway):
    """``POST {URL}`` with JSON, ``Authorization: Bearer {TOKEN}`` and
    ``Idempotency-Key``; callbacks signed with HMAC-SHA256 (``signing``).

    Timeouts: ``NOTIFICATIONS_GATEWAY_TIMEOUT`` seconds for the whole answer.
    2xx is accepted; a 4xx whose ``error.code`` is in ``PERMANENT_CODES`` or whose
    status is not in ``TEMPORARY_STATUSES`` is permanent; 5xx, timeouts and
    connection errors are temporary. ``window_closed`` raises ``WindowClosed``.
    """

    def request_body(self, message: OutboundMessage) -> dict:
        body: dict = {
            "channel": message.channel,
            "to": message.to,
            "from": self.sender,
            "reference": message.idempotency_key,
            "event": message.event,
        }
        if message.template:
            body["type"] = "template"
            body["template"] = {
                "name": message.template,
                "language": message.template_language,
                "parameters": list(message.parameters),
            }
        else:
            body["type"] = "text"
            body["text"] = message.text
        return body

    def send(self, message: OutboundMessage) -> SendResult:
        """Raises ``PermanentFailure`` or ``TemporaryFailure`` (see the class)."""
        if not self.configured:
            raise PermanentFailure(f"No {self.channel} gateway is configured.")
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": message.idempotency_key,
            "Accept": "application/json",
            "User-Agent": "ptsp-portal",
        }
        try:
            response = httpx.post(
                self.url,
                json=self.request_body(message),
                headers=headers,
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0)),
            )
        except httpx.TimeoutException as error:
            raise TemporaryFailure(f"Gateway timed out: {error!r}") from error
        except httpx.HTTPError as error:
            raise TemporaryFailure(f"Gateway unreachable: {error!r}") from error
        data = _json(response)
        if response.is_success:
            return SendResult(message_id=str(data.get("message_id") or ""))
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        code = str(error.get("code") or "")
        reply = f"HTTP {response.status_code} {code}: {error.get('message', '')}"
        reply = reply.strip(" :")
        if code == "window_closed":
            raise WindowClosed(reply)
        if code in PERMANENT_CODES:
            raise PermanentFailure(reply)
        if response.status_code >= 500 or response.status_code in TEMPORARY_STATUSES:
            raise TemporaryFailure(reply)
        raise PermanentFailure(reply)

    def parse_callback(
        self, *, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> CallbackReport:
        """Verify the signature, then decode one report; raises ``InvalidCallback``."""
        signature_verify(
            header=headers.get(HEADER, ""),
            body=body,
            secrets=self.callback_secrets,
            now=now,
            tolerance=settings.NOTIFICATIONS_CALLBACK_TOLERANCE_SECONDS,
        )
        try:
            data = json.loads(body)
        except ValueError:
            raise InvalidCallback("The body is not JSON.") from None
        if not isinstance(data, dict) or not str(data.get("id") or "").strip():
            raise InvalidCallback("A report needs an id.")
        kind = data.get("type")
        if kind not in ("status", "inbound"):
            raise InvalidCallback("type must be status or inbound.")
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        report = CallbackReport(
            event_id=str(data["id"])[:128],
            kind=kind,
            reference=str(data.get("reference") or ""),
            message_id=str(data.get("message_id") or ""),
            status=str(data.get("status") or ""),
            error_code=str(error.get("code") or ""),
            error=str(error.get("message") or ""),
            phone=str(data.get("from") or ""),
            occurred_at=_when(data.get("occurred_at")),
            window_closes_at=_when(data.get("window_closes_at")),
            payload={k: data[k] for k in KEPT_FIELDS if k in data},
        )
        if kind == "status" and report.status not in (
            "sent",
            "delivered",
            "read",
            "failed",
        ):
            raise InvalidCallback("status must be sent, delivered, read or failed.")
        if kind == "status" and not (report.reference or report.message_id):
            raise InvalidCallback("A status report names reference or message_id.")
        if kind == "inbound" and not report.phone:
            raise InvalidCallback("An inbound report names from.")
        return report


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _when(value) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        raise InvalidCallback(f"Not an ISO 8601 time: {value!r}.") from None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidCallback(f"Not an aware ISO 8601 time: {value!r}.")
    return parsed
