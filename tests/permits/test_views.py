"""HTML pages: the citizen's draft, submission, receipt, timeline, tracking,
documents; the officer's work list and actions."""

from django.test import Client
from django.urls import reverse

import pytest

from permits.choices import ApplicationStatus
from permits.models import Application
from tests.support.workflow import VALID_FORM, active_step, submit

pytestmark = pytest.mark.django_db
S = ApplicationStatus
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _start(c, service):
    response = c.post(reverse("permits:start", args=[service.code]))
    assert response.status_code == 302
    return Application.objects.get()


def test_draft_keeps_answers_when_a_file_is_refused(licence, citizen, login):
    c = login(citizen)
    application = _start(c, licence)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("ktp.pdf", b"MZ-not-a-pdf" * 10, "application/pdf")
    response = c.post(
        reverse("permits:edit", args=[application.uuid]),
        {"save": "1", "full_name": "Siti", "doc_ktp": bad},
    )
    assert response.status_code == 200
    assert "PDF, JPEG" in response.content.decode()
    application.refresh_from_db()
    assert application.form_data["full_name"] == "Siti"
    assert application.status == S.DRAFT


def test_a_refused_file_is_explained_once_under_its_field(licence, citizen, login):
    """The summary at the top links to the field; the reason is said once, under
    the field (not twice)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    from permits.services import document_upload
    from ptsp.exceptions import ApplicationError

    c = login(citizen)
    application = _start(c, licence)
    bad = b"MZ-not-a-pdf" * 10
    with pytest.raises(ApplicationError) as refused:
        document_upload(owner=citizen, requirement_code="ktp", content=bad)
    html = c.post(
        reverse("permits:edit", args=[application.uuid]),
        {"save": "1", "doc_ktp": SimpleUploadedFile("ktp.pdf", bad, "application/pdf")},
    ).content.decode()
    assert html.count(escape(refused.value.message)) == 1
    summary = html[html.index('class="error-summary"') :]
    assert '<a href="#id_doc_ktp">' in summary[: summary.index("</div>")]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "bukan persyaratan layanan ini"), ("en", "is not a requirement")],
)
def test_a_file_for_an_unlisted_requirement_is_refused_and_answers_are_kept(
    licence, citizen, login, tmp_path, language, expected
):
    """A hand-made form posts a file under a requirement the version does not
    list: the page names it in the user's language, stores no file, and the
    typed answers are saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from permits.models import ApplicationDocument

    c = login(citizen)
    application = _start(c, licence)
    response = c.post(
        reverse("permits:edit", args=[application.uuid]),
        {
            "save": "1",
            "full_name": "Siti",
            "doc_akta-cerai": SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        },
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert ApplicationDocument.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    application.refresh_from_db()
    assert application.form_data["full_name"] == "Siti"


def test_submit_twice_with_one_key_gives_one_receipt(licence, citizen, login):
    c = login(citizen)
    application = _start(c, licence)
    url = reverse("permits:edit", args=[application.uuid])
    data = {**VALID_FORM, "submit": "1", "idempotency_key": "click-1"}
    first = c.post(url, data)
    assert first.url == reverse("permits:receipt", args=[application.uuid])
    receipt = c.get(first.url).content.decode()
    application.refresh_from_db()
    assert application.reference in receipt
    assert 'data-testid="tracking-code"' in receipt
    c.post(url, data)
    assert Application.objects.filter(status=S.SUBMITTED).count() == 1
    assert application.status_changes.count() == 1


def test_invalid_submission_shows_field_errors(licence, citizen, login):
    c = login(citizen)
    application = _start(c, licence)
    response = c.post(
        reverse("permits:edit", args=[application.uuid]),
        {**VALID_FORM, "nik": "123", "submit": "1"},
    )
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_other_citizen_gets_404_everywhere(submitted, other_citizen, login):
    c = login(other_citizen)
    for name in ("detail", "edit", "receipt", "withdraw"):
        assert (
            c.get(reverse(f"permits:{name}", args=[submitted.uuid])).status_code == 404
        )
    for name in ("withdraw", "object"):
        assert (
            c.post(reverse(f"permits:{name}", args=[submitted.uuid])).status_code == 404
        )
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_document_download_is_an_attachment_for_allowed_users_only(
    licence, citizen, other_citizen, front_office, login
):
    from permits.services import application_create_draft, document_upload

    draft = application_create_draft(
        applicant=citizen, service=licence, form_data=dict(VALID_FORM)
    )
    doc = document_upload(
        owner=citizen, requirement_code="ktp", content=PDF, application=draft
    )
    from permits.services import application_submit

    application_submit(application=draft, applicant=citizen, idempotency_key="d")
    url = reverse("permits:document_download", args=[draft.uuid, doc.uuid])
    response = login(citizen).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert login(other_citizen, Client()).get(url).status_code == 404
    assert login(front_office, Client()).get(url).status_code == 200


def test_officer_work_list_and_stale_action(submitted, front_office, login):
    c = login(front_office)
    page = c.get(reverse("permits:work_list")).content.decode()
    assert submitted.reference in page
    step = active_step(submitted)
    url = reverse("permits:step_action", args=[submitted.uuid, step.pk, "complete"])
    c.post(url, {"version": submitted.version})
    response = c.post(url, {"version": submitted.version}, follow=True)
    assert "berubah saat Anda membukanya" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == S.IN_PROGRESS


def test_citizen_cannot_open_the_work_list(citizen, login):
    assert login(citizen).get(reverse("permits:work_list")).status_code == 403


def test_tracking_shows_status_not_personal_data(licence, citizen, client):
    application, code = submit(licence, citizen)
    url = reverse("permits:track")
    page = client.get(url, {"reference": application.reference, "code": code})
    text = page.content.decode()
    assert application.get_status_display() in text
    assert VALID_FORM["nik"] not in text
    assert VALID_FORM["full_name"] not in text
    wrong = client.get(url, {"reference": application.reference, "code": "X"})
    assert "Tidak ada permohonan dengan" in wrong.content.decode()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "Berikutnya:</strong>\n“Tahap 1” oleh DPMPTSP."),
        ("en", "Next:</strong>\n“Tahap 1” by DPMPTSP."),
    ],
)
def test_timeline_says_which_step_and_agency_is_next(
    submitted, citizen, login, lang, expected
):
    c = login(citizen)
    c.cookies["django_language"] = lang
    page = c.get(reverse("permits:detail", args=[submitted.uuid])).content.decode()
    assert expected in page


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("id", "menunggu Anda"), ("en", "waiting for you")],
)
def test_timeline_says_when_the_applicant_must_act(
    submitted, citizen, front_office, login, lang, expected
):
    from permits.services import application_request_revision

    application_request_revision(
        application=submitted,
        step=active_step(submitted),
        user=front_office.user,
        seen_version=submitted.version,
        note="Foto buram.",
    )
    c = login(citizen)
    c.cookies["django_language"] = lang
    page = c.get(reverse("permits:detail", args=[submitted.uuid])).content.decode()
    assert 'data-testid="next-step"' in page
    assert expected in page


def _upload(owner, code="ktp", name="ktp-lama.pdf"):
    from permits.services import document_upload

    return document_upload(
        owner=owner, requirement_code=code, content=PDF, original_name=name
    )


def test_draft_offers_and_reuses_own_earlier_document(licence, citizen, login):
    earlier = _upload(citizen)
    c = login(citizen)
    application = _start(c, licence)
    url = reverse("permits:edit", args=[application.uuid])
    page = c.get(url).content.decode()
    assert 'name="reuse_ktp"' in page
    assert "ktp-lama.pdf" in page
    response = c.post(url, {"save": "1", "reuse_ktp": str(earlier.uuid)})
    assert response.status_code == 302
    assert list(application.documents.all()) == [earlier]
    # Once attached it is no longer offered as a choice.
    assert 'name="reuse_ktp"' not in c.get(url).content.decode()


def test_another_citizens_document_cannot_be_reused(
    licence, citizen, other_citizen, login
):
    _upload(citizen)  # the picker is shown ...
    theirs = _upload(other_citizen, name="ktp-orang-lain.pdf")
    c = login(citizen)
    application = _start(c, licence)
    url = reverse("permits:edit", args=[application.uuid])
    assert "ktp-orang-lain.pdf" not in c.get(url).content.decode()
    response = c.post(url, {"save": "1", "reuse_ktp": str(theirs.uuid)})
    assert response.status_code == 200  # ... but refuses what it did not offer
    assert not application.documents.exists()


def test_upload_fields_are_labelled_in_english(licence, citizen, login):
    c = login(citizen)
    application = _start(c, licence)
    url = reverse("permits:edit", args=[application.uuid])
    assert "KTP-el" in c.get(url).content.decode()
    c.cookies["django_language"] = "en"
    english = c.get(url).content.decode()
    assert "ID card" in english


def test_sending_a_revision_without_changing_the_flagged_document_is_refused(
    submitted, citizen, front_office, login
):
    """The officer flagged the KTP-el; "Kirim perbaikan" with no new file
    stays on the form naming it, and the application still waits."""
    from permits.services import application_request_revision

    application_request_revision(
        application=submitted,
        step=active_step(submitted),
        user=front_office.user,
        seen_version=submitted.version,
        note="KTP tidak terbaca.",
        fields=["ktp"],
    )
    submitted.refresh_from_db()
    c = login(citizen)
    response = c.post(
        reverse("permits:edit", args=[submitted.uuid]),
        {"submit": "1", **submitted.form_data},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Belum diubah, padahal diminta petugas: " in html
    assert dict(submitted.revision_choices)["ktp"] in html
    submitted.refresh_from_db()
    assert submitted.status == S.WAITING_FOR_APPLICANT
