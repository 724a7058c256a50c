"""Issue 8, done when: at a kecamatan service point an officer files a BPJS
Kesehatan correction for a citizen who is present and has no account; the
citizen confirms with the code sent to them; BPJS checks the evidence and
completes the correction by recording BPJS's reference; the citizen activates
the account made at the counter with the same code and sees the correction
completed in their account. Every page passes the accessibility and 360 px
gates."""

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from agencies.catalogue_loader import read_catalogue
from agencies.models import Agency, Office
from agencies.services import catalogue_apply
from audit.context import audit_actor
from channeling.models import AssistedSubmission
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)
from tests.channeling.conftest import NIK, PDF, code_sent_to

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "petugas-rahasia-2026"
EMAIL = "siti@example.org"


def _log_in(page, base, username, password, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_bpjs_correction_filed_at_a_kecamatan(
    live_server,
    page,
    assert_page_ok,
    make_staff,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    with audit_actor(system="system:test"):
        catalogue_apply(plan=read_catalogue(), reason="browser test", holiday_years=())
    kecamatan = Office.objects.get(code="kec-ciledug")
    bpjs = Agency.objects.get(code="BPJSKES")
    make_staff(OfficerRole.FRONT_OFFICE, office=kecamatan, username="loket")
    make_staff(OfficerRole.VERIFIER, agency=bpjs, username="bpjsverif")
    make_staff(OfficerRole.APPROVER, agency=bpjs, username="bpjs")
    base = live_server.url
    upload = tmp_path / "ktp.pdf"
    upload.write_bytes(PDF)

    # The kecamatan front office files for the citizen at the counter.
    _log_in(page, base, "loket", PASSWORD, "/loket/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengajuan berbantuan")
    assert_page_ok(page)
    page.get_by_role("link", name="Ajukan untuk warga").click()
    assert_page_ok(page)
    page.get_by_label("Layanan").select_option("bpjskes-ubah-data")
    page.get_by_label("NIK warga").fill(NIK)
    page.get_by_label("Nama lengkap warga").fill("Siti Rahma")
    page.get_by_label("Nomor ponsel warga").fill("0812 3456 7890")
    page.get_by_label("Alamat e-mail warga (opsional)").fill(EMAIL)
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.get_by_role("button", name="Kirim kode ke warga")).to_be_visible()
    assert_page_ok(page)
    page.get_by_label("Nomor kartu JKN-KIS").fill("0001234567890")
    page.get_by_label("Data yang diubah").select_option(label="Nama")
    page.get_by_label("Data lama").fill("Siti Rahmah")
    page.get_by_label("Data baru").fill("Siti Rahma")
    page.get_by_label("KTP-el").set_input_files(str(upload))
    page.get_by_role("button", name="Kirim kode ke warga").click()
    expect(page.get_by_test_id("assisted-status")).to_have_text("Menunggu kode")
    assert_page_ok(page)

    # The citizen types the code they received on the officer's screen.
    code = code_sent_to(EMAIL)
    page.get_by_label("Kode yang diterima warga").fill(code)
    page.get_by_role("button", name="Konfirmasi dan ajukan").click()
    expect(page.get_by_test_id("assisted-status")).to_have_text(
        "Dikonfirmasi dan diajukan"
    )
    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    assert_page_ok(page)
    reference = page.get_by_test_id("reference").inner_text()
    assisted = AssistedSubmission.objects.get(application__reference=reference)
    assert assisted.office == kecamatan
    assert assisted.application.submitted_at == assisted.confirmed_at
    page.goto(f"{base}/loket/")
    expect(page.locator("table")).to_contain_text(reference)
    page.goto(f"{base}/loket/laporan/")
    expect(page.locator("table")).to_contain_text("Ciledug")
    assert_page_ok(page)

    # BPJS Kesehatan checks the evidence, then records BPJS's reference.
    _log_in(page, base, "bpjsverif", PASSWORD, "/permohonan/tugas/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Selesaikan tahap ini").click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    _log_in(page, base, "bpjs", PASSWORD, "/permohonan/tugas/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Catat hasil BPJS").click()
    expect(page.locator("main")).to_contain_text("0001234567890")
    assert_page_ok(page)
    page.get_by_label("Nomor referensi BPJS atas perubahan").fill("JKN-UBAH-0042")
    page.get_by_role("button", name="Catat dan selesaikan").click()
    expect(page.get_by_test_id("status")).to_have_text("Selesai")
    assert_page_ok(page)

    # The citizen activates the counter-made account with the same code and
    # sees the correction completed.
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/")
    page.get_by_role("link", name="Mengajukan di loket? Aktifkan akun Anda").click()
    assert_page_ok(page)
    page.get_by_label("NIK atau nomor ponsel Anda").fill(NIK)
    page.get_by_label("Kode dari loket pelayanan").fill(code)
    page.get_by_label("Kata sandi baru").fill("Warga-rahasia-2026")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(EMAIL)
    page.get_by_label("Kata sandi:", exact=True).fill("Warga-rahasia-2026")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{base}/permohonan/")
    assert_page_ok(page)
    page.get_by_role("link", name=assisted.application.service_version.name).click()
    expect(page.get_by_test_id("status")).to_have_text("Selesai")
    expect(page.locator("main")).to_contain_text("JKN-UBAH-0042")
    assert_page_ok(page)
