"""An officer of DPMPTSP opens a citizen's application and downloads their ID
card; the auditor filters the trail for that application, exports it as CSV
and sees the chain verified; the citizen sees that DPMPTSP opened their
documents. Every page passes the accessibility and 360 px gates."""

import csv
import io

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from agencies.choices import AgencyKind, StepKind
from agencies.models import Agency
from audit.context import audit_actor
from auditor.models import VerificationRun
from auditor.tasks import verification_run_task
from permits.services import (
    application_create_draft,
    application_submit,
    document_upload,
)
from tests.audit.conftest import seal_all
from tests.support.workflow import VALID_FORM, make_officer, make_service, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "pw-Rahasia-123"


def _log_in(page, base, username, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_auditor_traces_an_application_and_the_citizen_sees_who_opened_it(
    live_server, page, assert_page_ok, capture, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with audit_actor(system="system:test"):
        dpmptsp = Agency.objects.create(
            code="DPMPTSP", name="DPMPTSP Kota Tangerang", kind=AgencyKind.DINAS
        )
        service = make_service(
            code="sip-dokter",
            agency=dpmptsp,
            issuer=dpmptsp,
            steps=[(StepKind.AGENCY, dpmptsp, OfficerRole.FRONT_OFFICE, "", "")],
        )
        citizen = make_user("dokter")
        make_officer("fo", agency=dpmptsp, role=OfficerRole.FRONT_OFFICE)
        auditor = make_user("auditor")
        auditor.groups.add(Group.objects.get_or_create(name="auditor")[0])
        draft = application_create_draft(
            applicant=citizen, service=service, form_data=dict(VALID_FORM)
        )
        document_upload(
            owner=citizen,
            requirement_code="ktp",
            content=PDF,
            original_name="ktp.pdf",
            application=draft,
        )
        application, _code = application_submit(
            application=draft, applicant=citizen, idempotency_key="b1"
        )
    base = live_server.url

    # The front office opens the application and downloads the ID card.
    _log_in(page, base, "fo", f"/permohonan/{application.uuid}/")
    expect(page.get_by_test_id("status")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="ktp").click()
    assert download.value.suggested_filename == "ktp.pdf"

    seal_all()  # the beat sealer's job

    # The auditor filters the trail for this application.
    _log_in(page, base, "auditor", "/auditor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jejak audit")
    assert_page_ok(page)
    page.get_by_label("Nomor registrasi permohonan").fill(application.reference)
    page.get_by_role("button", name="Cari").click()
    entries = page.get_by_test_id("entries")
    expect(entries).to_contain_text("application.submitted")
    # Entries about the application name it by its reference.
    expect(
        entries.get_by_role("link", name=application.reference).first
    ).to_be_visible()
    expect(entries).not_to_contain_text(f"permits.application:{application.pk}")
    assert_page_ok(page)
    capture(page, "auditor-trail", desktop=True)

    # ... exports the same filter as CSV ...
    with page.expect_download() as download:
        page.get_by_role("link", name="Ekspor CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert {
        r["object_id"] for r in rows if r["object_type"] == "permits.application"
    } == {str(application.pk)}
    assert "application.submitted" in {r["action"] for r in rows}

    # ... and verifies the chain.
    page.get_by_role("link", name="Integritas", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integritas jejak audit")
    assert_page_ok(page)
    page.get_by_role("button", name="Periksa sekarang").click()
    expect(page.get_by_test_id("chain-status").first).to_contain_text(
        "Pemeriksaan sedang berjalan"
    )
    verification_run_task(VerificationRun.objects.get().pk)  # the worker's job
    page.reload()
    expect(page.get_by_test_id("chain-status").first).to_contain_text(
        "Rantai terverifikasi: utuh"
    )
    assert_page_ok(page)
    capture(page, "auditor-integrity", desktop=True)

    # The citizen sees that DPMPTSP opened their documents, not who.
    _log_in(page, base, "dokter", "/akun/")
    page.get_by_role("link", name="Lihat siapa yang mengakses data Anda").click()
    accesses = page.get_by_test_id("accesses")
    expect(accesses).to_contain_text("DPMPTSP Kota Tangerang")
    expect(accesses).to_contain_text("Unduhan berkas")
    expect(accesses).to_contain_text(application.reference)
    assert_page_ok(page)
    capture(page, "privacy-accesses")
