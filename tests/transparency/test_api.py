"""API of surveys and complaints: scoped querysets (404 for others' objects),
validation errors as 400, domain refusals mapped by ``ptsp.api``."""

import pytest

from transparency.models import Complaint, SurveyInvitation
from transparency.services import survey_invitations_sweep

from .conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(submitted, front_office, verifier, approver):
    issue(submitted, front_office, verifier, approver)
    survey_invitations_sweep()
    return SurveyInvitation.objects.get()


def test_citizen_answers_the_survey_by_api(invitation, citizen, other_citizen, client):
    url = f"/api/v1/survey-invitations/{invitation.uuid}/answer/"
    body = {f"u{i}": 3 for i in range(1, 10)}
    client.force_login(other_citizen)
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(citizen)
    bad = client.post(url, {**body, "u4": 7}, content_type="application/json")
    assert bad.status_code == 400
    ok = client.post(url, body, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["answered_at"]
    again = client.post(url, body, content_type="application/json")
    assert again.status_code in (400, 409)


def test_complaint_api_file_list_answer(
    submitted, citizen, other_citizen, verifier, client, city_calendar, login
):
    client.force_login(citizen)
    created = client.post(
        "/api/v1/complaints/",
        {
            "subject_kind": "application",
            "application": str(submitted.uuid),
            "title": "Lama",
            "description": "Belum ada kabar.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["agency"] == "DINKES"
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/complaints/{uuid}/").status_code == 404
    refused = client.post(
        "/api/v1/complaints/",
        {
            "subject_kind": "application",
            "application": str(submitted.uuid),
            "title": "x",
            "description": "y",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    login(verifier)
    answered = client.post(
        f"/api/v1/complaints/{uuid}/answer/",
        {"answer": "Sudah diproses."},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "answered"
    assert Complaint.objects.get().answer == "Sudah diproses."
