"""Reads of the channeling app, always scoped to the user."""

import dataclasses
import datetime as dt

from django.db.models import Count, Q, QuerySet

from accounts.permissions import is_admin, is_auditor, officer_of
from agencies.models import Office
from permits.choices import ApplicationStatus, StepStatus
from permits.models import ApplicationStep

from .choices import AssistedStatus
from .models import AssistedSubmission, BpjsHandover
from .permissions import BPJS_AGENCIES


def assisted_visible_to(user) -> QuerySet[AssistedSubmission]:
    """The assisted submissions of the office of ``user`` (front office or
    office head of that office); none for anyone else. Newest first."""
    officer = officer_of(user)
    if officer is None or officer.office_id is None:
        return AssistedSubmission.objects.none()
    return (
        AssistedSubmission.objects.filter(office_id=officer.office_id)
        .select_related(
            "application",
            "application__service_version",
            "citizen",
            "operator__user",
            "office",
        )
        .order_by("-created_at", "pk")
    )


def assisted_of_citizen(user) -> QuerySet[AssistedSubmission]:
    return AssistedSubmission.objects.filter(citizen=user).select_related("office")


def report_offices_for(user) -> QuerySet[Office]:
    """Offices whose figures ``user`` may see: all for admins and auditors,
    their own office for an officer with one, none otherwise."""
    if is_admin(user) or is_auditor(user):
        return Office.objects.all()
    officer = officer_of(user)
    if officer is not None and officer.office_id is not None:
        return Office.objects.filter(pk=officer.office_id)
    return Office.objects.none()


@dataclasses.dataclass(frozen=True)
class ServicePointRow:
    """One row of the report per service point: assisted submissions started
    in the period, how many were confirmed (submitted), are still waiting for
    the citizen's code, were cancelled, and how many of the confirmed ones are
    finished (completed, issued, approved or rejected)."""

    office: Office
    started: int
    confirmed: int
    waiting: int
    cancelled: int
    finished: int
    accounts_created: int


def service_point_report(
    user, *, since: dt.datetime, until: dt.datetime
) -> list[ServicePointRow]:
    """Figures per office visible to ``user`` for assisted submissions created in
    ``[since, until)`` (aware instants). One query."""
    S = AssistedStatus
    finished = [
        ApplicationStatus.COMPLETED,
        ApplicationStatus.ISSUED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.REJECTED,
    ]
    period = Q(
        assisted_submissions__created_at__gte=since,
        assisted_submissions__created_at__lt=until,
    )

    def count(extra=None):
        return Count("assisted_submissions", filter=period & (extra or Q()))

    offices = (
        report_offices_for(user)
        .annotate(
            started=count(),
            confirmed=count(Q(assisted_submissions__status=S.CONFIRMED)),
            waiting=count(
                Q(
                    assisted_submissions__status__in=[
                        S.DRAFT,
                        S.AWAITING_CONFIRMATION,
                    ]
                )
            ),
            cancelled=count(Q(assisted_submissions__status=S.CANCELLED)),
            finished=count(Q(assisted_submissions__application__status__in=finished)),
            accounts_created=count(
                Q(
                    assisted_submissions__account_created=True,
                    assisted_submissions__status=S.CONFIRMED,
                )
            ),
        )
        .order_by("kind", "code")
    )
    return [
        ServicePointRow(
            office=o,
            started=o.started,
            confirmed=o.confirmed,
            waiting=o.waiting,
            cancelled=o.cancelled,
            finished=o.finished,
            accounts_created=o.accounts_created,
        )
        for o in offices
    ]


def bpjs_step_of(application) -> ApplicationStep | None:
    """The active step of ``application`` at a BPJS agency, or ``None``."""
    return (
        application.steps.filter(
            status=StepStatus.ACTIVE, agency__code__in=BPJS_AGENCIES
        )
        .select_related("agency")
        .order_by("order", "pk")
        .first()
    )


def handovers_of(application) -> QuerySet[BpjsHandover]:
    return application.bpjs_handovers.order_by("-created_at", "pk")


def handovers_open() -> QuerySet[BpjsHandover]:
    """Hand-overs the beat sweep looks at: waiting to be sent or for BPJS."""
    from .choices import HandoverStatus

    return BpjsHandover.objects.filter(
        status__in=[HandoverStatus.PENDING, HandoverStatus.SENT]
    ).order_by("pk")
