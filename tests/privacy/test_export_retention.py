"""The citizen's data export, and the retention rules run by beat."""

import datetime as dt
import io
import json
import zipfile

from django.utils import timezone

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from privacy.models import PersonalDataAccess
from privacy.retention import retention_apply
from privacy.tasks import privacy_retention_task

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_export_holds_applications_documents_notifications_and_accesses(
    client, submitted, citizen, front_office
):
    client.force_login(front_office.user)
    client.get(f"/permohonan/{submitted.uuid}/")
    client.force_login(citizen)
    assert client.get("/privasi/unduh/").status_code == 200
    response = client.post("/privasi/unduh/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert set(data) == {
        "account",
        "applications",
        "documents",
        "notifications",
        "accesses",
    }
    assert data["applications"][0]["reference"] == submitted.reference
    assert data["applications"][0]["history"][0]["to"] == "submitted"
    assert data["accesses"][0]["agency"] == "DPMPTSP"
    assert data["notifications"], "the submission notified the applicant"
    assert AuditEntry.objects.filter(
        action="privacy.export", object_id=str(citizen.pk)
    ).exists()


def test_export_needs_login(client):
    assert client.post("/privasi/unduh/").status_code == 302


def test_retention_deletes_old_access_logs_and_blanks_old_notification_texts(
    submitted, citizen, front_office
):
    now = timezone.now()
    old = PersonalDataAccess.objects.create(
        subject=citizen,
        viewer=front_office.user,
        viewer_role="front_office",
        viewer_unit="DPMPTSP",
        kind="application",
        accessed_at=now - dt.timedelta(days=731),
    )
    recent = PersonalDataAccess.objects.create(
        subject=citizen,
        viewer=front_office.user,
        viewer_role="front_office",
        viewer_unit="DPMPTSP",
        kind="application",
        accessed_at=now - dt.timedelta(days=10),
    )
    notification = Notification.objects.filter(recipient=citizen).first()
    Notification.objects.filter(pk=notification.pk).update(
        status="queued",
        subject="Permohonan diterima",
        body="Halo Siti, permohonan Anda diterima.",
        address="warga@example.org",
        created_at=now - dt.timedelta(days=91),
    )
    # Still open (a worker may send it): untouched.
    assert retention_apply(now=now).notification_texts_blanked == 0
    Notification.objects.filter(pk=notification.pk).update(status="delivered")

    result = retention_apply(now=now)

    assert result.access_logs_deleted == 0  # the first run already did it
    assert not PersonalDataAccess.objects.filter(pk=old.pk).exists()
    assert PersonalDataAccess.objects.filter(pk=recent.pk).exists()
    notification.refresh_from_db()
    assert (notification.body, notification.subject, notification.address) == (
        "",
        "",
        "",
    )
    assert notification.event  # the delivery record stays
    assert result.notification_texts_blanked == 1
    entry = AuditEntry.objects.filter(action="privacy.retention").last()
    assert entry.actor_label == "system:privacy_retention_task"
    # Applications are archives: never touched.
    submitted.refresh_from_db()
    assert submitted.form_data


def test_retention_task_is_safe_to_run_twice(submitted):
    first = privacy_retention_task()
    second = privacy_retention_task()
    assert second == {"access_logs_deleted": 0, "notification_texts_blanked": 0}
    assert first["access_logs_deleted"] == 0


def test_audit_trail_keeps_references_not_personal_values(submitted, citizen):
    """The entries about the application and the applicant's account hold no
    NIK, phone or form answer: erasing them leaves the chain intact."""
    nik, phone = "3671051203850001", "081234567890"
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.changes) + entry.reason
        assert nik not in text, entry
        assert phone not in text, entry


def test_a_name_change_is_recorded_as_a_reference(citizen):
    from accounts.services import profile_update

    profile_update(user=citizen, full_name="Siti Rahmawati", preferred_language="id")
    entry = AuditEntry.objects.get(action="account.profile_update")
    ref = {"ref": f"accounts.user:{citizen.pk}#full_name"}
    assert entry.changes["full_name"] == [ref, ref]
    assert "Rahmawati" not in json.dumps(entry.changes)
