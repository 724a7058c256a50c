"""A citizen verifies their phone with the code that arrives by SMS (at a
loopback gateway) and puts WhatsApp first; in Indonesian and English, with the
accessibility and mobile gates on every page."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from notifications.models import ContactPoint, Notification
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_verifies_a_phone_and_orders_channels(
    live_server, page, assert_page_ok, gateway, settings
):
    settings.NOTIFICATIONS_QUIET_HOURS = "21:00-06:00"
    citizen = User.objects.create_user(
        username="budi", password="kata-sandi-panjang-2026", email="budi@example.org"
    )
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("budi")
    page.locator("#id_password").fill("kata-sandi-panjang-2026")
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Notifikasi"
    ).click()
    page.get_by_role("link", name="Pilih cara menerima notifikasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saluran notifikasi")
    expect(page.get_by_text("Antara pukul 21:00 dan 06:00 WIB")).to_be_visible()
    assert_page_ok(page)

    # A landline is refused with the reason; what was typed stays.
    phone = page.get_by_role("textbox", name="Nomor ponsel")
    phone.fill("021 5550 123")
    page.get_by_role("button", name="Kirim kode lewat SMS").click()
    expect(page.get_by_text("Masukkan nomor ponsel Indonesia")).to_be_visible()
    expect(phone).to_have_value("021 5550 123")
    expect(phone).to_have_attribute("aria-invalid", "true")
    assert_page_ok(page)

    phone.fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim kode lewat SMS").click()
    expect(page.get_by_role("status")).to_contain_text("+62812****7890")
    # The worker sends the SMS; the code arrives at the gateway's "handset".
    notification_send_task(Notification.objects.get(channel="sms").pk)
    code = gateway.handset[0]["text"].split()[0]
    assert gateway.handset[0]["to"] == "+6281234567890"

    page.get_by_label("Kode dari SMS").fill(code)
    page.get_by_role("button", name="Verifikasi nomor").click()
    expect(page.get_by_role("status")).to_have_text(
        "Nomor ponsel Anda sudah terverifikasi."
    )
    expect(
        page.get_by_text("Nomor Anda +62812****7890 sudah terverifikasi.")
    ).to_be_visible()
    assert_page_ok(page)

    page.get_by_label("Pilihan pertama").select_option(label="WhatsApp")
    page.get_by_label("Pilihan kedua").select_option(label="SMS")
    page.get_by_label("Pilihan ketiga").select_option(label="E-mail")
    page.get_by_role("button", name="Simpan saluran").click()
    expect(page.get_by_role("status")).to_have_text(
        "Saluran notifikasi Anda sudah disimpan."
    )
    expect(page.get_by_text("Saat ini: WhatsApp → SMS → E-mail")).to_be_visible()
    assert ContactPoint.objects.get(user=citizen).channels == [
        "whatsapp",
        "sms",
        "email",
    ]
    assert_page_ok(page)

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification channels")
    expect(page.get_by_text("Your number +62812****7890 is verified.")).to_be_visible()
    assert_page_ok(page)
