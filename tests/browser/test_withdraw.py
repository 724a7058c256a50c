"""A citizen withdraws an application with the keyboard only: the button
opens a confirmation page that spells out the consequences; nothing happens
until they confirm; afterwards the page shows no deadline. Every page passes
the accessibility and 360 px gates."""

import pytest
from playwright.sync_api import expect

from audit.context import audit_actor
from permits.models import Application
from tests.permits.conftest import licence  # noqa: F401  (fixture)
from tests.support.workflow import submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_withdrawing_asks_first_and_works_with_the_keyboard(
    live_server,
    page,
    assert_page_ok,
    licence,  # noqa: F811
    citizen,
):
    with audit_actor(system="system:test"):
        application, _code = submit(licence, citizen)
    base = live_server.url
    page.goto(f"{base}/akun/masuk/?next=/permohonan/{application.uuid}/")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill("warga")
    page.get_by_label("Kata sandi:", exact=True).fill("pw-Rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("status")).to_have_text("Diajukan")
    assert_page_ok(page)

    page.get_by_role("link", name="Batalkan permohonan ini").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Batalkan permohonan ini?"
    )
    expect(page.get_by_test_id("withdraw-consequences")).to_contain_text(
        "tidak dapat dibuka kembali"
    )
    assert_page_ok(page)
    application.refresh_from_db()
    assert application.status == "submitted"

    page.get_by_role("button", name="Ya, batalkan permohonan ini").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("status")).to_have_text("Dibatalkan pemohon")
    expect(page.get_by_test_id("deadline")).to_have_count(0)
    assert_page_ok(page)
    assert Application.objects.get(pk=application.pk).status == "withdrawn"
