"""The home page in a real browser: both languages, accessibility and mobile gates."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_in_indonesian_then_english(live_server, page, assert_page_ok):
    """A first visit is Indonesian; the EN switch makes the page English, and sticks."""
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pelayanan terpadu satu pintu Kota Tangerang"
    )
    assert_page_ok(page)

    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Integrated one-stop service of Kota Tangerang"
    )
    assert_page_ok(page)

    page.goto(live_server.url + "/")  # the choice persists (language cookie)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_login_and_not_found_pages_pass_the_gates(live_server, page, assert_page_ok):
    """The login page and the 404 page are accessible and fit a phone screen."""
    page.goto(live_server.url + "/akun/masuk/")
    expect(page.get_by_label("Nama pengguna")).to_be_visible()
    assert_page_ok(page)
    response = page.goto(live_server.url + "/tidak-ada/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    assert_page_ok(page)
