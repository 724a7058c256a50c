"""A complaint handed over to LAPOR! while the broker is down (or after the
task gave up its retries) must not stay forwarded without a tracking id
forever: the forward succeeds and a beat sweep enqueues it again."""

import datetime as dt

from django.utils import timezone

import pytest
import time_machine

from tests.support.dead_broker import dead_broker  # noqa: F401
from transparency import tasks
from transparency.choices import ComplaintStatus
from transparency.models import Complaint
from transparency.services import complaint_forward

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_forwarding_with_the_broker_down_is_redriven_by_the_sweep(
    complaint,
    dinkes_supervisor,
    dead_broker,  # noqa: F811
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    with django_capture_on_commit_callbacks(execute=True):
        forwarded = complaint_forward(complaint=complaint, user=dinkes_supervisor.user)
    assert forwarded.status == ComplaintStatus.FORWARDED
    sent = []
    monkeypatch.setattr(
        tasks.complaint_lapor_submit_task, "delay", lambda pk: sent.append(pk)
    )
    # Too fresh: the first enqueue may still be on its way.
    assert tasks.complaints_lapor_redrive_task() == 0
    later = timezone.now() + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        assert tasks.complaints_lapor_redrive_task() == 1
    assert sent == [complaint.pk]
    forwarded = Complaint.objects.get(pk=complaint.pk)
    forwarded.lapor_tracking_id = "LAPOR-1"
    forwarded.save(update_fields=["lapor_tracking_id"])
    with time_machine.travel(later, tick=False):
        assert tasks.complaints_lapor_redrive_task() == 0
    assert sent == [complaint.pk]
