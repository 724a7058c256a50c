"""Browser-journey helpers shared by the Playwright tests (``tests/browser``):
logging in through the real form, and recording where a page sends requests."""

from urllib.parse import urlsplit

LOGIN_LABEL = "E-mail, nomor ponsel, atau nama pengguna"


def log_in(page, base: str, username: str, password: str, next_url: str = "/") -> None:
    """Log ``username`` in through ``/akun/masuk/`` (Indonesian labels) in a
    fresh session and follow ``next_url``."""
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label(LOGIN_LABEL).fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url`` ("" for data:, blob: and about: URLs)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


class RequestLog:
    """Every request any page of a browser context makes, by origin. Attach with
    ``RequestLog(context)``; ``foreign(allowed)`` lists the URLs that went
    anywhere but the ``allowed`` origins."""

    def __init__(self, context) -> None:
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))

    def foreign(self, allowed: set[str]) -> list[str]:
        return [u for u in self.urls if origin(u) and origin(u) not in allowed]
