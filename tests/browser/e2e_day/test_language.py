"""Language (issue 18): the ID/EN choice is stored on the account and applied
at the next login on another device; money is shown in rupiah without
decimals ("Rp 270.000", English grouping "Rp 270,000") and times in WIB."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.support.browser import log_in

from .conftest import CITIZEN_PASSWORD, english_problems, pbg_billed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
WIB_TIME = re.compile(r"^\d{1,2} \w+ \d{4} \d{2}:\d{2} WIB$")


def test_the_language_choice_follows_the_user_and_money_is_in_rupiah(
    live_server, page, browser, assert_page_ok, office_day, same_origin
):
    citizen = User.objects.create_user(
        username="pemilik", password=CITIZEN_PASSWORD, full_name="Budi Santoso"
    )
    assert citizen.preferred_language == "id"
    application, bill = pbg_billed(office_day, citizen)
    base = live_server.url

    # In Indonesian: "Rp 270.000" and the deadline in WIB.
    log_in(page, base, "pemilik", CITIZEN_PASSWORD, bill.get_absolute_url())
    expect(page.get_by_test_id("amount")).to_have_text("Rp 270.000")
    due = page.locator("dt", has_text="Bayar sebelum").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(due).to_have_text(WIB_TIME)
    # The English check of every journey page would catch this page in
    # Indonesian: it sees the Indonesian UI and catalogue names.
    problems = english_problems(page)
    assert "Bayar" in problems
    assert application.service_version.name_en  # so shown in English there
    assert application.service_version.name in problems
    assert_page_ok(page)

    # Switches to English: stored on the account.
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("amount")).to_have_text("Rp 270,000")
    expect(page.locator("main")).to_contain_text("Pay before")
    assert_page_ok(page)
    citizen.refresh_from_db()
    assert citizen.preferred_language == "en"

    # Another device (no cookie, an Indonesian browser): English after login.
    other = browser.new_context(locale="id-ID", bypass_csp=True).new_page()
    log_in(other, base, "pemilik", CITIZEN_PASSWORD, "/permohonan/")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.get_by_role("heading", level=1)).to_have_text("My applications")
    assert_page_ok(other)

    # Back to Indonesian there: stored again on the account.
    other.get_by_role("button", name="ID").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Permohonan saya")
    citizen.refresh_from_db()
    assert citizen.preferred_language == "id"
    other.context.close()
