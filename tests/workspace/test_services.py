"""Claim, assign and reassign in bulk; internal notes; the queues they feed."""

import pytest

from audit.models import AuditEntry
from permits.models import ApplicationStep
from ptsp.exceptions import ApplicationError
from workspace.selectors import Tab, capped_count, tasks_for
from workspace.services import TaskUnavailable, note_add, tasks_assign, tasks_claim

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _steps(applications):
    return [a.steps.get(status="active") for a in applications]


def test_claim_moves_a_task_from_unassigned_to_mine(make_applications, front_office):
    [step] = _steps(make_applications(1))
    user = front_office.user
    assert list(tasks_for(user, Tab.UNASSIGNED)) == [step]
    assert list(tasks_for(user, Tab.MINE)) == []
    tasks_claim(user=user, step_ids=[step.pk], reason="")
    step.refresh_from_db()
    assert step.assigned_officer == front_office
    assert list(tasks_for(user, Tab.MINE)) == [step]
    assert list(tasks_for(user, Tab.UNASSIGNED)) == []
    entry = AuditEntry.objects.filter(action="application_step.claim").get()
    assert entry.object_id == str(step.pk)
    assert entry.changes == {"assigned_officer": [None, front_office.pk]}


def test_a_claimed_task_cannot_be_claimed_by_a_colleague(
    make_applications, front_office, colleague
):
    steps = _steps(make_applications(2))
    tasks_claim(user=front_office.user, step_ids=[steps[0].pk])
    with pytest.raises(TaskUnavailable) as error:
        tasks_claim(user=colleague.user, step_ids=[s.pk for s in steps])
    assert steps[0].application.reference in error.value.message
    # All or nothing: the free one was not taken either.
    assert ApplicationStep.objects.get(pk=steps[1].pk).assigned_officer is None


def test_another_agency_cannot_claim_and_sees_nothing(make_applications, outsider):
    [step] = _steps(make_applications(1))
    for tab in Tab.values:
        assert not tasks_for(outsider.user, tab).exists()
    with pytest.raises(TaskUnavailable) as error:
        tasks_claim(user=outsider.user, step_ids=[step.pk])
    # Not even the reference leaks to another agency.
    assert step.application.reference not in error.value.message


def test_supervisor_assigns_then_reassigns_in_bulk_with_one_reason(
    make_applications, supervisor, front_office, colleague
):
    steps = _steps(make_applications(5))
    ids = [s.pk for s in steps]
    assert set(tasks_for(supervisor.user, Tab.AGENCY)) == set(steps)
    tasks_assign(
        user=supervisor.user, step_ids=ids, officer=front_office, reason="Bagi rata"
    )
    assert set(tasks_for(front_office.user, Tab.MINE)) == set(steps)
    tasks_assign(user=supervisor.user, step_ids=ids, officer=colleague, reason="Cuti")
    assert set(tasks_for(colleague.user, Tab.MINE)) == set(steps)
    assert not tasks_for(front_office.user, Tab.MINE).exists()
    entries = AuditEntry.objects.filter(action="application_step.reassign")
    assert entries.count() == 5
    assert {e.reason for e in entries} == {"Cuti"}
    assert {tuple(e.changes["assigned_officer"]) for e in entries} == {
        (front_office.pk, colleague.pk)
    }


def test_assigning_needs_a_supervisor_a_reason_and_a_fitting_officer(
    make_applications, supervisor, front_office, colleague, verifier
):
    [step] = _steps(make_applications(1))
    with pytest.raises(TaskUnavailable):
        tasks_assign(
            user=front_office.user, step_ids=[step.pk], officer=colleague, reason="x"
        )
    with pytest.raises(ApplicationError):
        tasks_assign(
            user=supervisor.user, step_ids=[step.pk], officer=colleague, reason=" "
        )
    # The Dinkes verifier has neither the agency nor the role of the step.
    with pytest.raises(TaskUnavailable):
        tasks_assign(
            user=supervisor.user, step_ids=[step.pk], officer=verifier, reason="x"
        )
    assert ApplicationStep.objects.get(pk=step.pk).assigned_officer is None


def test_notes_need_an_agency_with_a_step(make_applications, front_office, outsider):
    [application] = make_applications(1)
    note = note_add(user=front_office.user, application=application, body=" Cek STR ")
    assert note.body == "Cek STR"
    assert note.agency == front_office.agency
    assert AuditEntry.objects.filter(action="internal_note.create").count() == 1
    with pytest.raises(ApplicationError):
        note_add(user=outsider.user, application=application, body="Hai")
    with pytest.raises(ApplicationError):
        note_add(user=front_office.user, application=application, body="  ")


def test_counts_stop_at_the_cap(make_applications, front_office):
    make_applications(3)
    qs = tasks_for(front_office.user, Tab.UNASSIGNED)
    assert (capped_count(qs, cap=2).value, capped_count(qs, cap=2).capped) == (2, True)
    assert str(capped_count(qs, cap=2)) == "2+"
    assert (capped_count(qs, cap=3).value, capped_count(qs, cap=3).capped) == (3, False)
