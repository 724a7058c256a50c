"""Two real PostgreSQL connections race on one application: one wins."""

import threading

from django.db import connection

import pytest

from accounts.choices import OfficerRole
from permits.choices import ApplicationStatus
from permits.models import Application
from permits.services import application_reject, application_step_complete
from ptsp.exceptions import ApplicationError
from tests.support.workflow import make_officer, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_conflicting_actions_have_one_winner(licence, citizen, dpmptsp):
    """Two front-office officers act on the same version at once (one completes,
    one rejects): the row lock orders them, the second sees a stale version."""
    application, _ = submit(licence, citizen)
    first = make_officer("fo-a", agency=dpmptsp, role=OfficerRole.FRONT_OFFICE)
    second = make_officer("fo-b", agency=dpmptsp, role=OfficerRole.FRONT_OFFICE)
    step = application.steps.get(order=1)
    seen = application.version
    barrier = threading.Barrier(2)
    results: list[object] = []

    def run(action, officer, **kwargs):
        from audit.context import audit_actor

        try:
            barrier.wait(timeout=10)
            with audit_actor(system="system:test"):
                action(
                    application=application,
                    step=step,
                    user=officer.user,
                    seen_version=seen,
                    **kwargs,
                )
            results.append("ok")
        except ApplicationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(application_step_complete, first)),
        threading.Thread(
            target=run, args=(application_reject, second), kwargs={"reason": "x"}
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results.count("ok") == 1
    assert len(results) == 2
    loser = next(r for r in results if r != "ok")
    assert loser.extra["version"] > seen
    application.refresh_from_db()
    assert application.status in (
        ApplicationStatus.IN_PROGRESS,
        ApplicationStatus.REJECTED,
    )
    # Exactly one officer action after the submission.
    assert application.status_changes.exclude(to_status="submitted").count() == 1
    assert Application.objects.count() == 1
