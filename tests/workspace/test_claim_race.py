"""Two officers of the same agency and role claim the same task at the same
moment on real PostgreSQL connections: exactly one gets it, the other a clear
refusal, and the step is assigned once with one audit entry."""

import threading

from django.db import connection

import pytest

from audit.models import AuditEntry
from permits.models import ApplicationStep
from ptsp.exceptions import ApplicationError
from workspace.services import tasks_claim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_claims_of_one_task_have_one_winner(
    make_applications, front_office, colleague
):
    (application,) = make_applications(1)
    step = application.steps.get(status="active")
    barrier = threading.Barrier(2)
    results: list[object] = []

    def claim(officer):
        from audit.context import audit_actor

        try:
            barrier.wait(timeout=10)
            with audit_actor(user=officer.user):
                tasks_claim(user=officer.user, step_ids=[step.pk])
            results.append(officer.pk)
        except ApplicationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=claim, args=(o,)) for o in (front_office, colleague)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [r for r in results if isinstance(r, int)]
    losers = [r for r in results if isinstance(r, ApplicationError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert str(losers[0].message)
    assert ApplicationStep.objects.get(pk=step.pk).assigned_officer_id == winners[0]
    assert (
        AuditEntry.objects.filter(
            action="application_step.claim", object_id=str(step.pk)
        ).count()
        == 1
    )
