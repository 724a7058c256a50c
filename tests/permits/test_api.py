"""The applications API: scoped querysets, idempotent submit, 409 on stale
versions, 400 for someone else's ids, OpenAPI schema."""

from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from permits.choices import ApplicationStatus
from permits.models import Application, ApplicationDocument
from tests.support.workflow import VALID_FORM, active_step

pytestmark = pytest.mark.django_db
S = ApplicationStatus
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api(login):
    return lambda user: login(user, APIClient())


def _url(name, application=None):
    if application is None:
        return reverse(f"api:permits-api:application-{name}")
    return reverse(f"api:permits-api:application-{name}", args=[application.uuid])


def test_citizen_drafts_uploads_and_submits_once(licence, citizen, api):
    c = api(citizen)
    created = c.post(
        _url("list"), {"service": licence.code, "form_data": VALID_FORM}, format="json"
    )
    assert created.status_code == 201
    application = Application.objects.get(uuid=created.json()["uuid"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = c.post(
        _url("documents", application),
        {"requirement_code": "ktp", "file": SimpleUploadedFile("k.pdf", PDF)},
        format="multipart",
    )
    assert upload.status_code == 201
    assert upload.json()["content_type"] == "application/pdf"
    first = c.post(_url("submit", application), HTTP_IDEMPOTENCY_KEY="abc")
    again = c.post(_url("submit", application), HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 200
    assert first.json()["tracking_code"]
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["tracking_code"] is None
    timeline = c.get(_url("timeline", application)).json()
    assert [t["to_status"] for t in timeline] == ["submitted"]


def test_submit_needs_the_idempotency_header(licence, citizen, api):
    c = api(citizen)
    uuid = c.post(
        _url("list"), {"service": licence.code, "form_data": VALID_FORM}, format="json"
    ).json()["uuid"]
    response = c.post(reverse("api:permits-api:application-submit", args=[uuid]))
    assert response.status_code == 400


def test_another_citizens_application_is_404_on_every_verb(
    submitted, other_citizen, api
):
    c = api(other_citizen)
    assert c.get(_url("list")).json()["results"] == []
    assert c.get(_url("detail", submitted)).status_code == 404
    assert (
        c.patch(_url("detail", submitted), {"form_data": {}}, format="json").status_code
        == 404
    )
    for name in (
        "submit",
        "withdraw",
        "objection",
        "documents",
        "resubmit",
        "complete",
    ):
        assert c.post(_url(name, submitted), {}, format="json").status_code in (
            403,
            404,
        )
    assert c.get(_url("timeline", submitted)).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_someone_elses_document_in_a_body_is_400(licence, citizen, other_citizen, api):
    from permits.services import application_create_draft, document_upload

    theirs = document_upload(owner=other_citizen, requirement_code="ktp", content=PDF)
    draft = application_create_draft(applicant=citizen, service=licence)
    response = api(citizen).post(
        _url("documents", draft), {"document": str(theirs.uuid)}, format="json"
    )
    assert response.status_code == 400
    assert not draft.document_links.exists()
    assert ApplicationDocument.objects.count() == 1


def test_officer_actions_stale_is_409_and_foreign_step_is_400(
    submitted, front_office, verifier, api, licence, citizen
):
    c = api(front_office)
    step = active_step(submitted)
    ok = c.post(
        _url("complete", submitted),
        {"step": step.pk, "version": submitted.version},
        format="json",
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == S.IN_PROGRESS
    stale = c.post(
        _url("complete", submitted),
        {"step": step.pk, "version": submitted.version},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["status"] == S.IN_PROGRESS
    other = Application.objects.create(
        service=licence, service_version=licence.current_version, applicant=citizen
    )
    assert (
        c.post(_url("complete", other), {"step": step.pk, "version": 1}).status_code
        == 404
    )
    v = api(verifier)
    submitted.refresh_from_db()
    foreign = v.post(
        reverse("api:permits-api:application-request-revision", args=[submitted.uuid]),
        {"step": 999999, "version": submitted.version, "note": "x"},
        format="json",
    )
    assert foreign.status_code == 400


def test_citizen_cannot_call_officer_actions(submitted, citizen, api):
    step = active_step(submitted)
    response = api(citizen).post(
        _url("approve", submitted), {"step": step.pk, "version": submitted.version}
    )
    assert response.status_code == 403


def test_openapi_schema_lists_the_actions(client):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/applications/{uuid}/submit/" in schema
    assert "/api/v1/applications/{uuid}/request-revision/" in schema
