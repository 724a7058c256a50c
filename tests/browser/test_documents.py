"""Issue 14, done when: a citizen downloads their issued permit; page 1 is
rendered to an image (pypdfium2), its QR code decoded (zxing-cpp) and followed
to the public verification page, which says "valid"; the signatory revokes
the permit and the same page says "revoked"; the PDF's signature validates
with pyHanko against the development CA."""

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import expect

from audit.context import audit_actor
from documents.signing import documents_signer, signature_check
from tests.documents.conftest import issue
from tests.permits.conftest import (  # noqa: F401  (fixtures)
    licence,
)
from tests.support.workflow import (
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw-Rahasia-123"  # tests.permits.conftest.make_user


def _log_in(page, base, username, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def _qr_url(pdf_path) -> str:
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        image = pdf[0].render(scale=3).to_pil()
    finally:
        pdf.close()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1, "one QR code on page 1"
    return codes[0].text


def test_download_scan_verify_revoke(
    live_server,
    page,
    assert_page_ok,
    capture,
    settings,
    tmp_path,
    licence,  # noqa: F811
    citizen,
    front_office,
    verifier,
    approver,
):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_BASE_URL = live_server.url  # the QR code's origin
    base = live_server.url
    with audit_actor(system="system:test"):
        application, _code = submit(licence, citizen)
        document = issue(application, front_office, verifier, approver)

    _log_in(page, base, citizen.username, f"/permohonan/{application.uuid}/")
    page.get_by_test_id("issued-documents").get_by_role(
        "link", name=document.number
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(document.number)
    assert_page_ok(page)
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    pdf_path = tmp_path / "downloaded.pdf"
    info.value.save_as(pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")

    check = signature_check(data, trust_roots=documents_signer().trust_roots())
    assert check["valid"], check

    url = _qr_url(pdf_path)
    assert url == f"{base}/verifikasi/{document.verification_token}/"
    page.context.clear_cookies()  # the public, without login
    page.goto(url)
    expect(page.get_by_test_id("validity")).to_have_attribute("data-validity", "valid")
    expect(page.get_by_test_id("sha256")).to_have_text(document.sha256)
    assert_page_ok(page)
    capture(page, "document-verification")

    _log_in(page, base, approver.user.username, "/dokumen/")
    capture(page, "document-register", desktop=True)
    page.get_by_role("link", name=document.number).click()
    page.get_by_label("Alasan pencabutan").fill("Surat tanda registrasi dicabut.")
    page.get_by_role("button", name="Cabut dokumen ini").click()
    expect(page.get_by_test_id("validity-label")).to_have_text("Dicabut")
    assert_page_ok(page)

    page.context.clear_cookies()
    page.goto(url)
    expect(page.get_by_test_id("validity")).to_have_attribute(
        "data-validity", "revoked"
    )
    expect(page.get_by_test_id("revocation-reason")).to_have_text(
        "Surat tanda registrasi dicabut."
    )
    assert_page_ok(page)
