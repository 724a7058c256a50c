"""Applicant-deadline reminders and the lapse sweep, through the beat tasks."""

import datetime as dt

import pytest
import time_machine

from audit.models import AuditEntry
from notifications.models import Notification
from permits.choices import ApplicationStatus
from permits.reminders import applications_due_for_reminder
from permits.services import application_request_revision, application_resubmit
from permits.tasks import (
    applications_lapse_overdue_task,
    applications_remind_deadline_task,
)
from tests.support.workflow import VALID_FORM, active_step

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def ask_revision(application, officer, *, days):
    application.refresh_from_db()
    application_request_revision(
        application=application,
        step=active_step(application),
        user=officer.user,
        seen_version=application.version,
        note="Foto KTP buram.",
        deadline_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=days),
    )
    application.refresh_from_db()
    return application.applicant_deadline_at


def reminders(application):
    return Notification.objects.filter(
        event="application.deadline_near", recipient=application.applicant
    )


def test_reminder_sent_once_as_the_deadline_nears(submitted, front_office, settings):
    settings.PERMITS_DEADLINE_REMINDER_HOURS = 48
    deadline = ask_revision(submitted, front_office, days=5)
    assert applications_remind_deadline_task() == 0  # five days out: too early
    assert not reminders(submitted).exists()
    with time_machine.travel(deadline - dt.timedelta(hours=47)):
        assert applications_remind_deadline_task() == 1
        assert applications_remind_deadline_task() == 0  # beat runs again
    with time_machine.travel(deadline - dt.timedelta(hours=1)):
        assert applications_remind_deadline_task() == 0
    submitted.refresh_from_db()
    assert submitted.applicant_reminded_for == deadline
    assert submitted.status == ApplicationStatus.WAITING_FOR_APPLICANT
    sent = reminders(submitted).get(channel="email")
    assert sent.context["reference"] == submitted.reference
    assert sent.context["url"].endswith(f"/{submitted.uuid}/")
    assert AuditEntry.objects.filter(
        action="application.deadline_reminded", object_id=str(submitted.pk)
    ).exists()


def test_a_new_deadline_gets_its_own_reminder(submitted, front_office, citizen):
    deadline = ask_revision(submitted, front_office, days=1)
    assert applications_remind_deadline_task() == 1
    application_resubmit(application=submitted, applicant=citizen, form_data=VALID_FORM)
    second = ask_revision(submitted, front_office, days=1)
    assert second != deadline
    assert applications_remind_deadline_task() == 1
    assert reminders(submitted).filter(channel="email").count() == 2


def test_answered_or_past_deadlines_are_not_reminded(submitted, front_office, citizen):
    deadline = ask_revision(submitted, front_office, days=1)
    application_resubmit(application=submitted, applicant=citizen, form_data=VALID_FORM)
    assert applications_remind_deadline_task() == 0
    deadline = ask_revision(submitted, front_office, days=1)
    with time_machine.travel(deadline + dt.timedelta(minutes=1)):
        assert not applications_due_for_reminder().exists()
        assert applications_remind_deadline_task() == 0


def test_lapse_sweep_lapses_and_sends_notice(submitted, front_office):
    deadline = ask_revision(submitted, front_office, days=1)
    assert applications_lapse_overdue_task() == 0
    with time_machine.travel(deadline + dt.timedelta(minutes=1)):
        assert applications_lapse_overdue_task() == 1
        assert applications_lapse_overdue_task() == 0
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.LAPSED
    notice = Notification.objects.get(
        event="application.deadline_lapsed", channel="email"
    )
    assert notice.recipient == submitted.applicant


def test_reminder_sweep_reads_with_a_fixed_number_of_queries(
    submitted, front_office, django_assert_max_num_queries
):
    ask_revision(submitted, front_office, days=5)
    with django_assert_max_num_queries(1):
        assert list(applications_due_for_reminder().values_list("pk", flat=True)) == []
