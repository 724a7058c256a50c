"""The Celery broker is down while users act. The request still succeeds
(the work is committed; the enqueue failure is logged, not a 500) and the
work is driven again later, never stuck.

The broker is a Redis URL nobody listens on, set on the Celery app itself
(the settings are read once at start-up)."""

from django.urls import reverse

import pytest

from auditor.models import VerificationRun
from ptsp.celery import app as celery_app
from tests.authorization import rules as r
from tests.authorization.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def dead_broker():
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url = old
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


@pytest.fixture
def sent(monkeypatch):
    """Task ids handed to the broker once it is back (``delay`` recorded)."""
    from auditor import tasks

    calls = []
    monkeypatch.setattr(
        tasks.verification_run_task, "delay", lambda *a, **k: calls.append(a)
    )
    return calls


def test_audit_verification_request_survives_a_dead_broker_and_is_redriven(
    settings, tmp_path, dead_broker, django_capture_on_commit_callbacks
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
