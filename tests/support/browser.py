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


#: Visible keyboard focus: the element's computed outline or ring while it has
#: ``:focus-visible`` (WCAG 2.4.7).
FOCUS_VISIBLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').slice(0, 40),
    focusVisible: el.matches(':focus-visible'),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    ring: s.boxShadow !== 'none',
  };
}"""

#: Targets smaller than 24 x 24 CSS px (WCAG 2.2, 2.5.8 Target Size (Minimum))
#: that the criterion's exceptions do not cover: "inline" (a link inside a
#: sentence) and "spacing" (a 24 px circle on the target's centre touches no
#: other target).
SMALL_TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea,'
    + ' summary, [role=button]';
  const shown = [...document.querySelectorAll(selector)].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  });
  const rects = shown.map((el) => el.getBoundingClientRect());
  const spaced = (i) => {
    const r = rects[i], cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    return rects.every((o, j) => {
      if (j === i || shown[j].contains(shown[i]) || shown[i].contains(shown[j])) {
        return true;
      }
      const dx = Math.max(o.left - cx, 0, cx - o.right);
      const dy = Math.max(o.top - cy, 0, cy - o.bottom);
      return Math.hypot(dx, dy) >= 12;
    });
  };
  const small = [];
  shown.forEach((el, i) => {
    const r = rects[i];
    if (r.width >= 24 && r.height >= 24) return;
    const block = el.closest('p, li, td, dd, dt, figcaption, small, label, .note');
    const inline = el.tagName === 'A' && block &&
      block.textContent.trim().length > el.textContent.trim().length;
    if (inline || spaced(i)) return;
    small.push(`${el.tagName} ${el.id || el.name || el.textContent.trim().slice(0, 30)}`
      + ` ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  return small;
}"""


def tab_to(page, locator, *, limit: int = 60) -> list[dict]:
    """Press Tab until ``locator``'s element has the focus (at most ``limit``
    times); returns the focus state of every stop on the way (see
    ``FOCUS_VISIBLE_JS``). Fails if the element is never reached."""
    target = locator.element_handle()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_VISIBLE_JS)
        if stop:
            stops.append(stop)
        if page.evaluate("(el) => document.activeElement === el", target):
            return stops
    raise AssertionError(f"Tab never reached {locator} ({limit} presses)")


def fill_practice_licence(page, *, full_name: str, nik: str, upload) -> None:
    """Fill the practice-licence (SIP) application form (Indonesian labels) for
    a first licence at "Klinik Sehat", attaching ``upload`` as the KTP-el."""
    page.get_by_label("Nama lengkap").fill(full_name)
    page.get_by_label("NIK").fill(nik)
    page.get_by_label("Nomor telepon").fill("081234567890")
    page.get_by_label("Nomor STR").fill("STR-123")
    page.get_by_label("Nama tempat praktik").fill("Klinik Sehat")
    page.get_by_label("Alamat tempat praktik").fill("Jl. Merdeka 1, Tangerang")
    page.get_by_label("SIP ke-").select_option("1")
    page.get_by_label("KTP-el").set_input_files(str(upload))
