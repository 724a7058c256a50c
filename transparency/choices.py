"""Choices of the transparency app: survey sources, complaint subjects and
states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveySource(models.TextChoices):
    """What the citizen is invited to rate (*sumber undangan survei*)."""

    APPLICATION = "application", _("Application")
    QUEUE_VISIT = "queue_visit", _("Queue visit")


class ComplaintSubject(models.TextChoices):
    """What a complaint (*pengaduan*) is about."""

    APPLICATION = "application", _("An application")
    OFFICE = "office", _("An office")
    OFFICER = "officer", _("An officer")


class ComplaintStatus(models.TextChoices):
    """Where a complaint stands. ``forwarded`` means handed over to
    SP4N-LAPOR!; the agency may still answer it locally."""

    SUBMITTED = "submitted", _("Submitted")
    ANSWERED = "answered", _("Answered")
    FORWARDED = "forwarded", _("Handed over to SP4N-LAPOR!")
    CLOSED = "closed", _("Closed")


#: States in which the agency still owes an answer.
OPEN_COMPLAINT_STATUSES = (ComplaintStatus.SUBMITTED, ComplaintStatus.FORWARDED)
