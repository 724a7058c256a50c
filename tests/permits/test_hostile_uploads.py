"""Hostile uploads through the applications API: overlong or unknown
requirement codes, NUL bytes in file names, renamed and polyglot files.
Each gets a 4xx with a message and leaves no document behind."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from permits.models import Application, ApplicationDocument
from tests.support.workflow import VALID_FORM

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(licence, citizen, login):
    c = login(citizen, APIClient())
    created = c.post(
        reverse("api:permits-api:application-list"),
        {"service": licence.code, "form_data": VALID_FORM},
        format="json",
    )
    assert created.status_code == 201
    return c, Application.objects.get(uuid=created.json()["uuid"])


def _upload(c, application, **data):
    return c.post(
        reverse("api:permits-api:application-documents", args=[application.uuid]),
        data,
        format="multipart",
    )


@pytest.mark.parametrize(
    ("code", "name", "content"),
    [
        ("k" * 300, "k.pdf", PDF),
        ("ktp", "k.pdf", b"<html><script>alert(1)</script></html>"),
        ("ktp", "k.pdf", b"PK\x03\x04" + b"\x00" * 64),
        ("ktp", "k.pdf", b""),
    ],
    ids=["overlong-code", "html-as-pdf", "zip-as-pdf", "empty"],
)
def test_a_bad_upload_is_400_and_stores_nothing(draft, code, name, content):
    c, application = draft
    response = _upload(
        c, application, requirement_code=code, file=SimpleUploadedFile(name, content)
    )
    assert response.status_code == 400, response.content
    assert ApplicationDocument.objects.count() == 0


def test_a_nul_byte_in_the_file_name_does_not_500(draft):
    c, application = draft
    response = _upload(
        c,
        application,
        requirement_code="ktp",
        file=SimpleUploadedFile("k\x00<script>.pdf", PDF),
    )
    assert response.status_code in (201, 400), response.content
    for document in ApplicationDocument.objects.all():
        assert "\x00" not in document.original_name


def test_an_upload_refused_by_the_workflow_leaves_no_file_behind(
    submitted, citizen, login, tmp_path
):
    """The application is no longer a draft: the attach fails, the row rolls
    back, and the bytes written to storage before it must go too."""
    c = login(citizen, APIClient())
    response = _upload(
        c, submitted, requirement_code="ktp", file=SimpleUploadedFile("k.pdf", PDF)
    )
    assert response.status_code in (400, 409), response.content
    assert ApplicationDocument.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "bukan persyaratan layanan ini"), ("en", "is not a requirement")],
)
def test_an_upload_for_a_requirement_the_service_does_not_list_is_refused(
    draft, tmp_path, language, expected
):
    """The code is a well-formed slug but not in the version's requirements:
    400 in the user's language, no document, no file, the draft unchanged."""
    c, application = draft
    before = (application.form_data, application.version)
    response = c.post(
        reverse("api:permits-api:application-documents", args=[application.uuid]),
        {"requirement_code": "akta-cerai", "file": SimpleUploadedFile("a.pdf", PDF)},
        format="multipart",
        headers={"accept-language": language},
    )
    assert response.status_code == 400, response.content
    assert expected in response.json()["detail"]
    assert response.json()["requirement_code"] == "akta-cerai"
    assert ApplicationDocument.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    application.refresh_from_db()
    assert (application.form_data, application.version) == before
    assert not application.document_links.exists()


def test_reusing_a_document_of_another_requirement_is_refused(draft, citizen):
    """An earlier upload for a requirement this service does not list cannot be
    attached by its uuid either."""
    from django.core.files.base import ContentFile

    c, application = draft
    foreign = ApplicationDocument(
        owner=citizen,
        requirement_code="akta-cerai",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    foreign.file.save("x.pdf", ContentFile(PDF))
    response = _upload(c, application, document=str(foreign.uuid))
    assert response.status_code == 400, response.content
    assert not application.document_links.exists()
