"""A fake SP4N-LAPOR! endpoint on loopback implementing the interface of
``transparency.lapor`` (docs/transparency.md): ``POST /reports`` idempotent
by ``external_id``, ``GET /reports/<tracking_id>``; it can be told to fail
with a status code, and records what it received."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLapor:
    def __init__(self, token: str = "rahasia-lapor") -> None:  # noqa: S107
        self.token = token
        self.reports: dict[str, dict] = {}  # tracking id -> report
        self.by_external: dict[str, str] = {}
        self.fail_with: int | None = None
        self.requests: list[tuple[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeLapor":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(fake: FakeLapor):
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                self._send(401, {"error": "unauthorized"})
                return False
            return True

        def do_POST(self) -> None:
            fake.requests.append(("POST", self.path))
            if fake.fail_with:
                self._send(fake.fail_with, {"error": "failing on purpose"})
                return
            if not self._authorized():
                return
            if self.path != "/api/reports":
                self._send(404, {"error": "not found"})
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            missing = {"external_id", "title", "content", "agency_code"} - set(body)
            if missing:
                self._send(422, {"error": f"missing {sorted(missing)}"})
                return
            existing = fake.by_external.get(body["external_id"])
            if existing:
                self._send(200, {"tracking_id": existing})
                return
            tracking_id = f"LAPOR-{1000 + len(fake.reports)}"
            fake.reports[tracking_id] = {**body, "status": "Menunggu verifikasi"}
            fake.by_external[body["external_id"]] = tracking_id
            self._send(201, {"tracking_id": tracking_id})

        def do_GET(self) -> None:
            fake.requests.append(("GET", self.path))
            if fake.fail_with:
                self._send(fake.fail_with, {"error": "failing on purpose"})
                return
            if not self._authorized():
                return
            tracking_id = self.path.rsplit("/", 1)[-1]
            report = fake.reports.get(tracking_id)
            if report is None:
                self._send(404, {"error": "not found"})
                return
            self._send(200, {"tracking_id": tracking_id, "status": report["status"]})

        def log_message(self, format, *args) -> None:
            pass

    return Handler
