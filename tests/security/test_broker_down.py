"""The Celery broker is down while users act. The request still succeeds
(the work is committed; the enqueue failure is logged, not a 500) and the
work is driven again later, never stuck.

The broker is a Redis URL nobody listens on, set on the Celery app itself
(the settings are read once at start-up)."""

from django.urls import reverse

import pytest

from auditor.models import VerificationRun
from tests.authorization import rules as r
from tests.authorization.world import build_world
from tests.support.dead_broker import dead_broker  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def sent(monkeypatch):
    """Task ids handed to the broker once it is back (``delay`` recorded)."""
    from auditor import tasks

    calls = []
    monkeypatch.setattr(
        tasks.verification_run_task, "delay", lambda *a, **k: calls.append(a)
    )
    return calls


@pytest.mark.usefixtures("dead_broker")
def test_audit_verification_request_survives_a_dead_broker_and_is_redriven(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client = world.client(r.AUDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("auditor:verify"), {"full": ""})
    assert response.status_code == 302
    run = VerificationRun.objects.get()
    assert run.status == "pending"


def test_a_pending_verification_is_enqueued_again_when_asked_again(
    settings, tmp_path, sent, django_capture_on_commit_callbacks
):
    """The first enqueue was lost (broker down): asking again must not just
    return the stuck pending run without queueing it."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client = world.client(r.AUDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("auditor:verify"), {"full": ""})
        client.post(reverse("auditor:verify"), {"full": ""})
    run = VerificationRun.objects.get()
    assert sent == [(run.pk,), (run.pk,)]


@pytest.mark.usefixtures("dead_broker")
def test_submitting_an_application_survives_a_dead_broker(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """The brief's first outage: the citizen submits while the broker is down.
    The submission (and its receipt, rendered later by the beat sweep) is
    committed and the answer is a success, not a 500."""
    from permits.models import Application

    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client = world.client(r.CITIZEN_A)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:permits-api:application-submit", args=[world.draft.uuid]),
            headers={"idempotency-key": "outage-1"},
        )
    assert response.status_code == 200, response.content
    assert Application.objects.get(pk=world.draft.pk).status == "submitted"
