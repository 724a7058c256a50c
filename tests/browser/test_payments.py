"""A building approval (PBG, 10-hour service) through billing: Disperkimtan
has verified; the DPMPTSP officer assesses the levy from the floor area and
issues the bill (SKRD); the citizen sees it, pays through the fake gateway on
loopback, whose signed callback moves the application to its next step (the
issuance). Every portal page passes the accessibility and 360 px gates."""

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from accounts.models import User
from agencies.catalogue_loader import read_catalogue
from agencies.models import Agency, Service
from agencies.services import catalogue_apply
from audit.context import audit_actor
from payments.gateways.fake import FakeGateway
from payments.models import Bill, GatewayCallback
from permits.choices import ApplicationStatus, StepStatus
from permits.services import (
    application_create_draft,
    application_resubmit,
    application_step_complete,
    application_submit,
)
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "petugas-rahasia-2026"
CITIZEN_PASSWORD = "warga-rahasia-2026"


def _log_in(page, base, username, password, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


@pytest.fixture
def gateway(live_server, settings):
    fake = FakeGateway(
        portal_url=live_server.url, secret=settings.PAYMENTS_GATEWAY_SECRET
    ).start()
    settings.PAYMENTS_GATEWAY_PAY_URL = fake.url
    yield fake
    fake.stop()


def test_pbg_is_billed_paid_through_the_gateway_and_moves_on(
    live_server,
    gateway,
    page,
    assert_page_ok,
    make_staff,  # noqa: F811
):
    with audit_actor(system="system:test"):
        catalogue_apply(plan=read_catalogue(), reason="browser test", holiday_years=())
    perkim = Agency.objects.get(code="PERKIM")
    dpmptsp = Agency.objects.get(code="DPMPTSP")
    reviewer = make_staff(OfficerRole.TECHNICAL_REVIEWER, agency=perkim)
    make_staff(OfficerRole.VERIFIER, agency=dpmptsp, username="skrd")
    citizen = User.objects.create_user(
        username="pemilik", password=CITIZEN_PASSWORD, full_name="Budi Santoso"
    )
    base = live_server.url

    # The public service page shows the rule, marked as assumed.
    page.goto(f"{base}/layanan/pbg-rts-10jam/")
    expect(page.get_by_test_id("fee-rule")).to_contain_text("luas lantai")
    expect(page.get_by_test_id("fee-assumed")).to_be_visible()
    assert_page_ok(page)

    # Submitted, documents sent (SIMBG step), Disperkimtan verified.
    with audit_actor(system="system:test"):
        service = Service.objects.get(code="pbg-rts-10jam")
        draft = application_create_draft(
            applicant=citizen,
            service=service,
            form_data={
                "full_name": "Budi Santoso",
                "nik": "3671051203850001",
                "phone": "081234567890",
                "building_address": "Jl. Merdeka 1, Tangerang",
                "floor_area_m2": 72,
                "building_function": "residential",
            },
        )
        application, _code = application_submit(
            application=draft, applicant=citizen, idempotency_key="k"
        )
        if application.status == ApplicationStatus.WAITING_FOR_APPLICANT:
            application = application_resubmit(
                application=application, applicant=citizen
            )
        application.refresh_from_db()
        step = application.steps.get(status=StepStatus.ACTIVE)
        application_step_complete(
            application=application,
            step=step,
            user=reviewer,
            seen_version=application.version,
            external_reference="SIMBG-123",
        )
    application.refresh_from_db()
    reference = application.reference

    # DPMPTSP assesses the levy and issues the bill, from its workspace: the
    # generic "complete" is not offered at the fee step (no bill = no payment).
    _log_in(
        page, base, "skrd", PASSWORD, f"/ruang-kerja/permohonan/{application.uuid}/"
    )
    expect(page.get_by_test_id("bills")).to_be_visible()
    expect(page.get_by_role("button", name="Selesaikan tahap ini")).to_have_count(0)
    assert_page_ok(page)
    page.get_by_role("link", name="Tetapkan retribusi dan terbitkan tagihan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tetapkan retribusi")
    assert_page_ok(page)
    page.get_by_label("Luas lantai total (m²)").fill("0")
    page.get_by_role("button", name="Terbitkan tagihan").click()
    expect(page.locator(".error-summary")).to_contain_text("lebih dari 0 m²")
    assert_page_ok(page)
    page.get_by_label("Luas lantai total (m²)").fill("72")
    page.get_by_label("Fungsi bangunan").select_option("residential")
    page.get_by_role("button", name="Terbitkan tagihan").click()
    expect(page.get_by_test_id("amount")).to_have_text("Rp 270.000")
    assert_page_ok(page)
    bill = Bill.objects.get(application=application)

    # The citizen sees the bill and pays through the (fake) gateway.
    _log_in(page, base, "pemilik", CITIZEN_PASSWORD, "/permohonan/")
    page.get_by_role("link", name=application.service_version.name).click()
    expect(page.get_by_test_id("status")).to_have_text("Menunggu pemohon")
    expect(page.get_by_role("link", name="Perbaiki permohonan Anda")).to_have_count(0)
    expect(page.get_by_test_id("next-step")).to_contain_text("menunggu pembayaran")
    assert_page_ok(page)
    page.get_by_role("link", name="Lihat tagihan dan bayar").click()
    expect(page.get_by_test_id("billing-code")).to_have_text(bill.billing_code_display)
    expect(page.get_by_test_id("bill-status")).to_have_text("Menunggu pembayaran")
    assert_page_ok(page)
    page.get_by_test_id("pay-online").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gateway pembayaran uji")
    page.get_by_role("button", name="Bayar Rp 270.000").click()

    # Back on the portal: paid, and the application is at its next step.
    expect(page.get_by_test_id("bill-status")).to_have_text("Lunas")
    assert_page_ok(page)
    callback = GatewayCallback.objects.get()
    assert callback.outcome == "accepted"
    assert gateway.sent[0]["status"] == 200
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    expect(page.locator("ol.steps li").last).to_contain_text("Aktif")
    assert_page_ok(page)
    application.refresh_from_db()
    issuance = application.steps.get(status=StepStatus.ACTIVE)
    assert issuance.name == "Penerbitan PBG oleh DPMPTSP"
