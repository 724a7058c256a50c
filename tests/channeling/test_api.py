"""The counter API end to end, its scoping (another office: 404), the public
claim, the BPJS actions, and the OpenAPI schema."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from channeling.models import AssistedSubmission
from permits import services as permits_services

from .conftest import CORRECTION, NIK, PDF, code_sent_to

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api(login):
    return lambda user: login(user, APIClient())


def url(name, *args):
    return reverse(f"api:channeling-api:{name}", args=args)


def test_file_confirm_claim_and_complete_through_the_api(
    api, operator, other_operator, bpjs_verifier, bpjs_officer, correction_service
):
    c = api(operator)
    created = c.post(
        url("assisted-list"),
        {
            "service": "bpjskes-ubah-data",
            "nik": NIK,
            "full_name": "Siti Rahma",
            "phone": "081234567890",
            "email": "siti@example.org",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    assert created.json()["citizen_nik"] == "3671********0001"
    assert created.json()["account_created"] is True
    early = c.post(url("assisted-send-code", uuid))
    assert early.status_code == 400
    assert "participant_number" in early.json()["detail"]
    form = {**created.json()["form_data"], **CORRECTION}
    answered = c.post(url("assisted-answers", uuid), {"form_data": form}, format="json")
    assert answered.json()["form_data"]["participant_number"] == "0001234567890"
    upload = c.post(
        url("assisted-documents", uuid),
        {"requirement_code": "ktp-el", "file": SimpleUploadedFile("k.pdf", PDF)},
        format="multipart",
    )
    assert upload.status_code == 201
    sent = c.post(url("assisted-send-code", uuid))
    assert sent.json()["status"] == "awaiting_confirmation"
    code = code_sent_to("siti@example.org")

    # Another office sees nothing of it.
    other = api(other_operator)
    assert other.get(url("assisted-detail", uuid)).status_code == 404
    assert other.post(url("assisted-confirm", uuid), {"code": code}).status_code == 404
    assert other.get(url("assisted-list")).json()["results"] == []

    confirmed = c.post(url("assisted-confirm", uuid), {"code": code}, format="json")
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["status"] == "confirmed"
    assert body["application_status"] == "submitted"
    assert body["tracking_code"]
    listed = c.get(url("assisted-list")).json()["results"]
    assert [row["uuid"] for row in listed] == [uuid]

    claim = APIClient().post(
        url("claim"),
        {"identifier": NIK, "code": code, "new_password": "Kata-sandi-baru-2026"},
        format="json",
    )
    assert claim.status_code == 204

    application = AssistedSubmission.objects.get(uuid=uuid).application
    permits_services.application_step_complete(
        application=application,
        step=application.steps.get(role="verifier"),
        user=bpjs_verifier,
        seen_version=application.version,
    )
    application.refresh_from_db()
    b = api(bpjs_officer)
    assert (
        c.post(
            url("bpjs-correction-complete", application.uuid),
            {"reference": "JKN-1", "version": application.version},
            format="json",
        ).status_code
        == 404
    )  # the counter officer has no BPJS step
    done = b.post(
        url("bpjs-correction-complete", application.uuid),
        {"reference": "JKN-1", "version": application.version},
        format="json",
    )
    assert done.json()["status"] == "completed"
    assert done.json()["version"] > application.version
    stale = b.post(
        url("bpjs-correction-reject", application.uuid),
        {"reason": "x", "version": application.version},
        format="json",
    )
    assert stale.status_code in (400, 409)


def test_a_wrong_claim_is_a_plain_400(correction_service):
    response = APIClient().post(
        url("claim"),
        {"identifier": NIK, "code": "123456", "new_password": "Kata-sandi-baru-2026"},
        format="json",
    )
    assert response.status_code == 400


def test_citizens_and_agency_officers_have_no_counter(api, bpjs_officer, catalogue):
    assert api(bpjs_officer).get(url("assisted-list")).status_code == 403


def test_the_schema_documents_the_counter(client):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/assisted/{uuid}/confirm/" in schema
    assert "/api/v1/bpjs-corrections/{uuid}/complete/" in schema
