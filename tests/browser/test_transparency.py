"""A citizen whose permit was issued answers the satisfaction survey, and the
index on the public dashboard changes once the refresh task has run; the
citizen files a complaint, a Dinkes officer answers it, the citizen reads the
answer. Every page passes the accessibility and 360 px gates."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)
from tests.transparency.conftest import *  # noqa: F403  (workflow fixtures)
from tests.transparency.conftest import issue
from transparency.models import Complaint
from transparency.tasks import stats_refresh_task, survey_invitations_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
CITIZEN_PASSWORD = "pw-Rahasia-123"
OFFICER_PASSWORD = "petugas-rahasia-2026"


def _log_in(page, base, username, password, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_survey_moves_the_index_and_a_complaint_is_answered(
    live_server,
    page,
    assert_page_ok,
    make_staff,  # noqa: F811
    submitted,
    citizen,
    front_office,
    verifier,
    approver,
    dinkes,
    city_calendar,
    capture,
):
    base = live_server.url
    issued = issue(submitted, front_office, verifier, approver)
    assert survey_invitations_task() == 1
    stats_refresh_task()
    make_staff(OfficerRole.VERIFIER, agency=dinkes, username="dinkes2")

    # The public dashboard: the permit counts, no index yet.
    page.goto(f"{base}/transparansi/instansi/DINKES/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dinkes")
    ikm = page.locator('[data-stat="ikm"] [data-ikm]')
    expect(ikm).to_have_attribute("data-ikm", "")
    expect(page.locator('[data-stat="finished"]')).to_have_text("1")
    expect(page.locator('[data-stat="sla"]')).to_have_text("100,0%")
    assert_page_ok(page)
    page.goto(f"{base}/transparansi/")
    expect(page.locator("svg.trend title")).to_have_text(
        "Permohonan diterima dan selesai per bulan"
    )
    assert_page_ok(page)

    # The citizen answers the survey they were invited to.
    _log_in(page, base, "warga", CITIZEN_PASSWORD, "/transparansi/survei/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan")
    assert_page_ok(page)
    page.get_by_role("link", name=issued.service_version.name).click()
    expect(page.get_by_role("button", name="Kirim jawaban saya")).to_be_visible()
    assert_page_ok(page)
    capture(page, "survey", full_page=False)
    page.get_by_role("button", name="Kirim jawaban saya").click()
    expect(page.get_by_role("alert")).to_contain_text("Silakan pilih nilai")
    for i in range(1, 10):
        group = page.get_by_role("group", name=re.compile(rf"^U{i}\. "))
        group.get_by_label("4 - Sangat baik" if i != 3 else "3 - Baik").check()
    page.get_by_role("button", name="Kirim jawaban saya").click()
    expect(page.locator("main")).to_contain_text("Terima kasih")
    assert_page_ok(page)

    # Not on the dashboard until the refresh task runs; then it is.
    page.goto(f"{base}/transparansi/instansi/DINKES/")
    expect(ikm).to_have_attribute("data-ikm", "")
    stats_refresh_task()
    page.reload()
    # (8 x 4 + 3) / 9 x 25 = 97.22: grade A.
    expect(ikm).to_have_attribute("data-ikm", "97.22")
    expect(ikm).to_contain_text("(A)")
    assert_page_ok(page)
    capture(page, "transparency-dashboard", desktop=True, full_page=True)

    # The citizen files a complaint about the application.
    page.goto(f"{base}/transparansi/pengaduan/baru/")
    assert_page_ok(page)
    page.get_by_label("Sebuah permohonan").check()
    page.get_by_label("Permohonan:", exact=True).select_option(str(issued.pk))
    page.get_by_label("Judul").fill("Izin terlambat")
    page.get_by_label("Apa yang terjadi?").fill("Izin terbit lewat dari janji.")
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.get_by_test_id("complaint-status")).to_have_text("Diajukan")
    assert_page_ok(page)
    complaint = Complaint.objects.get()
    assert complaint.agency == dinkes

    # A Dinkes officer answers it.
    _log_in(page, base, "dinkes2", OFFICER_PASSWORD, "/transparansi/pengaduan/masuk/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pengaduan untuk instansi saya"
    )
    assert_page_ok(page)
    page.get_by_role("link", name=complaint.reference).click()
    page.get_by_label("Jawaban untuk warga").fill("Mohon maaf, kami perbaiki.")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_test_id("complaint-answer")).to_have_text(
        "Mohon maaf, kami perbaiki."
    )
    assert_page_ok(page)

    # The citizen reads the answer.
    _log_in(page, base, "warga", CITIZEN_PASSWORD, "/transparansi/pengaduan/")
    page.get_by_role("link", name=re.compile(complaint.reference)).click()
    expect(page.get_by_test_id("complaint-status")).to_have_text("Sudah dijawab")
    expect(page.get_by_test_id("complaint-answer")).to_have_text(
        "Mohon maaf, kami perbaiki."
    )
    assert_page_ok(page)
    capture(page, "complaint-answered")
