"""A fake BPJS integration gateway on loopback that speaks the JSON protocol of
docs/bpjs-adapter.md: ``POST /corrections`` (idempotent by the
``Idempotency-Key`` header) and ``GET /corrections/<ticket>``. Set
``answer_state`` to decide what a new correction becomes (``accepted`` then
``finish()`` later, or ``completed``/``rejected`` at once); ``fail_next``
answers that many requests with 503."""

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "test-bpjs-token"


@dataclass
class FakeBpjs:
    host: str = "127.0.0.1"
    port: int = 0
    answer_state: str = "accepted"
    fail_next: int = 0
    corrections: dict = field(default_factory=dict)  # ticket -> record
    by_key: dict = field(default_factory=dict)  # idempotency key -> ticket
    requests: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def finish(self, ticket: str, *, state="completed", reason="") -> str:
        record = self.corrections[ticket]
        record["state"] = state
        record["reason"] = reason
        if state == "completed":
            record["reference"] = f"JKN-UBAH-{ticket}"
        return record.get("reference", "")

    def _answer(self, record) -> dict:
        keys = ("ticket", "state", "reference", "reason")
        return {k: record.get(k, "") for k in keys}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeBpjs

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _guard(self) -> bool:
        fake = self.fake
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, {"message": "bad token"})
            return False
        with fake.lock:
            if fake.fail_next:
                fake.fail_next -= 1
                self._send(503, {"message": "maintenance"})
                return False
        return True

    def do_POST(self):
        fake = self.fake
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        fake.requests.append(("POST", self.path, body))
        if not self._guard():
            return
        if self.path != "/corrections":
            self._send(404, {"message": "no such path"})
            return
        key = self.headers.get("Idempotency-Key", "")
        with fake.lock:
            ticket = fake.by_key.get(key)
            if ticket is None:
                ticket = f"T{next(fake._ids):05d}"
                fake.by_key[key] = ticket
                fake.corrections[ticket] = {"ticket": ticket, "request": body}
                record = fake.corrections[ticket]
                record["state"] = "accepted"
                if fake.answer_state != "accepted":
                    fake.finish(ticket, state=fake.answer_state, reason="Data KK beda")
            record = fake.corrections[ticket]
        self._send(201, fake._answer(record))

    def do_GET(self):
        fake = self.fake
        fake.requests.append(("GET", self.path, None))
        if not self._guard():
            return
        ticket = self.path.rsplit("/", 1)[-1]
        record = fake.corrections.get(ticket)
        if record is None:
            self._send(404, {"message": "unknown ticket"})
            return
        self._send(200, fake._answer(record))


class BpjsServer:
    """Context manager running ``FakeBpjs`` on a free loopback port."""

    def __init__(self, fake: FakeBpjs | None = None):
        self.fake = fake or FakeBpjs()

    def __enter__(self) -> FakeBpjs:
        handler = type("Handler", (_Handler,), {"fake": self.fake})
        self.server = ThreadingHTTPServer((self.fake.host, 0), handler)
        self.fake.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.fake

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
