"""Writes of the officer workspace: claim, assign and reassign tasks in bulk,
and internal notes. Each entry point owns its transaction.

Bulk actions are all or nothing: the steps are locked (``select_for_update``,
in primary-key order so two supervisors never deadlock), every one is
checked, then every one is written with its own audit entry carrying the one
reason. A step that changed meanwhile (finished, claimed by someone else)
refuses the whole batch with ``TaskUnavailable`` naming the references.
Errors are ``ApplicationError`` subclasses (HTTP 400 through ``ptsp.api``).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Officer
from accounts.permissions import user_can
from audit.services import audit_record
from permits.models import Application, ApplicationStep
from permits.permissions import acting_officer_for_step
from ptsp.exceptions import ApplicationError

from .models import InternalNote
from .permissions import agency_ids_of

#: Most tasks one bulk action may touch (a page of the queue is 50).
BULK_LIMIT = 200


class TaskUnavailable(ApplicationError):
    """Some of the chosen tasks cannot take this action (changed meanwhile,
    another agency's, or not the user's role)."""


def _lock_steps(step_ids) -> list[ApplicationStep]:
    ids = sorted({int(i) for i in step_ids})
    if not ids:
        raise ApplicationError(_("Choose at least one task."))
    if len(ids) > BULK_LIMIT:
        raise ApplicationError(
            _("Choose at most %(n)d tasks at a time.") % {"n": BULK_LIMIT}
        )
    steps = list(
        ApplicationStep.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("application", "agency")
        .order_by("pk")
    )
    if len(steps) != len(ids):
        # An id the user cannot know about: say nothing about which.
        raise TaskUnavailable(_("Some of the chosen tasks no longer exist."))
    return steps


def _refuse(steps, message: str) -> None:
    refs = ", ".join(sorted({s.application.reference or "-" for s in steps}))
    raise TaskUnavailable(f"{message} ({refs})", extra={"references": refs})


def _write(step, officer: Officer | None, *, action: str, reason: str) -> None:
    before = step.assigned_officer_id
    step.assigned_officer = officer
    step.save(update_fields=["assigned_officer"])
    audit_record(
        action=f"application_step.{action}",
        obj=step,
        changes={"assigned_officer": [before, officer.pk if officer else None]},
        reason=reason,
        actor_role=step.role,
        actor_agency=step.agency.code if step.agency else "",
    )


@transaction.atomic(durable=True)
def tasks_claim(*, user, step_ids, reason: str = "") -> list[ApplicationStep]:
    """``user`` takes the active, unassigned steps ``step_ids`` of their
    agency and role (or of a colleague whose tasks they hold: the step is then
    assigned to the user's own profile). Returns the steps; raises
    ``TaskUnavailable`` if any cannot be claimed (already someone else's, not
    active, not the user's agency or role)."""
    steps = _lock_steps(step_ids)
    visible = set(agency_ids_of(user))
    hidden = [s for s in steps if s.agency_id not in visible]
    if hidden:
        raise TaskUnavailable(_("Some of the chosen tasks no longer exist."))
    refused = [s for s in steps if not user_can(user, "workspace.claim", s)]
    if refused:
        _refuse(refused, _("These tasks cannot be claimed"))
    own = user.officer
    for step in steps:
        officer = acting_officer_for_step(user, step)
        if officer.pk == step.assigned_officer_id:
            continue
        # A substitute claims in their own name: they do the work.
        _write(step, own, action="claim", reason=reason)
    return steps


@transaction.atomic(durable=True)
def tasks_assign(
    *, user, step_ids, officer: Officer, reason: str
) -> list[ApplicationStep]:
    """A supervisor or agency head gives ``step_ids`` to ``officer`` (assign
    or reassign) with one ``reason`` (required; recorded on every step's audit
    entry). ``officer`` must be active, of the step's agency and role (any
    role for a step without one). Raises ``TaskUnavailable`` or
    ``ApplicationError``."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give a reason for the assignment."))
    steps = _lock_steps(step_ids)
    visible = set(agency_ids_of(user))
    if any(s.agency_id not in visible for s in steps):
        raise TaskUnavailable(_("Some of the chosen tasks no longer exist."))
    refused = [
        s
        for s in steps
        if not user_can(user, "workspace.assign", s) or s.status != "active"
    ]
    if refused:
        _refuse(refused, _("You may not assign these tasks"))
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    wrong = [
        s
        for s in steps
        if not officer.is_active
        or officer.agency_id != s.agency_id
        or (s.role and officer.role != s.role)
    ]
    if wrong:
        _refuse(wrong, _("This officer does not have the agency or role of"))
    for step in steps:
        if step.assigned_officer_id == officer.pk:
            continue
        action = "reassign" if step.assigned_officer_id else "assign"
        _write(step, officer, action=action, reason=reason)
    return steps


@transaction.atomic(durable=True)
def note_add(*, user, application: Application, body: str) -> InternalNote:
    """Append an internal note to ``application`` (never shown to the
    applicant). The author must work for an agency with a step in it; the
    note records that agency. Raises ``ApplicationError`` for an empty note or
    an author who may not write one."""
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("Write the note first."))
    if len(body) > 4000:
        raise ApplicationError(_("A note has at most 4000 characters."))
    if not user_can(user, "workspace.note", application):
        raise ApplicationError(_("You may not write notes on this application."))
    in_application = set(application.steps.values_list("agency_id", flat=True))
    agency_id = next(a for a in agency_ids_of(user) if a in in_application)
    note = InternalNote.objects.create(
        application=application, author=user, agency_id=agency_id, body=body
    )
    audit_record(
        action="internal_note.create",
        obj=note,
        changes={"application": [None, application.pk]},
    )
    return note
