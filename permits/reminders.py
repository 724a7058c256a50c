"""Reminders to the applicant as a revision deadline nears (*pengingat tenggat*).

The beat sweep ``applications_remind_deadline_task`` (every 15 minutes) finds
applications waiting for the applicant whose ``applicant_deadline_at`` falls
within ``PERMITS_DEADLINE_REMINDER_HOURS`` (calendar hours, default 48) and sends
``application.deadline_near`` once per deadline: ``applicant_reminded_for``
records the deadline reminded, so a run twice, or two beats racing, send one
message, and a later revision request (a new deadline) gets its own reminder.
Source: issue 6, "reminders as it nears; an application left unanswered past it
lapses, with notice" (the lapse itself is ``services.application_lapse``).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from audit.services import audit_record

from .choices import ApplicationStatus
from .models import Application
from .services import _notify


def applications_due_for_reminder(*, now: dt.datetime | None = None) -> QuerySet:
    """Waiting applications whose deadline is in ``(now, now + window]`` and
    not yet reminded for that deadline. Served by the partial index
    ``application_applicant_deadline``; cost grows with the due rows, not the
    history."""
    now = now or timezone.now()
    window = dt.timedelta(hours=settings.PERMITS_DEADLINE_REMINDER_HOURS)
    return Application.objects.filter(
        status=ApplicationStatus.WAITING_FOR_APPLICANT,
        applicant_deadline_at__gt=now,
        applicant_deadline_at__lte=now + window,
    ).filter(
        Q(applicant_reminded_for__isnull=True)
        | ~Q(applicant_reminded_for=F("applicant_deadline_at"))
    )


@transaction.atomic(durable=True)
def application_remind_deadline(*, application_id: int) -> Application | None:
    """Send ``application.deadline_near`` for ``application_id`` if it is still
    due a reminder (row locked, re-checked); ``None`` when there is nothing to
    do. Safe to run twice."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("service_version", "applicant")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return None
    deadline = application.applicant_deadline_at
    now = timezone.now()
    window = dt.timedelta(hours=settings.PERMITS_DEADLINE_REMINDER_HOURS)
    if (
        application.status != ApplicationStatus.WAITING_FOR_APPLICANT
        or deadline is None
        or not now < deadline <= now + window
        or application.applicant_reminded_for == deadline
    ):
        return None
    before = application.applicant_reminded_for
    application.applicant_reminded_for = deadline
    application.save(update_fields=["applicant_reminded_for"])
    audit_record(
        action="application.deadline_reminded",
        obj=application,
        changes={
            "applicant_reminded_for": [
                before.isoformat() if before else None,
                deadline.isoformat(),
            ]
        },
    )
    _notify(application, "application.deadline_near", {"deadline_at": deadline})
    return application


def applications_remind_deadlines() -> int:
    """Remind every due application, one transaction each; return how many
    reminders were sent."""
    ids = list(
        applications_due_for_reminder().order_by("pk").values_list("pk", flat=True)
    )
    return sum(application_remind_deadline(application_id=pk) is not None for pk in ids)
