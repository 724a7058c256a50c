"""Choices of the applications app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """Where an application (*permohonan*) stands in the shared workflow."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_APPLICANT = "waiting_for_applicant", _("Waiting for the applicant")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ISSUED = "issued", _("Issued")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class StepAction(models.TextChoices):
    """What an officer did at a step (recorded on the history row)."""

    COMPLETE = "complete", _("Completed the step")
    REQUEST_REVISION = "request_revision", _("Requested a revision")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    RECORD_EXTERNAL = "record_external", _("Recorded the external result")
