"""Reads of the officer workspace, always scoped to the user.

A task is an active ``ApplicationStep`` of an application officers work on
(submitted, in progress, or approved with issuance steps left). Three queues
(``Tab``): the user's own tasks (assigned to them or to a colleague whose work
they hold), the unassigned tasks of their agency and role, and every task of
their agency (supervisors and agency heads). Another agency's tasks never
appear: every queryset starts from the user's agencies.
"""

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import DateTimeField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer
from accounts.selectors import officers_acting_as
from permits.choices import ApplicationStatus, StepStatus
from permits.models import Application, ApplicationStep
from permits.workflow import OPEN_FOR_OFFICERS

from .keyset import SortKey
from .models import InternalNote
from .permissions import MANAGING_ROLES, agency_ids_of, managed_agency_ids

#: Sort key of a task without a deadline: after every real one.
NO_DEADLINE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)

#: Application states in which a step can be acted on.
WORKING_STATES = frozenset(OPEN_FOR_OFFICERS | {ApplicationStatus.APPROVED})

#: Application states shown in the queues: the working states, and an
#: application paused on a revision an officer asked for (its step stays
#: active, the resubmission returns to it; the row shows the stopped clock and
#: the working time left, ``templates/sla/_paused.html``).
QUEUE_STATES = frozenset(WORKING_STATES | {ApplicationStatus.WAITING_FOR_APPLICANT})


#: Sort orders of the queue: ``?sort=`` value -> key (ties: primary key).
SORTS: dict[str, SortKey] = {
    "due": SortKey("due_key", kind="datetime"),
    "-due": SortKey("due_key", descending=True, kind="datetime"),
    "submitted": SortKey("submitted_key", kind="datetime"),
    "-submitted": SortKey("submitted_key", descending=True, kind="datetime"),
    "reference": SortKey("reference_key"),
    "-reference": SortKey("reference_key", descending=True),
}


#: Columns loaded for a queue row (``_base_tasks``); the agency is known from
#: ``agency_id`` (the user's own agencies), so it is not joined.
TASK_COLUMNS = (
    "id",
    "order",
    "name",
    "name_en",
    "role",
    "status",
    "agency_id",
    "due_at",
    "application__id",
    "application__uuid",
    "application__reference",
    "application__status",
    "application__submitted_at",
    "application__service__id",
    "application__service__code",
    "application__service_version__id",
    "application__service_version__name",
    "application__due_at",
    "application__applicant__id",
    "application__applicant__username",
    "application__applicant__full_name",
)

#: The assigned officer's columns, joined where a queue can hold a colleague's
#: task (not in the unassigned queue, where there is none to join).
ASSIGNEE_COLUMNS = (
    "assigned_officer__id",
    "assigned_officer__role",
    "assigned_officer__agency_id",
    "assigned_officer__user__id",
    "assigned_officer__user__username",
    "assigned_officer__user__full_name",
)


class Tab(models.TextChoices):
    """The queues of the workspace."""

    MINE = "mine", _("My tasks")
    UNASSIGNED = "unassigned", _("Unassigned")
    AGENCY = "agency", _("Whole agency")


def _base_tasks(
    agency_ids, *, assignee: bool = True, states=QUEUE_STATES
) -> QuerySet[ApplicationStep]:
    """Active steps of ``agency_ids`` whose application is in ``states``
    (``ApplicationStatus`` values), with the columns a queue row shows;
    ``assignee=False`` leaves out the assigned officer and their user, for
    querysets of unassigned steps only (two outer joins fewer: planning the
    page went from about 4.4 to 1 ms at 1 M steps)."""
    related = [
        "application__service",
        "application__service_version",
        "application__applicant",
    ]
    columns = [*TASK_COLUMNS, *(ASSIGNEE_COLUMNS if assignee else ["assigned_officer"])]
    return (
        ApplicationStep.objects.filter(
            status=StepStatus.ACTIVE,
            agency_id__in=agency_ids,
            application__status__in=sorted(states),
        )
        .select_related(*related, *(["assigned_officer__user"] if assignee else []))
        # The columns a queue row shows: narrow rows, no form data.
        .only(*columns)
        .annotate(
            # The step's own deadline, else the service's (the SLA engine
            # mirrors it on Application.due_at; a step may not carry it yet).
            deadline=Coalesce("due_at", "application__due_at"),
            # Flat sort keys: keyset cursors read them off the row. The
            # deadline key is the step's own column, the expression of the
            # partial indexes of ``workspace`` migration 0002, so a page is an
            # index range: with ``application__due_at`` in it (a column of
            # another table) PostgreSQL sorted every matching row per page.
            # The SLA engine writes the service deadline to every active step
            # without one of its own (``sla.services._mirror_due`` and
            # ``_mirror_many``), so the two differ only for a step it has not
            # reached yet, which sorts last until then.
            due_key=Coalesce(
                "due_at", Value(NO_DEADLINE, output_field=DateTimeField())
            ),
            submitted_key=F("application__submitted_at"),
            reference_key=F("application__reference"),
        )
    )


def tasks_for(
    user, tab: str, *, officers: list[Officer] | None = None
) -> QuerySet[ApplicationStep]:
    """The tasks of ``tab`` (``Tab``) that ``user`` may see, unordered.

    ``mine``: active steps assigned to the user or to an officer whose tasks
    they hold now. ``unassigned``: active steps of their agencies with nobody
    assigned, of their role (supervisors and heads: every role). ``agency``:
    every active step of the agencies they manage; empty for other roles.
    Every queue includes applications waiting for the applicant
    (``QUEUE_STATES``).
    ``officers`` (``officers_acting_as(user)``) may be passed to save a query.
    """
    officers = officers_acting_as(user) if officers is None else officers
    agency_ids = sorted({o.agency_id for o in officers if o.agency_id})
    if not agency_ids:
        return ApplicationStep.objects.none()
    managed = {
        o.agency_id for o in officers if o.agency_id and o.role in MANAGING_ROLES
    }
    if tab == Tab.MINE:
        return _base_tasks(agency_ids).filter(
            assigned_officer_id__in=[o.pk for o in officers]
        )
    if tab == Tab.UNASSIGNED:
        mine = Q(agency_id__in=sorted(managed))
        for o in officers:
            if o.agency_id:
                mine |= Q(agency_id=o.agency_id, role=o.role)
        return _base_tasks(agency_ids, assignee=False).filter(
            mine, assigned_officer__isnull=True
        )
    base = _base_tasks(agency_ids)
    if tab == Tab.AGENCY:
        if not managed:
            return ApplicationStep.objects.none()
        return base.filter(agency_id__in=sorted(managed))
    return ApplicationStep.objects.none()


def tabs_for(user) -> list[str]:
    """The tabs ``user`` may open, in display order."""
    tabs = [Tab.MINE.value, Tab.UNASSIGNED.value]
    if managed_agency_ids(user):
        tabs.append(Tab.AGENCY.value)
    return tabs if agency_ids_of(user) else []


@dataclasses.dataclass(frozen=True)
class CappedCount:
    """A count that stops at ``cap``: ``capped`` is true when there are more
    rows than ``value`` (shown as "500+"), so counting never scans a large
    table past the cap."""

    value: int
    capped: bool

    def __str__(self) -> str:
        return f"{self.value}+" if self.capped else str(self.value)


def capped_count(queryset: QuerySet, cap: int | None = None) -> CappedCount:
    """``COUNT(*)`` over at most ``cap + 1`` rows (``WORKSPACE_COUNT_CAP``,
    default 500): one query whose cost is bounded by the cap."""
    cap = cap or settings.WORKSPACE_COUNT_CAP
    n = queryset.order_by()[: cap + 1].count()
    return CappedCount(value=min(n, cap), capped=n > cap)


@dataclasses.dataclass(frozen=True)
class TaskRow:
    """A queue row: the step, and the absent colleague it is held for
    (``None`` when it is the user's own or nobody's)."""

    step: ApplicationStep
    delegated_from: Officer | None


def mark_delegated(steps, officers: list[Officer]) -> list[TaskRow]:
    """Mark each step held for a colleague on leave: assigned to a delegator,
    or (unassigned) of a delegator's agency and role but not the user's own.
    No query: ``officers`` is ``officers_acting_as(user)``."""
    own = officers[0] if officers else None
    others = officers[1:]
    rows = []
    for step in steps:
        source = None
        if step.assigned_officer_id is not None:
            source = next((o for o in others if o.pk == step.assigned_officer_id), None)
        elif own is None or (own.agency_id, own.role) != (step.agency_id, step.role):
            source = next(
                (
                    o
                    for o in others
                    if (o.agency_id, o.role) == (step.agency_id, step.role)
                ),
                None,
            )
        rows.append(TaskRow(step=step, delegated_from=source))
    return rows


def applications_for_officer(user) -> QuerySet[Application]:
    """Applications with a step of an agency ``user`` works for (never
    drafts); the officer application page and its API read from here, so
    another agency's application is a 404."""
    agency_ids = agency_ids_of(user)
    if not agency_ids:
        return Application.objects.none()
    return (
        Application.objects.filter(
            pk__in=ApplicationStep.objects.filter(agency_id__in=agency_ids).values(
                "application_id"
            )
        )
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("service", "service_version", "applicant")
    )


def notes_of(application: Application) -> QuerySet[InternalNote]:
    """Internal notes of ``application``, oldest first, with author and agency."""
    return application.internal_notes.select_related("author", "agency").order_by(
        "created_at", "pk"
    )
