"""A small SMS/WhatsApp gateway on loopback that speaks the generic JSON protocol
(README, "SMS and WhatsApp"), with the faults a real one has: slow answers, 5xx,
invalid numbers, a closed WhatsApp window; and it posts signed delivery reports.
"""

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from notifications.gateways import signature_header

TOKEN = "test-gateway-token"
SECRET = "test-callback-secret"


@dataclass
class Received:
    """One request as the gateway saw it."""

    path: str
    headers: dict
    body: dict
    answered: int = 0


@dataclass
class FakeGateway:
    """State and behaviour of the fake; change the fields to inject faults.

    ``handset`` holds the messages really "sent": one per idempotency key, even
    when the portal retries. ``fail_next`` answers that many requests with
    ``fail_status`` before accepting; ``slow_next`` accepts that many but
    answers after ``slow_seconds`` (the portal times out while the gateway has
    the message). ``on_accept`` runs inside the request, before the answer.
    """

    host: str = "127.0.0.1"
    port: int = 0
    requests: list[Received] = field(default_factory=list)
    handset: list[dict] = field(default_factory=list)
    message_ids: dict[str, str] = field(default_factory=dict)
    fail_next: int = 0
    fail_status: int = 500
    slow_next: int = 0
    slow_seconds: float = 1.5
    invalid_numbers: set[str] = field(default_factory=set)
    window_closed: bool = False
    on_accept: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def keys(self) -> list[str]:
        with self.lock:
            return [m["reference"] for m in self.handset]

    def handle(self, received: Received) -> tuple[int, dict, float]:
        """Decide the answer: (status, JSON body, seconds to wait first)."""
        body = received.body
        with self.lock:
            self.requests.append(received)
            if received.headers.get("authorization") != f"Bearer {TOKEN}":
                return 401, {"error": {"code": "unauthorized"}}, 0
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"error": {"code": "unavailable"}}, 0
            if body.get("to") in self.invalid_numbers:
                return (
                    422,
                    {"error": {"code": "invalid_number", "message": "No such number"}},
                    0,
                )
            free_text = body.get("type") == "text"
            if free_text and body.get("channel") == "whatsapp" and self.window_closed:
                return 422, {"error": {"code": "window_closed"}}, 0
            key = received.headers.get("idempotency-key", "")
            if key in self.message_ids:  # a retry: the same answer, no new message
                return (
                    200,
                    {"message_id": self.message_ids[key], "status": "accepted"},
                    0,
                )
            message_id = f"gw-{next(self._ids)}"
            self.message_ids[key] = message_id
            self.handset.append({**body, "message_id": message_id})
            delay = 0.0
            if self.slow_next > 0:
                self.slow_next -= 1
                delay = self.slow_seconds
        if callable(self.on_accept):
            self.on_accept(body, message_id)
        return 202, {"message_id": message_id, "status": "accepted"}, delay

    # --- delivery reports -------------------------------------------------------

    def report(
        self,
        *,
        reference: str = "",
        message_id: str = "",
        status: str = "delivered",
        error_code: str = "",
        event_id: str | None = None,
        timestamp: int | None = None,
        secret: str = SECRET,
        extra: dict | None = None,
    ) -> tuple[bytes, dict]:
        """A signed status report: (body, headers)."""
        payload = {
            "id": event_id or f"evt-{next(self._ids)}",
            "type": "status",
            "reference": reference,
            "message_id": message_id,
            "status": status,
            "occurred_at": datetime.now(UTC).isoformat(),
            **(extra or {}),
        }
        if error_code:
            payload["error"] = {"code": error_code, "message": "from the operator"}
        return self.sign(payload, timestamp=timestamp, secret=secret)

    def inbound(self, *, phone: str, event_id: str | None = None) -> tuple[bytes, dict]:
        """A signed inbound WhatsApp message from ``phone``."""
        payload = {
            "id": event_id or f"evt-{next(self._ids)}",
            "type": "inbound",
            "channel": "whatsapp",
            "from": phone,
            "text": "Halo, saya mau tanya status permohonan.",
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        return self.sign(payload)

    def sign(
        self, payload: dict, *, timestamp: int | None = None, secret: str = SECRET
    ) -> tuple[bytes, dict]:
        body = json.dumps(payload).encode()
        stamp = int(time.time()) if timestamp is None else timestamp
        header = signature_header(secret=secret, body=body, timestamp=stamp)
        return body, {"X-PTSP-Signature": header, "Content-Type": "application/json"}

    def post(self, url: str, body: bytes, headers: dict) -> httpx.Response:
        """Post a report over real HTTP (to a live server)."""
        return httpx.post(url, content=body, headers=headers, timeout=10)


def _handler(gateway: FakeGateway):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            received = Received(
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            status, answer, delay = gateway.handle(received)
            if delay:
                time.sleep(delay)
            received.answered = status
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the portal gave up waiting (a timeout): that is the test

        def log_message(self, format, *args) -> None:
            pass

    return Handler


class GatewayServer:
    """Runs a ``FakeGateway`` in a thread on a free loopback port."""

    def __init__(self, gateway: FakeGateway) -> None:
        self.gateway = gateway
        self.server = ThreadingHTTPServer((gateway.host, 0), _handler(gateway))
        self.server.daemon_threads = True
        gateway.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self.gateway

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
