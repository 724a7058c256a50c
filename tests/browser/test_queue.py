"""The walk-in queue in a real browser: the kiosk issues a ticket, a counter calls
it, the board shows (and says) it, the counter finishes it, and the office head's
statistics count it. Every page passes the accessibility and 360 px gates."""

import re

import pytest
from playwright.sync_api import expect

from queueing.models import QueueTicket
from tests.queueing.factories import (
    OfficeFactory,
    ServiceFactory,
    ServiceGroupFactory,
    make_counter,
    make_operator,
    make_supervisor,
)

pytestmark = pytest.mark.django_db(transaction=True)

NIK = "3671050101900001"


def login(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_kiosk_counter_board_and_statistics(
    live_server, page, assert_page_ok, django_user_model, capture
):
    office = OfficeFactory(code="mpp-uji", name="MPP Uji")  # open all day, every day
    permit = ServiceFactory(code="pbg-uji", name="Persetujuan Bangunan Gedung")
    group = ServiceGroupFactory(office=office, prefix="A", services=[permit])
    counter = make_counter(group, number=1)
    make_operator(django_user_model, counter, "petugas1")
    make_supervisor(django_user_model, office, "kepala")
    base = live_server.url

    # The visitor takes a ticket at the kiosk.
    page.goto(f"{base}/antrian/")
    page.get_by_role("link", name="Ambil nomor antrean").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ambil nomor antrean")
    assert_page_ok(page)
    page.locator("form.kiosk-form").get_by_label("NIK (16 angka di e-KTP Anda)").fill(
        NIK
    )
    page.get_by_role("button", name="Persetujuan Bangunan Gedung").click()
    expect(page.locator(".ticket-number")).to_have_text("A001")
    expect(page.locator("#ticket-status")).to_contain_text("Anda berikutnya.")
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert_page_ok(page)
    capture(page, "queue-ticket")

    # The display board, sound enabled as a TV operator would.
    board = page.context.new_page()
    board.goto(f"{base}/antrian/{office.code}/papan/")
    sound = board.get_by_role("button", name="Aktifkan suara")
    sound.click()
    expect(board.get_by_role("button", name="Matikan suara")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(board.locator(".board-call").first).to_contain_text("Loket 1")
    assert_page_ok(board)

    # The counter officer, in another browser session, calls the next ticket.
    desk = page.context.browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", bypass_csp=True
    ).new_page()
    login(desk, base, "petugas1", "kata-sandi-petugas-2026")
    desk.goto(f"{base}/antrian/loket/")
    desk.get_by_role("link", name="Loket 1").click()
    assert_page_ok(desk)
    desk.get_by_role("button", name="Panggil berikutnya").click()
    expect(desk.locator(".desk-number")).to_have_text("A001")
    assert_page_ok(desk)

    # Within two seconds the board shows the call, chimes and says it.
    expect(board.locator(".board-call.active .board-number")).to_have_text(
        "A001", timeout=2500
    )
    board.wait_for_function("() => window.ptspBoard.spoken.length > 0", timeout=4000)
    assert board.evaluate("() => window.ptspBoard.spoken") == [
        "Nomor antrean A satu, silakan ke loket satu."
    ]
    assert board.evaluate("() => window.ptspBoard.chimes") >= 2  # enable + call
    expect(board.locator(".recent")).to_contain_text("A001")
    capture(board, "display-board", desktop=True)

    # The visitor's own page follows (it polls every 10 s; a reload is quicker).
    page.reload()
    expect(page.locator("#ticket-status")).to_contain_text("Silakan menuju Loket 1")

    desk.get_by_role("button", name="Mulai melayani").click()
    desk.get_by_role("button", name="Selesai").click()
    expect(desk.get_by_role("status")).to_contain_text("Nomor A001 selesai dilayani.")
    expect(board.locator(".board-call.active")).to_have_count(0, timeout=2500)
    assert QueueTicket.objects.get().status == "done"

    # The office head reads the statistics.
    desk.context.clear_cookies()
    login(desk, base, "kepala", "kata-sandi-kepala-2026")
    desk.goto(f"{base}/antrian/")
    desk.get_by_role("link", name=re.compile("Statistik: MPP Uji")).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Statistik antrean")
    expect(desk.locator('[data-stat="issued"]')).to_have_text("1")
    expect(desk.locator('[data-stat="served"]')).to_have_text("1")
    expect(desk.locator("svg.chart.heat")).to_be_visible()
    capture(desk, "queue-statistics", desktop=True)
    assert_page_ok(desk)
    desk.context.close()
