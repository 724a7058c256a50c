"""A citizen applies for a doctor's practice licence (SIP) from Dinkes with a
document; DPMPTSP's front office verifies; the Dinkes reviewer asks for a
revision; the citizen fixes it; Dinkes recommends; the DPMPTSP signatory
approves; the citizen sees each step on the timeline. Every page passes the
accessibility and 360 px gates."""

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from accounts.models import User
from agencies.catalogue_loader import read_catalogue
from agencies.models import Agency
from agencies.services import catalogue_apply
from audit.context import audit_actor
from permits.models import Application
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)
from tests.support.browser import fill_practice_licence

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "petugas-rahasia-2026"


def _log_in(page, base, username, password, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


def _officer_opens(page, base, username, reference, assert_page_ok, capture=None):
    _log_in(page, base, username, PASSWORD, "/permohonan/tugas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar tugas")
    assert_page_ok(page)
    if capture:
        capture(page, "officer-queue", desktop=True)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("status")).to_be_visible()
    assert_page_ok(page)


def _assert_box_beside_its_label(page, name: str) -> None:
    """The revision checklist's box sits on the row of its own label, left of
    it (not between two block labels)."""
    box = page.get_by_role("checkbox", name=name)
    box_at = box.bounding_box()
    label_at = page.locator(f"label[for='{box.get_attribute('id')}']").bounding_box()
    middle = box_at["y"] + box_at["height"] / 2
    assert label_at["y"] <= middle <= label_at["y"] + label_at["height"]
    assert box_at["x"] + box_at["width"] <= label_at["x"]


def test_practice_licence_with_a_revision_from_dinkes(
    live_server,
    page,
    assert_page_ok,
    make_staff,  # noqa: F811
    settings,
    tmp_path,
    capture,
):
    settings.MEDIA_ROOT = tmp_path
    with audit_actor(system="system:test"):
        catalogue_apply(plan=read_catalogue(), reason="browser test", holiday_years=())
    dpmptsp = Agency.objects.get(code="DPMPTSP")
    dinkes = Agency.objects.get(code="DINKES")
    make_staff(OfficerRole.FRONT_OFFICE, agency=dpmptsp, username="fo")
    make_staff(OfficerRole.TECHNICAL_REVIEWER, agency=dinkes, username="dinkes")
    make_staff(OfficerRole.APPROVER, agency=dpmptsp, username="ttd")
    User.objects.create_user(
        username="dokter", password="warga-rahasia-2026", full_name="Siti Rahma"
    )
    base = live_server.url
    upload = tmp_path / "ktp.pdf"
    upload.write_bytes(PDF)

    # The citizen applies from the catalogue page.
    _log_in(page, base, "dokter", "warga-rahasia-2026", "/layanan/sip-dokter/")
    assert_page_ok(page)
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.get_by_role("button", name="Simpan draf")).to_be_visible()
    assert_page_ok(page)
    fill_practice_licence(
        page, full_name="Siti Rahma", nik="3671051203850001", upload=upload
    )
    capture(page, "application-form")
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Permohonan Anda diterima"
    )
    assert_page_ok(page)
    capture(page, "receipt")
    reference = page.get_by_test_id("reference").inner_text()
    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    expect(page.get_by_test_id("sla-expected")).to_be_visible()  # SLA, issue 9
    application = Application.objects.get(reference=reference)
    assert application.document_links.count() == 1

    # DPMPTSP front office verifies.
    _officer_opens(page, base, "fo", reference, assert_page_ok, capture)
    capture(page, "officer-application", desktop=True)
    page.get_by_role("button", name="Selesaikan tahap ini").click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    assert_page_ok(page)

    # Dinkes asks for a revision.
    _officer_opens(page, base, "dinkes", reference, assert_page_ok)
    page.get_by_label("Apa yang harus diperbaiki pemohon?").fill(
        "Nomor STR tidak terbaca."
    )
    _assert_box_beside_its_label(page, "Nomor STR")
    detail_url = page.url
    page.goto(base + reverse("workspace:application", args=[application.uuid]))
    _assert_box_beside_its_label(page, "Nomor STR")  # the workspace's styles too
    page.goto(detail_url)
    page.get_by_label("Apa yang harus diperbaiki pemohon?").fill(
        "Nomor STR tidak terbaca."
    )
    page.get_by_role("checkbox", name="Nomor STR").check()
    page.get_by_role("button", name="Minta perbaikan").click()
    expect(page.get_by_test_id("status")).to_have_text("Menunggu pemohon")
    expect(page.locator("main")).to_contain_text("Perbaikan diminta")
    assert_page_ok(page)

    # The citizen fixes it.
    _log_in(page, base, "dokter", "warga-rahasia-2026", "/permohonan/")
    assert_page_ok(page)
    page.get_by_role("link", name=application.service_version.name).click()
    assert_page_ok(page)
    page.get_by_role("link", name="Perbaiki permohonan Anda").click()
    expect(page.locator("main")).to_contain_text(
        "Isian atau dokumen yang perlu diperbaiki: Nomor STR."
    )
    assert_page_ok(page)
    page.get_by_label("Nomor STR").fill("STR-456")
    page.get_by_role("button", name="Kirim perbaikan").click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    assert_page_ok(page)

    # Dinkes recommends; the DPMPTSP signatory approves.
    _officer_opens(page, base, "dinkes", reference, assert_page_ok)
    page.get_by_role("button", name="Selesaikan tahap ini").click()
    expect(page.locator("main")).to_contain_text("Tahap ini telah diselesaikan.")
    assert_page_ok(page)
    _officer_opens(page, base, "ttd", reference, assert_page_ok)
    page.get_by_role("button", name="Setujui").click()
    expect(page.get_by_test_id("status")).to_have_text("Disetujui")
    assert_page_ok(page)

    # The citizen sees every step on the timeline.
    _log_in(page, base, "dokter", "warga-rahasia-2026", "/permohonan/")
    page.get_by_role("link", name=application.service_version.name).click()
    timeline = page.locator("ol.timeline")
    for text in (
        "Permohonan Anda diterima.",
        "DPMPTSP menyelesaikan tahap",
        "Dinkes meminta Anda memperbaiki permohonan.",
        "Perbaikan Anda diterima",
        "menyetujui permohonan Anda.",
    ):
        expect(timeline).to_contain_text(text)
    expect(page.get_by_test_id("status")).to_have_text("Disetujui")
    assert_page_ok(page)
    capture(page, "timeline")
    application.refresh_from_db()
    assert application.form_data["str_number"] == "STR-456"
