"""Reads of applications, always scoped to the user."""

import dataclasses
import datetime as dt

from django.db.models import Q, QuerySet

from accounts.models import Officer
from accounts.selectors import officers_acting_as
from sla.selectors import with_sla_clock

from .choices import ApplicationStatus, StepStatus
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


def steps_active_for(
    user, *, at: dt.datetime | None = None
) -> QuerySet[ApplicationStep]:
    """Active steps ``user`` may act on at ``at`` (default now): their agency and
    role, or those of an officer whose tasks they hold then (the officer's work
    list). A colleague's tasks appear only during the leave (``Delegation``)."""
    return _active_steps_of(officers_acting_as(user, at=at))


def _active_steps_of(officers: list[Officer]) -> QuerySet[ApplicationStep]:
    condition = Q(pk__in=[])
    for officer in officers:
        if officer.agency_id:
            condition |= Q(agency_id=officer.agency_id, role=officer.role)
    return (
        ApplicationStep.objects.filter(condition, status=StepStatus.ACTIVE)
        .select_related(
            "application",
            "application__service",
            "application__service_version",
            "agency",
        )
        .order_by("application__submitted_at", "order", "pk")
    )


@dataclasses.dataclass(frozen=True)
class WorkItem:
    """A row of the work list: the step, and the absent officer it is held for
    (``None`` when the step is the user's own work)."""

    step: ApplicationStep
    delegated_from: Officer | None


def work_list_for(user, *, at: dt.datetime | None = None) -> list[WorkItem]:
    """``steps_active_for(user, at=at)`` with each step marked as delegated when
    only a delegator's agency and role match it (not the user's own), so the
    substitute sees whose work it is. Each step carries the service clock's
    ``sla_state`` and ``sla_remaining`` (``sla.selectors.with_sla_clock``): a
    paused clock (a revision asked, a step that pauses it) has no ``due_at``."""
    officers = officers_acting_as(user, at=at)
    own = officers[0] if officers else None
    items = []
    steps = with_sla_clock(_active_steps_of(officers), application="application_id")
    for step in steps:
        mine = own is not None and (own.agency_id, own.role) == (
            step.agency_id,
            step.role,
        )
        source = None
        if not mine:
            source = next(
                (
                    o
                    for o in officers[1:]
                    if (o.agency_id, o.role) == (step.agency_id, step.role)
                ),
                None,
            )
        items.append(WorkItem(step=step, delegated_from=source))
    return items


@dataclasses.dataclass(frozen=True)
class NextStep:
    """What happens next to an application, for the citizen's timeline:
    ``waiting_for_applicant`` when the applicant must act (a revision), else
    the active ``steps`` (several when parallel) with the agency that acts.
    Both empty/false once the application is decided, withdrawn or lapsed."""

    waiting_for_applicant: bool = False
    steps: tuple[ApplicationStep, ...] = ()


def what_next(application: Application | None) -> NextStep:
    """The next step of ``application`` in plain terms (see ``NextStep``); one
    query for the active steps, none for a finished application."""
    status = application.status if application else None
    if status == ApplicationStatus.WAITING_FOR_APPLICANT:
        return NextStep(waiting_for_applicant=True)
    if status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_PROGRESS,
        ApplicationStatus.APPROVED,
    ):
        return NextStep()
    steps = application.steps.filter(status=StepStatus.ACTIVE).select_related("agency")
    return NextStep(steps=tuple(steps.order_by("order", "pk")))


def application_timeline(application: Application) -> QuerySet[StatusChange]:
    return application.status_changes.select_related("step", "agency").order_by(
        "created_at", "pk"
    )


def documents_of(user) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(owner=user).order_by("-created_at")


def _billing_step(step) -> bool:
    from payments.selectors import is_fee_step

    return is_fee_step(step)


def _needs_bpjs_reference(step) -> bool:
    from channeling.permissions import BPJS_AGENCIES

    return step.agency_id is not None and step.agency.code in BPJS_AGENCIES


def officer_actions_for(user, application) -> list[tuple[ApplicationStep, list[str]]]:
    """``[(step, [action, ...])]``: the active steps of ``application`` that
    ``user`` may act on now and the actions the step's role allows there
    (``complete``, ``approve``, ``reject``, ``request_revision``,
    ``record_external``); empty when the application is not open to officers.
    One query for the steps, plus the delegation look-up of ``user_can``."""
    from accounts.permissions import AGENCY_HEAD, APPROVER, user_can

    out = []
    for step in application.steps.filter(status=StepStatus.ACTIVE).select_related(
        "agency"
    ):
        if not user_can(user, "application.act_on_step", step):
            continue
        if application.status == ApplicationStatus.APPROVED:
            actions = ["complete"]
        elif step.role in (APPROVER, AGENCY_HEAD):
            actions = ["approve", "reject", "request_revision"]
            if step.role == AGENCY_HEAD:
                actions = ["complete", "reject"]
        elif step.kind == "external_system":
            actions = ["record_external", "request_revision", "reject"]
        else:
            actions = ["complete", "request_revision", "reject"]
        if "complete" in actions and _billing_step(step):
            # The fee step is finished by issuing the bill (payments).
            actions = [a for a in actions if a != "complete"]
        if "approve" in actions and _needs_bpjs_reference(step):
            # BPJS's approver ends with BPJS's reference (channeling page).
            actions = [a for a in actions if a != "approve"]
        if application.status in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.IN_PROGRESS,
            ApplicationStatus.APPROVED,
        ):
            out.append((step, actions))
    return out
