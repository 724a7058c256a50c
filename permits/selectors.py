"""Reads of applications, always scoped to the user."""

from django.db.models import Q, QuerySet

from accounts.selectors import officers_acting_as

from .choices import StepStatus
from .models import Application, ApplicationDocument, ApplicationStep, StatusChange


def application_qs_visible_to(user) -> QuerySet[Application]:
    """Applications ``user`` may see: their own, and for officers those with a
    step owned by an agency they act for (drafts never). Anyone else: none."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    agency_ids = [o.agency_id for o in officers_acting_as(user) if o.agency_id]
    condition = Q(applicant=user)
    if agency_ids:
        condition |= Q(steps__agency_id__in=agency_ids)
    return (
        Application.objects.filter(
            pk__in=Application.objects.filter(condition).values("pk")
        )
        .select_related("service", "service_version", "applicant")
        .order_by("-created_at", "pk")
    )


def applications_of(user) -> QuerySet[Application]:
    """The applicant's own applications, newest first."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("service", "service_version")
        .order_by("-created_at", "pk")
    )


def application_lock(*, pk: int) -> Application:
    """The application row, locked for update (call inside a transaction)."""
    return Application.objects.select_for_update().get(pk=pk)


def steps_active_for(user) -> QuerySet[ApplicationStep]:
    """Active steps ``user`` may act on: their agency and role, or those of an
    officer whose tasks they hold (the officer's work list)."""
    officers = officers_acting_as(user)
    condition = Q(pk__in=[])
    for officer in officers:
        if officer.agency_id:
            condition |= Q(agency_id=officer.agency_id, role=officer.role)
    return (
        ApplicationStep.objects.filter(condition, status=StepStatus.ACTIVE)
        .select_related("application", "application__service", "agency")
        .order_by("application__submitted_at", "order", "pk")
    )


def application_timeline(application: Application) -> QuerySet[StatusChange]:
    return application.status_changes.select_related("step", "agency").order_by(
        "created_at", "pk"
    )


def documents_of(user) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(owner=user).order_by("-created_at")
