"""A citizen who uploaded their KTP for an earlier application picks it again
in a new draft instead of uploading it a second time (issue 6, "documents
already uploaded (KTP, KK) can be reused in a later application")."""

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from agencies.choices import StepKind
from audit.context import audit_actor
from permits.services import application_create_draft, document_upload
from tests.support.workflow import make_service, make_user

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_citizen_reuses_an_earlier_ktp(
    live_server,
    page,
    assert_page_ok,
    dpmptsp,
    dinkes,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    A = StepKind.AGENCY
    with audit_actor(system="system:test"):
        service = make_service(
            code="sip-dokter",
            agency=dinkes,
            issuer=dpmptsp,
            steps=[(A, dpmptsp, OfficerRole.FRONT_OFFICE, "", "")],
        )
        citizen = make_user("warga")
        document_upload(
            owner=citizen,
            requirement_code="ktp",
            content=PDF,
            original_name="ktp-2025.pdf",
        )
        draft = application_create_draft(applicant=citizen, service=service)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/akun/masuk/?next=/permohonan/{draft.uuid}/ubah/")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill("warga")
    page.get_by_label("Kata sandi:", exact=True).fill("pw-Rahasia-123")
    page.get_by_role("button", name="Masuk").click()

    picker = page.get_by_label("Atau pakai lagi berkas sebelumnya untuk “KTP-el”")
    expect(picker).to_be_visible()
    assert_page_ok(page)
    picker.select_option(label=picker.locator("option").nth(1).inner_text())
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Terunggah: ktp-2025.pdf")).to_be_visible()
    assert_page_ok(page)
    assert [d.original_name for d in draft.documents.all()] == ["ktp-2025.pdf"]
