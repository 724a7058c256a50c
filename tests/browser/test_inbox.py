"""The inbox in a real browser: a citizen signs in, sees the unread badge, reads a
notification and marks it read; accessibility and mobile gates on each page."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from notifications.choices import Channel
from notifications.services import notify
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_reads_a_notification_and_the_badge_goes(
    live_server, page, assert_page_ok
):
    citizen = User.objects.create_user(
        username="siti", password="kata-sandi-panjang-2026", email="siti@example.org"
    )
    for ticket, ahead in (("A-041", 2), ("A-042", 1)):
        row = notify(
            event="queue.turn_near",
            recipient=citizen,
            context={"ticket_number": ticket, "office": "MPP", "ahead": ahead},
            channels=[Channel.IN_APP],
        )[0]
        notification_send_task(row.pk)

    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("siti")
    page.locator("#id_password").fill("kata-sandi-panjang-2026")
    page.get_by_role("button", name="Masuk").click()

    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav.get_by_role("link", name="Notifikasi 2 belum dibaca")).to_be_visible()
    nav.get_by_role("link", name="Notifikasi 2 belum dibaca").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifikasi")
    expect(
        page.get_by_role("heading", name="Baru Giliran A-042 segera tiba")
    ).to_be_visible()
    assert_page_ok(page)

    newest = page.get_by_role("article", name="Baru Giliran A-042 segera tiba")
    expect(newest).to_contain_text("Tinggal 1 nomor sebelum giliran A-042 di MPP.")
    newest.get_by_role("button", name="Tandai sudah dibaca").click()
    expect(nav.get_by_role("link", name="Notifikasi 1 belum dibaca")).to_be_visible()
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(nav.get_by_role("link", name="Notifikasi", exact=True)).to_be_visible()
    expect(page.get_by_text("Baru", exact=True)).to_have_count(0)
    assert_page_ok(page)
