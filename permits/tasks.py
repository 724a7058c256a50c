"""Celery tasks of the workflow: thin, by id, safe to run twice."""

from django.utils import timezone

from celery import shared_task

from audit.context import audit_actor

from .choices import ApplicationStatus
from .models import Application
from .reminders import applications_remind_deadlines
from .services import application_lapse


@shared_task
def applications_lapse_overdue_task() -> int:
    """Beat sweep: lapse every application whose applicant deadline passed."""
    ids = list(
        Application.objects.filter(
            status=ApplicationStatus.WAITING_FOR_APPLICANT,
            applicant_deadline_at__lt=timezone.now(),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(application_lapse(application_id=pk) is not None for pk in ids)


@shared_task(ignore_result=True)
def applications_remind_deadline_task() -> int:
    """Beat sweep: remind applicants whose revision deadline nears, once per
    deadline (``permits.reminders``)."""
    with audit_actor(system="system:applications_remind_deadline_task"):
        return applications_remind_deadlines()
