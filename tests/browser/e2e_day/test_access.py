"""Accessibility beyond axe on the citizen's pages (issue 18): the journey
with the keyboard alone (visible focus at every stop, labelled fields, errors
tied to their fields), touch targets of at least 24 x 24 CSS px at 360 px
(WCAG 2.2, 2.5.8), and no request leaving the portal."""

import pytest
from playwright.sync_api import expect

from tests.accounts.conftest import last_code
from tests.support.browser import SMALL_TARGETS_JS, tab_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

UNLABELLED_JS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea')]
  .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-labelledby')
                  && !el.getAttribute('aria-label'))
  .map((el) => el.name || el.id)"""

#: Every field marked invalid names, in aria-describedby, an element that
#: exists and says something (the error message tied to the field).
UNTIED_ERRORS_JS = """() => [...document.querySelectorAll('[aria-invalid=true]')]
  .filter((el) => !(el.getAttribute('aria-describedby') || '').split(/\\s+/)
    .some((id) => { const d = id && document.getElementById(id);
                    return d && d.textContent.trim().length > 0; }))
  .map((el) => el.name || el.id)"""


def _type_into(page, label: str, text: str, **kwargs) -> list[dict]:
    stops = tab_to(page, page.get_by_label(label, **kwargs))
    page.keyboard.type(text)
    return stops


def _assert_focus_visible(stops: list[dict]) -> None:
    assert stops
    hidden = [s for s in stops if not (s["focusVisible"] and s["outline"])]
    assert not hidden, f"focus not visible on {hidden}"


def test_citizen_registers_and_opens_a_form_with_the_keyboard_alone(
    live_server, page, assert_page_ok, office_day, same_origin
):
    base = live_server.url
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Langsung ke konten utama")
    stops = tab_to(page, page.get_by_role("link", name="Daftar").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar sebagai warga")
    assert page.evaluate(UNLABELLED_JS) == []

    # Filled and sent with the keyboard; a bad NIK comes back tied to its field.
    stops += _type_into(page, "Nama lengkap (sesuai KTP)", "Siti Rahayu")
    stops += _type_into(page, "Alamat e-mail", "siti@example.org")
    stops += _type_into(page, "NIK:", "3671051213850007", exact=True)
    stops += _type_into(page, "Kata sandi:", "kopi-tubruk-2026", exact=True)
    stops += _type_into(page, "Ulangi kata sandi", "kopi-tubruk-2026")
    page.keyboard.press("Enter")
    nik = page.get_by_label("NIK:", exact=True)
    expect(nik).to_have_attribute("aria-invalid", "true")
    assert page.evaluate(UNTIED_ERRORS_JS) == []
    described = nik.get_attribute("aria-describedby").split()
    assert "id_nik_error" in described
    expect(page.locator("#id_nik_error")).to_contain_text("tanggal lahir")
    # The answer to the POST, with what was typed: switching the language
    # would load the empty form (checked in English by the citizen's day).
    assert_page_ok(page, english=False)

    stops += tab_to(page, nik)
    page.keyboard.press("Control+A")
    page.keyboard.type("3671055203850007")
    stops += _type_into(page, "Kata sandi:", "kopi-tubruk-2026", exact=True)
    stops += _type_into(page, "Ulangi kata sandi", "kopi-tubruk-2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi akun Anda")
    stops += _type_into(page, "Kode enam digit", last_code("siti@example.org"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")

    # To the catalogue, the service and its application form.
    page.goto(f"{base}/layanan/sip-dokter/")
    stops += tab_to(page, page.get_by_role("button", name="Ajukan permohonan"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Simpan draf")).to_be_visible()
    assert page.evaluate(UNLABELLED_JS) == []
    stops += _type_into(page, "Nomor STR", "STR-123")
    stops += tab_to(page, page.get_by_role("button", name="Ajukan permohonan"))
    page.keyboard.press("Enter")
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    assert page.evaluate(UNTIED_ERRORS_JS) == []
    expect(page.get_by_label("Nomor STR")).to_have_value("STR-123")  # nothing lost
    assert page.evaluate(SMALL_TARGETS_JS) == []
    assert_page_ok(page)
    _assert_focus_visible(stops)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/layanan/",
        "/layanan/sip-dokter/",
        "/akun/masuk/",
        "/akun/daftar/",
        "/lacak/",
        "/transparansi/",
        "/antrian/",
    ],
)
def test_touch_targets_are_at_least_24_px(live_server, page, office_day, path):
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("main")).to_be_visible()
    assert page.evaluate(SMALL_TARGETS_JS) == []


#: Decoded bytes a citizen page may bring (HTML, CSS, scripts, images), before
#: compression: about 10 s on a 2G link once gzip has roughly halved it.
PAGE_BUDGET = 150_000


@pytest.mark.parametrize("path", ["/", "/layanan/", "/layanan/sip-dokter/"])
def test_citizen_pages_are_small(live_server, page, office_day, same_origin, path):
    sizes: dict[str, int] = {}

    def count(response):
        if response.status < 300:  # redirects have no body
            sizes[response.url] = len(response.body())

    page.on("response", count)
    page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    total = sum(sizes.values())
    assert 0 < total <= PAGE_BUDGET, f"{path}: {total} bytes {sizes}"
