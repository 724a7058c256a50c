"""Issued documents: numbering, rendering, signing, revocation, renewal and
reminders, against the real database."""

import datetime as dt
import zoneinfo

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pypdfium2
import pytest
import time_machine

from audit.models import AuditEntry
from documents.choices import DocumentKind, RenderStatus, Validity
from documents.models import DocumentCounter
from documents.services import (
    document_revoke,
    mask_identifier,
    mask_name,
    renewal_start,
    valid_until_for,
)
from documents.signing import documents_signer, signature_check
from documents.tasks import document_render, documents_renewal_reminders_task
from notifications.models import Notification
from ptsp.exceptions import ApplicationError

from .conftest import issue, submit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def first_page_text(path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


def test_submission_writes_a_receipt_rendered_after_commit(
    licence, citizen, django_capture_on_commit_callbacks
):
    """The receipt carries the reference as its number and the documents
    received; its PDF waits for the commit."""
    with django_capture_on_commit_callbacks() as callbacks:
        application, _code = submit(licence, citizen)
    receipt = application.issued_documents.get()
    assert receipt.kind == DocumentKind.RECEIPT
    assert receipt.number == application.reference
    assert receipt.render_status == RenderStatus.PENDING
    assert callbacks  # the hand-off to Celery waits for the commit
    assert document_render(receipt.pk) is True
    receipt.refresh_from_db()
    assert receipt.render_status == RenderStatus.READY
    with receipt.file.open("rb") as handle:
        pdf = handle.read()
    text = first_page_text(receipt.file.path)
    assert "TANDA TERIMA PERMOHONAN" in text
    assert application.reference in text
    assert document_render(receipt.pk) is False  # safe to run twice
    assert signature_check(pdf, trust_roots=documents_signer().trust_roots())["valid"]


def test_issuance_numbers_per_service_and_year(issued, licence, citizen):
    """The permit gets ``0001/SIP-DOKTER/DPMPTSP/<WIB year>``, the holder from
    the form, the approving signatory, a 256-bit token and a signed PDF."""
    year = timezone.now().astimezone(WIB).year
    assert issued.kind == DocumentKind.PERMIT
    assert issued.number == f"0001/SIP-DOKTER/DPMPTSP/{year}"
    assert DocumentCounter.objects.get(service=licence, year=year).last_number == 1
    assert issued.holder_name == "Dr. Siti Rahma"
    assert issued.signatory_name == "Budi Santoso"
    assert "DPMPTSP" in issued.signatory_position
    assert len(issued.verification_token) >= 43  # 32 bytes, base64
    assert issued.signed
    assert len(issued.sha256) == 64
    text = first_page_text(issued.file.path)
    assert issued.number in text
    assert "Budi Santoso" in text
    notification = Notification.objects.filter(
        recipient=citizen, event="application.issued"
    ).first()
    assert notification.context["document_number"] == issued.number
    assert AuditEntry.objects.filter(
        action="document.issue", object_id=str(issued.pk)
    ).exists()


def test_second_permit_of_the_service_takes_the_next_number(
    issued, licence, other_citizen, front_office, verifier, approver
):
    application, _ = submit(licence, other_citizen, key="k2")
    second = issue(application, front_office, verifier, approver)
    assert second.number.startswith("0002/SIP-DOKTER/")


def test_validity_counts_months_from_the_wib_issue_date(submitted):
    # Versions are immutable in the database; the rule reads the attribute.
    version = submitted.service_version
    version.validity_months = 60
    issued_at = dt.datetime(2026, 1, 31, 20, 0, tzinfo=dt.UTC)  # 1 Feb 03:00 WIB
    until = valid_until_for(submitted, issued_at).astimezone(WIB)
    assert (until.date(), until.time()) == (dt.date(2031, 1, 31), dt.time(23, 59, 59))
    version.validity_months = None
    assert valid_until_for(submitted, issued_at) is None


def test_tampered_pdf_fails_the_signature_check(issued):
    with issued.file.open("rb") as handle:
        pdf = bytearray(handle.read())
    roots = documents_signer().trust_roots()
    assert signature_check(bytes(pdf), trust_roots=roots)["valid"]
    index = pdf.find(issued.holder_name.encode()[:4])
    position = index if index > 0 else 200
    pdf[position] = (pdf[position] + 1) % 256
    assert not signature_check(bytes(pdf), trust_roots=roots)["valid"]


def test_revocation_needs_the_issuers_signatory_and_a_reason(
    issued, approver, front_office, dinsos_approver, citizen
):
    with pytest.raises(PermissionDenied):
        document_revoke(document=issued, user=front_office.user, reason="x")
    with pytest.raises(PermissionDenied):
        document_revoke(document=issued, user=dinsos_approver.user, reason="x")
    with pytest.raises(ApplicationError):
        document_revoke(document=issued, user=approver.user, reason="  ")
    document_revoke(document=issued, user=approver.user, reason="Data tidak benar.")
    issued.refresh_from_db()
    assert issued.validity() == Validity.REVOKED
    assert issued.revocation_reason == "Data tidak benar."
    revoked = Notification.objects.filter(
        recipient=citizen, event="document.revoked"
    ).first()
    version = issued.application.service_version
    assert revoked.context["service"] == {
        "$text": {"id": version.name, "en": version.name_en}
    }
    entry = AuditEntry.objects.get(action="document.revoke")
    assert entry.reason == "Data tidak benar."
    with pytest.raises(ApplicationError):
        document_revoke(document=issued, user=approver.user, reason="again")


def test_renewal_starts_from_the_old_permit_and_supersedes_it(
    issued, citizen, other_citizen, front_office, verifier, approver
):
    with pytest.raises(PermissionDenied):
        renewal_start(document=issued, user=other_citizen)
    draft = renewal_start(document=issued, user=citizen)
    assert draft.form_data == issued.application.form_data
    assert renewal_start(document=issued, user=citizen) == draft  # one open renewal
    from permits.services import application_submit

    application, _ = application_submit(
        application=draft, applicant=citizen, idempotency_key="renew"
    )
    new = issue(application, front_office, verifier, approver)
    issued.refresh_from_db()
    assert issued.superseded_by == new
    assert issued.validity() == Validity.SUPERSEDED
    assert new.validity() == Validity.VALID
    with pytest.raises(ApplicationError):
        renewal_start(document=issued, user=citizen)


def test_renewal_reminder_once_before_expiry(issued, citizen):
    issued.valid_until = timezone.now() + dt.timedelta(days=60)
    issued.save(update_fields=["valid_until"])
    assert documents_renewal_reminders_task() == 0  # not yet within 30 days
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        assert documents_renewal_reminders_task() == 1
        assert documents_renewal_reminders_task() == 0  # once
    reminders = Notification.objects.filter(
        recipient=citizen, event="permit.renewal_reminder"
    )
    assert reminders.count() >= 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=61)):
        issued.refresh_from_db()
        assert issued.validity() == Validity.EXPIRED


def test_masking_keeps_only_what_the_public_needs():
    assert mask_name("Siti Rahma") == "Si** Ra***"
    assert mask_identifier("3671051203850001") == "3671********0001"
    assert mask_identifier("9120001234567") == "*********4567"


def test_deploy_check_refuses_the_development_ca(settings):
    from documents.checks import check_no_development_ca

    settings.DOCUMENTS_SIGNER = "documents.signing.LocalCASigner"
    assert [e.id for e in check_no_development_ca(None)] == ["documents.E001"]
    settings.DOCUMENTS_SIGNER = "documents.signing.Pkcs12Signer"
    assert check_no_development_ca(None) == []


def test_receipt_prints_the_expected_completion_date(submitted):
    """``due_at`` (written by the SLA engine) is the expected completion date
    on the receipt, in WIB."""
    submitted.due_at = dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC)  # 4 Dec WIB
    submitted.save(update_fields=["due_at"])
    receipt = submitted.issued_documents.get(kind=DocumentKind.RECEIPT)
    document_render(receipt.pk)
    receipt.refresh_from_db()
    text = first_page_text(receipt.file.path)
    assert "Perkiraan selesai" in text
    assert "4 Desember 2026" in text


def test_sweep_hands_over_documents_left_pending(submitted):
    """A receipt still pending after the grace period (broker down at commit)
    is handed to the workers again; a rendered one is not."""
    from documents.tasks import documents_render_pending_task

    assert documents_render_pending_task() == 0  # within the grace period
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        assert documents_render_pending_task() == 1
        document_render(submitted.issued_documents.get().pk)
        assert documents_render_pending_task() == 0


def test_a_missing_signing_key_marks_the_document_failed(submitted, settings, tmp_path):
    """Not a transient error: the document is marked failed (the sweep leaves
    it), and the error is raised for the worker's log."""
    from documents.choices import RenderStatus as R
    from documents.tasks import document_render_task

    settings.DOCUMENTS_SIGNER = "documents.signing.Pkcs12Signer"
    settings.DOCUMENTS_SIGNING_PKCS12 = str(tmp_path / "missing.p12")
    receipt = submitted.issued_documents.get()
    with pytest.raises(RuntimeError, match="Cannot load the signing key"):
        document_render_task.run(receipt.pk)
    receipt.refresh_from_db()
    assert receipt.render_status == R.FAILED


def test_receipt_lists_the_documents_received(licence, citizen, settings, tmp_path):
    from permits.services import (
        application_create_draft,
        application_submit,
        document_upload,
    )

    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    from tests.support.workflow import VALID_FORM

    draft = application_create_draft(
        applicant=citizen, service=licence, form_data=dict(VALID_FORM)
    )
    document_upload(
        owner=citizen,
        requirement_code="ktp",
        content=pdf,
        original_name="ktp-siti.pdf",
        application=draft,
    )
    application, _ = application_submit(
        application=draft, applicant=citizen, idempotency_key="r1"
    )
    receipt = application.issued_documents.get()
    assert receipt.data["documents_received"] == [
        {"code": "ktp", "name": "KTP-el", "file": "ktp-siti.pdf"}
    ]
    document_render(receipt.pk)
    receipt.refresh_from_db()
    text = first_page_text(receipt.file.path)
    assert "KTP-el" in text
    assert "ktp-siti.pdf" in text


def test_a_rolled_back_render_leaves_no_stored_file(
    submitted, settings, tmp_path, monkeypatch
):
    """The PDF is written before the row commits; when the transaction rolls
    back (here the audit entry fails) the file is deleted again, not orphaned
    in private storage, and the document stays pending for a retry."""
    import documents.services

    settings.MEDIA_ROOT = tmp_path
    receipt = submitted.issued_documents.get()

    def audit_fails(**kwargs):
        assert list(tmp_path.rglob("*.pdf"))  # the file was written by now
        raise RuntimeError("audit down")

    monkeypatch.setattr(documents.services, "audit_record", audit_fails)
    with pytest.raises(RuntimeError, match="audit down"):
        document_render(receipt.pk)
    assert list(tmp_path.rglob("*.pdf")) == []
    receipt.refresh_from_db()
    assert receipt.render_status == RenderStatus.PENDING
    assert not receipt.file
