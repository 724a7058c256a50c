"""A fake payment gateway on loopback, for tests and the development portal.

``FakeGateway(portal_url=..., secret=...)`` serves on ``127.0.0.1`` (a free
port unless given) in a daemon thread and speaks the generic protocol
(``protocol``, ``docs/payments.md``) to the portal:

- ``GET /pay/<billing_code>?return=<url>``: a pay page; it asks the portal
  what is owed (signed inquiry) and offers one button;
- ``POST /pay/<billing_code>``: "pays" and sends the portal the signed
  callback, then redirects to ``return`` (only a URL under ``portal_url``);
- ``pay(billing_code, ...)`` does the same from Python and returns the
  portal's HTTP status and JSON answer; ``amount``, ``paid_at``,
  ``transaction_id`` and ``secret`` may be overridden to send wrong messages.

It keeps nothing but the list of callbacks it sent (``sent``). Start it with
``manage.py run_fake_gateway`` for the development portal. Never for
production: it pays without money.
"""

import datetime as dt
import html
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .protocol import signed_headers

CALLBACK_PATH = "/api/v1/payments/gateway/callback/"
INQUIRY_PATH = "/api/v1/payments/gateway/inquiry/"


class FakeGateway:
    def __init__(self, *, portal_url: str, secret: str, port: int = 0) -> None:
        self.portal_url = portal_url.rstrip("/")
        self.secret = secret
        self.sent: list[dict] = []
        gateway = self

        class Handler(_Handler):
            owner = gateway

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> "FakeGateway":
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- talking to the portal -------------------------------------------------
    def _post(self, path: str, payload: dict, secret: str | None = None):
        body = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            **signed_headers(self.secret if secret is None else secret, body),
        }
        request = urllib.request.Request(  # noqa: S310 (loopback, http by design)
            self.portal_url + path, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def inquire(self, billing_code: str) -> tuple[int, dict]:
        return self._post(INQUIRY_PATH, {"billing_code": billing_code})

    def pay(
        self,
        billing_code: str,
        *,
        amount: int | None = None,
        paid_at: dt.datetime | None = None,
        transaction_id: str | None = None,
        secret: str | None = None,
    ) -> tuple[int, dict]:
        """Pay ``billing_code`` (the amount the portal asks, unless given) and
        send the signed callback; returns the portal's status and answer."""
        if amount is None:
            status, answer = self.inquire(billing_code)
            if status != 200:
                return status, answer
            amount = answer["amount"]
        message = {
            "transaction_id": transaction_id or f"FAKE-{uuid.uuid4().hex[:20].upper()}",
            "billing_code": billing_code,
            "amount": amount,
            "paid_at": (paid_at or dt.datetime.now(dt.UTC)).isoformat(),
            "channel": "fake-gateway",
        }
        status, answer = self._post(CALLBACK_PATH, message, secret=secret)
        self.sent.append({"message": message, "status": status, "answer": answer})
        return status, answer


PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gateway pembayaran uji</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:1rem auto;padding:0 1rem}}
button{{font-size:1.1rem;padding:.6rem 1rem;background:#05612f;color:#fff;border:0}}
</style>
</head><body><main>
<h1>Gateway pembayaran uji</h1>
<p>Hanya untuk pengujian: tidak ada uang yang berpindah.</p>
{content}
</main></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    owner: FakeGateway

    def log_message(self, format, *args) -> None:
        return  # quiet: tests and the dev console have their own logs

    def _send(self, status: int, content: str) -> None:
        body = PAGE.format(content=content).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _code_and_return(self) -> tuple[str, str]:
        parsed = urllib.parse.urlsplit(self.path)
        code = parsed.path.removeprefix("/pay/").strip("/")
        query = urllib.parse.parse_qs(parsed.query)
        back = query.get("return", [""])[0]
        if not back.startswith(self.owner.portal_url + "/"):
            back = ""
        return code, back

    def do_GET(self) -> None:
        if not self.path.startswith("/pay/"):
            self._send(404, "<p>Tidak ditemukan.</p>")
            return
        code, back = self._code_and_return()
        status, answer = self.owner.inquire(code)
        if status != 200 or not answer.get("payable"):
            self._send(404, "<p>Tagihan tidak dapat dibayar.</p>")
            return
        action = html.escape(f"/pay/{code}?" + urllib.parse.urlencode({"return": back}))
        amount = f"{answer['amount']:,}".replace(",", ".")
        self._send(
            200,
            f"<p>Kode bayar <strong>{html.escape(code)}</strong></p>"
            f"<p>{html.escape(answer.get('description', ''))}</p>"
            f"<p>Jumlah: <strong>Rp {amount}</strong></p>"
            f'<form method="post" action="{action}">'
            f'<button type="submit">Bayar Rp {amount}</button></form>',
        )

    def do_POST(self) -> None:
        if not self.path.startswith("/pay/"):
            self._send(404, "<p>Tidak ditemukan.</p>")
            return
        code, back = self._code_and_return()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        status, answer = self.owner.pay(code)
        if status == 200 and back:
            self.send_response(303)
            self.send_header("Location", back)
            self.end_headers()
            return
        self._send(
            200 if status == 200 else 409,
            f"<p>Jawaban portal: {status} {html.escape(answer.get('outcome', ''))}</p>",
        )
