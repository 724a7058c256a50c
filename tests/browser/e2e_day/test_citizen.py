"""The citizen's day: registers, applies for a practice licence (SIP) with a
document on the real catalogue, answers Dinkes's revision, downloads the
signed permit and checks it on the public verification page, then rates the
service; a second citizen pays a building levy (PBG) through the fake gateway.
Officers act through the services here (their own journey is
``test_officers.py``). Every page passes the accessibility and 360 px gates,
and no request leaves the portal (but for the payment gateway)."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from accounts.models import User
from documents.tasks import document_render
from permits.models import Application
from permits.services import (
    application_approve,
    application_request_revision,
    application_step_complete,
)
from tests.accounts.conftest import last_code
from tests.browser.test_accounts import _fill_registration
from tests.browser.test_payments import gateway  # noqa: F401  (fixture)
from tests.documents.conftest import act
from tests.support.browser import fill_practice_licence, log_in, origin
from transparency.tasks import survey_invitations_task

from .conftest import CITIZEN_PASSWORD, pbg_billed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
REGISTERED_PASSWORD = "kopi-tubruk-2026"  # _fill_registration's


def test_citizen_registers_applies_revises_downloads_verifies_and_rates(
    live_server, page, assert_page_ok, office_day, same_origin, settings
):
    settings.PORTAL_BASE_URL = live_server.url
    staff = office_day.staff
    base = live_server.url

    # Registers and verifies the e-mail address.
    page.goto(f"{base}/akun/daftar/")
    assert_page_ok(page)
    _fill_registration(page, "3671055203850007")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi akun Anda")
    assert_page_ok(page)
    page.get_by_label("Kode enam digit").fill(last_code("siti@example.org"))
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    citizen = User.objects.get(email="siti@example.org")

    # Finds the service in the catalogue and applies with the ID card.
    page.goto(f"{base}/layanan/")
    assert_page_ok(page)
    page.goto(f"{base}/layanan/sip-dokter/")
    expect(page.locator("main")).to_contain_text("Tidak dipungut biaya")
    assert_page_ok(page)
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.get_by_role("button", name="Simpan draf")).to_be_visible()
    assert_page_ok(page)
    fill_practice_licence(
        page, full_name="Siti Rahayu", nik="3671055203850007", upload=office_day.pdf
    )
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Permohonan Anda diterima"
    )
    assert_page_ok(page)
    reference = page.get_by_test_id("reference").inner_text()
    application = Application.objects.get(reference=reference, applicant=citizen)

    # The front office passes it on; Dinkes asks for a revision.
    act(application_step_complete, application, staff.fo.officer)
    act(
        application_request_revision,
        application,
        staff.dinkes.officer,
        note="Nomor STR tidak terbaca.",
        fields=["str_number"],
    )

    # The citizen answers the revision from the list of their applications.
    log_in(page, base, citizen.username, REGISTERED_PASSWORD, "/permohonan/")
    assert_page_ok(page)
    page.get_by_role("link", name=application.service_version.name).click()
    expect(page.get_by_test_id("status")).to_have_text("Menunggu pemohon")
    assert_page_ok(page)
    page.get_by_role("link", name="Perbaiki permohonan Anda").click()
    expect(page.locator("main")).to_contain_text("Kirim perbaikan sebelum")
    assert_page_ok(page)
    page.get_by_label("Nomor STR").fill("STR-456")
    page.get_by_role("button", name="Kirim perbaikan").click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    assert_page_ok(page)

    # Dinkes recommends, the head of DPMPTSP signs, the front office issues.
    act(application_step_complete, application, staff.dinkes.officer)
    act(application_approve, application, staff.ttd.officer)
    act(application_step_complete, application, staff.fo.officer)
    application.refresh_from_db()
    document = application.issued_documents.exclude(kind="receipt").get()
    document_render(document.pk)  # the worker's job after commit
    document.refresh_from_db()

    # Downloads the permit and checks it on the public verification page.
    page.reload()
    expect(page.locator("ol.timeline")).to_contain_text("Perbaikan Anda diterima")
    assert_page_ok(page)
    page.get_by_test_id("issued-documents").get_by_role(
        "link", name=document.number
    ).click()
    assert_page_ok(page)
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    assert info.value.path().read_bytes().startswith(b"%PDF")
    page.context.clear_cookies()
    page.goto(f"{base}/verifikasi/{document.verification_token}/")
    expect(page.get_by_test_id("validity")).to_have_attribute("data-validity", "valid")
    assert_page_ok(page)

    # Rates the service (the satisfaction survey, IKM).
    assert survey_invitations_task() >= 1
    log_in(page, base, citizen.username, REGISTERED_PASSWORD, "/transparansi/survei/")
    page.get_by_role("link", name=application.service_version.name).click()
    assert_page_ok(page)
    for i in range(1, 10):
        group = page.get_by_role("group", name=re.compile(rf"^U{i}\. "))
        group.get_by_label("4 - Sangat baik").check()
    page.get_by_role("button", name="Kirim jawaban saya").click()
    expect(page.locator("main")).to_contain_text("Terima kasih")
    assert_page_ok(page)
    assert any(citizen.email in m.to for m in mail.outbox)


def test_citizen_pays_the_building_levy_through_the_gateway(
    live_server,
    gateway,  # noqa: F811
    page,
    assert_page_ok,
    office_day,
    same_origin,
):
    same_origin.add(origin(gateway.url))  # the bank's page, a real third party
    citizen = User.objects.create_user(
        username="pemilik", password=CITIZEN_PASSWORD, full_name="Budi Santoso"
    )
    application, bill = pbg_billed(office_day, citizen)
    base = live_server.url

    log_in(page, base, "pemilik", CITIZEN_PASSWORD, "/permohonan/")
    page.get_by_role("link", name=application.service_version.name).click()
    expect(page.get_by_test_id("next-step")).to_contain_text("menunggu pembayaran")
    assert_page_ok(page)
    page.get_by_role("link", name="Lihat tagihan dan bayar").click()
    assert bill.amount == 270_000  # 72 m² residential, as on the service page
    expect(page.get_by_test_id("amount")).to_have_text("Rp 270.000")
    assert_page_ok(page)
    page.get_by_test_id("pay-online").click()
    page.get_by_role("button", name="Bayar Rp 270.000").click()
    expect(page.get_by_test_id("bill-status")).to_have_text("Lunas")
    assert_page_ok(page)
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    assert_page_ok(page)
