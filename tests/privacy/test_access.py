"""The staff access log: written by the staff views of applications and
documents, shown to the citizen with role and agency only."""

import pytest

from privacy.access import record_access
from privacy.choices import AccessKind
from privacy.models import PersonalDataAccess

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_officer_opening_the_application_is_logged_with_role_and_agency(
    client, submitted, front_office, citizen
):
    client.force_login(front_office.user)
    response = client.get(f"/permohonan/{submitted.uuid}/")
    assert response.status_code == 200
    access = PersonalDataAccess.objects.get()
    assert access.subject == citizen
    assert access.viewer == front_office.user
    assert access.viewer_role == "front_office"
    assert access.viewer_unit == "DPMPTSP"
    assert access.kind == AccessKind.APPLICATION
    assert access.application == submitted


def test_the_applicant_reading_their_own_application_is_not_logged(
    client, submitted, citizen
):
    client.force_login(citizen)
    assert client.get(f"/permohonan/{submitted.uuid}/").status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_an_officer_of_another_agency_gets_404_and_no_log(client, submitted, dinsos):
    from accounts.choices import OfficerRole
    from tests.support.workflow import make_officer

    outsider = make_officer("luar", agency=dinsos, role=OfficerRole.VERIFIER)
    client.force_login(outsider.user)
    assert client.get(f"/permohonan/{submitted.uuid}/").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_document_download_is_logged(
    client, licence, citizen, front_office, settings, tmp_path
):
    from permits.services import application_submit
    from tests.support.workflow import draft_with_ktp

    settings.MEDIA_ROOT = tmp_path
    draft, document = draft_with_ktp(licence, citizen, PDF)
    application, _code = application_submit(
        application=draft, applicant=citizen, idempotency_key="d1"
    )
    client.force_login(front_office.user)
    response = client.get(f"/permohonan/{application.uuid}/berkas/{document.uuid}/")
    assert response.status_code == 200
    access = PersonalDataAccess.objects.get(kind=AccessKind.DOCUMENT)
    assert access.document == document
    assert access.subject == citizen


def test_api_retrieve_by_an_officer_is_logged(client, submitted, front_office):
    client.force_login(front_office.user)
    response = client.get(f"/api/v1/applications/{submitted.uuid}/")
    assert response.status_code == 200
    assert PersonalDataAccess.objects.filter(viewer=front_office.user).count() == 1


def test_record_access_needs_a_subject(rf, front_office):
    request = rf.get("/")
    request.user = front_office.user
    with pytest.raises(ValueError, match="subject"):
        record_access(request)


def test_citizen_sees_role_and_agency_but_not_the_officer(
    client, submitted, front_office, citizen
):
    front_office.user.full_name = "Budi Petugas Rahasia"
    front_office.user.username = "budi.petugas"
    front_office.user.save(update_fields=["full_name", "username"])
    client.force_login(front_office.user)
    client.get(f"/permohonan/{submitted.uuid}/")
    client.force_login(citizen)
    page = client.get("/privasi/akses/").content.decode()
    assert "DPMPTSP" in page
    assert submitted.reference in page
    assert "Budi" not in page
    assert "budi.petugas" not in page


def test_another_citizen_does_not_see_the_log(
    client, submitted, front_office, other_citizen
):
    client.force_login(front_office.user)
    client.get(f"/permohonan/{submitted.uuid}/")
    client.force_login(other_citizen)
    page = client.get("/privasi/akses/").content.decode()
    assert submitted.reference not in page


def test_privacy_notice_is_public(client):
    response = client.get("/privasi/")
    assert response.status_code == 200
    assert "UU 43/2009" in response.content.decode()


def test_api_lists_the_citizens_accesses_without_the_officer(
    client, submitted, front_office, citizen, other_citizen
):
    client.force_login(front_office.user)
    client.get(f"/permohonan/{submitted.uuid}/")
    client.force_login(citizen)
    data = client.get("/api/v1/privacy/accesses/").json()
    assert data["results"] == [
        {
            "accessed_at": data["results"][0]["accessed_at"],
            "viewer_role": "front_office",
            "agency": "DPMPTSP",
            "kind": "application",
            "application": submitted.reference,
        }
    ]
    client.force_login(other_citizen)
    assert client.get("/api/v1/privacy/accesses/").json()["results"] == []


def test_api_export_is_a_zip(client, citizen):
    client.force_login(citizen)
    response = client.post("/api/v1/privacy/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.content[:2] == b"PK"


def test_the_workspace_application_page_and_api_are_logged(
    client, submitted, front_office
):
    from django.urls import reverse

    client.force_login(front_office.user)
    page = client.get(reverse("workspace:application", kwargs={"uuid": submitted.uuid}))
    assert page.status_code == 200
    api = client.get(f"/api/v1/workspace/applications/{submitted.uuid}/")
    assert api.status_code == 200, api.content
    assert (
        PersonalDataAccess.objects.filter(
            viewer=front_office.user, application=submitted, kind=AccessKind.APPLICATION
        ).count()
        == 2
    )
