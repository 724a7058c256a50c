"""The SP4N-LAPOR! status of handed-over complaints is polled back by a beat
sweep (``complaints_lapor_poll_task``, fixed schedule in settings) against the
fake LAPOR! on loopback: a change is kept and audited once, a second sweep
changes nothing, a finished report closes the complaint, and LAPOR! being down
changes nothing."""

import datetime as dt

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from audit.models import AuditEntry
from transparency.choices import ComplaintStatus
from transparency.models import Complaint
from transparency.services import complaint_forward
from transparency.tasks import complaint_lapor_submit_task, complaints_lapor_poll_task

from .fake_lapor import FakeLapor

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def lapor(settings):
    with FakeLapor() as fake:
        settings.LAPOR_BASE_URL = fake.url
        settings.LAPOR_TOKEN = fake.token
        yield fake


@pytest.fixture
def handed_over(complaint, dinkes_supervisor, lapor):
    complaint_forward(complaint=complaint, user=dinkes_supervisor.user)
    complaint_lapor_submit_task(complaint.pk)
    complaint.refresh_from_db()
    assert complaint.lapor_tracking_id == "LAPOR-1000"
    return complaint


def _status_entries(complaint):
    return AuditEntry.objects.filter(
        action="complaint.lapor_status", object_id=str(complaint.pk)
    )


def test_the_sweep_is_on_a_fixed_schedule():
    entry = django_settings.CELERY_BEAT_SCHEDULE["transparency-complaints-lapor-poll"]
    assert entry["task"] == "transparency.tasks.complaints_lapor_poll_task"


def test_a_new_status_is_kept_and_audited_once(handed_over, lapor):
    assert complaints_lapor_poll_task() == 1  # "Menunggu verifikasi"
    lapor.reports["LAPOR-1000"]["status"] = "Ditindaklanjuti"
    assert complaints_lapor_poll_task() == 0  # checked less than an hour ago
    later = timezone.now() + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        assert complaints_lapor_poll_task() == 1
        assert complaints_lapor_poll_task() == 0  # idempotent
    complaint = Complaint.objects.get(pk=handed_over.pk)
    assert complaint.lapor_status == "Ditindaklanjuti"
    assert complaint.status == ComplaintStatus.FORWARDED
    assert [e.changes["lapor_status"] for e in _status_entries(complaint)] == [
        ["", "Menunggu verifikasi"],
        ["Menunggu verifikasi", "Ditindaklanjuti"],
    ]
    gets = [r for r in lapor.requests if r[0] == "GET"]
    assert gets == [("GET", "/api/reports/LAPOR-1000")] * 2


def test_a_finished_report_closes_the_complaint_and_is_not_polled_again(
    handed_over, lapor
):
    lapor.reports["LAPOR-1000"]["status"] = "Selesai"
    assert complaints_lapor_poll_task() == 1
    complaint = Complaint.objects.get(pk=handed_over.pk)
    assert complaint.status == ComplaintStatus.CLOSED
    assert _status_entries(complaint).get().changes["status"] == [
        ComplaintStatus.FORWARDED,
        ComplaintStatus.CLOSED,
    ]
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        assert complaints_lapor_poll_task() == 0
    assert len([r for r in lapor.requests if r[0] == "GET"]) == 1


def test_lapor_down_changes_nothing(handed_over, lapor):
    lapor.fail_with = 503
    assert complaints_lapor_poll_task() == 0
    complaint = Complaint.objects.get(pk=handed_over.pk)
    assert (complaint.lapor_status, complaint.lapor_checked_at) == ("", None)
    lapor.fail_with = None
    assert complaints_lapor_poll_task() == 1


def test_the_citizen_sees_the_lapor_status(handed_over, citizen, login):
    complaints_lapor_poll_task()
    c = login(citizen, Client())
    html = c.get(
        reverse("transparency:complaint_detail", args=[handed_over.uuid])
    ).content.decode()
    assert 'data-testid="lapor-status"' in html
    assert "Menunggu verifikasi" in html
