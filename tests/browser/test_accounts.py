"""Accounts in a real browser: a citizen registers (refused, then accepted), a
staff member logs in with a second factor, an officer's substitute sees the
delegation during the leave and not after. Every page passes the gates."""

import datetime as dt

from django.utils import timezone

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.choices import DelegationKind, OfficerRole
from accounts.models import User
from accounts.services import delegation_create
from tests.accounts.conftest import (  # noqa: F401  (fixtures used below)
    dinkes,
    enrolled,
    last_code,
    make_staff,
    totp_now,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_registration(page, nik: str) -> None:
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Siti Rahayu")
    page.get_by_label("Alamat e-mail").fill("siti@example.org")
    page.get_by_label("NIK:", exact=True).fill(nik)
    page.get_by_label("Kata sandi:", exact=True).fill("kopi-tubruk-2026")
    page.get_by_label("Ulangi kata sandi").fill("kopi-tubruk-2026")
    page.get_by_role("button", name="Daftar").click()


def test_citizen_registers_refused_for_a_bad_nik_then_verified(
    live_server, page, assert_page_ok
):
    page.goto(live_server.url + "/akun/daftar/")
    assert_page_ok(page)
    _fill_registration(page, "3671051213850007")  # month 13
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("bukan tanggal lahir yang benar")
    nik = page.get_by_label("NIK:", exact=True)
    expect(nik).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_nik_error")).to_contain_text("(121385)")
    expect(page.get_by_label("Nama lengkap (sesuai KTP)")).to_have_value("Siti Rahayu")
    assert_page_ok(page)
    assert not User.objects.exists()

    _fill_registration(page, "3671055203850007")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi akun Anda")
    expect(page.locator("main")).to_contain_text("s***@example.org")
    assert_page_ok(page)
    page.get_by_label("Kode enam digit").fill(last_code("siti@example.org"))
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    expect(page.locator("main")).to_contain_text("3671********0007")
    assert "3671055203850007" not in page.content()
    assert_page_ok(page)
    assert User.objects.get(email="siti@example.org").is_active


def test_staff_logs_in_with_a_second_factor_and_lands_on_their_home(
    live_server,
    page,
    assert_page_ok,
    settings,
    make_staff,  # noqa: F811  (fixture imported above)
    dinkes,  # noqa: F811
    enrolled,  # noqa: F811
):
    settings.PTSP_STAFF_2FA_REQUIRED = True
    officer = make_staff(OfficerRole.VERIFIER, agency=dinkes, username="andi")
    device = enrolled(officer)
    page.goto(live_server.url + "/akun/masuk/")
    assert_page_ok(page)
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill("andi")
    page.get_by_label("Kata sandi:", exact=True).fill("petugas-rahasia-2026")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    assert_page_ok(page)
    page.get_by_label("Kode dari aplikasi autentikator Anda").fill("000000")
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator("#id_token_error")).to_be_visible()
    device.refresh_from_db()
    device.throttle_reset()
    page.get_by_label("Kode dari aplikasi autentikator Anda").fill(totp_now(device))
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page).to_have_url(live_server.url + "/akun/petugas/")
    expect(page.locator("main")).to_contain_text("Verifikator")
    assert_page_ok(page)


def test_substitute_sees_the_delegation_during_the_leave_and_not_after(
    live_server,
    page,
    assert_page_ok,
    make_staff,  # noqa: F811  (fixture imported above)
    dinkes,  # noqa: F811
):
    ani = make_staff(OfficerRole.VERIFIER, agency=dinkes, full_name="Ani Cuti").officer
    budi = make_staff(
        OfficerRole.VERIFIER, agency=dinkes, full_name="Budi Pengganti", username="budi"
    ).officer
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    delegation_create(
        kind=DelegationKind.TASKS,
        delegator=ani,
        delegate=budi,
        starts_at=start,
        ends_at=start + dt.timedelta(days=2),
        reason="Cuti tahunan",
        created_by=ani.user,
    )

    def log_in_and_open_delegations():
        page.goto(live_server.url + "/akun/masuk/?next=/akun/petugas/pelimpahan/")
        page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill("budi")
        page.get_by_label("Kata sandi:", exact=True).fill("petugas-rahasia-2026")
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cuti dan pelimpahan")

    with time_machine.travel(start + dt.timedelta(days=1)):  # during the leave
        log_in_and_open_delegations()
        rows = page.locator("tr.acting-for")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("Ani Cuti")
        assert_page_ok(page)
        page.goto(live_server.url + "/akun/petugas/")
        expect(page.locator("main")).to_contain_text(
            "Saat ini Anda menggantikan 1 rekan."
        )
        assert_page_ok(page)
    page.context.clear_cookies()
    with time_machine.travel(start + dt.timedelta(days=3)):  # after it
        log_in_and_open_delegations()
        expect(page.locator("tr.acting-for")).to_have_count(0)
        expect(page.locator("main")).to_contain_text(
            "Saat ini Anda tidak menggantikan siapa pun."
        )
        assert_page_ok(page)
