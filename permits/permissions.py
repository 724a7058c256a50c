"""Who may act on an application: the one "same agency and role" rule.

An officer may act on an active ``ApplicationStep`` when the step's agency and
role are those of the officer, or of an officer whose tasks they hold by
delegation at the time (``accounts.selectors.officers_acting_as``). Source:
issue 6, "only by officers of the step's agency with the step's role".
"""

from django.utils.translation import gettext as _

from accounts.permissions import AGENCY_HEAD, rule, user_can
from accounts.selectors import officers_acting_as
from ptsp.exceptions import ApplicationError

from .choices import StepStatus


def acting_officer_for_step(user, step):
    """The officer profile ``user`` acts as on ``step`` (their own first, then a
    delegator's), or ``None`` when none matches the step's agency and role."""
    if step.agency_id is None:
        return None
    for officer in officers_acting_as(user):
        if officer.agency_id != step.agency_id:
            continue
        if officer.role == step.role or (
            # External-system steps carry the role of the officer who records
            # the result; a step with no role may be recorded by any officer of
            # the agency.
            not step.role
        ):
            return officer
    return None


@rule("application.act_on_step")
def _act_on_step(user, step) -> bool:
    return (
        step.status == StepStatus.ACTIVE
        and acting_officer_for_step(user, step) is not None
    )


@rule("application.view")
def _view_application(user, application) -> bool:
    """The applicant, or an officer of an agency with a step in it."""
    if application.applicant_id == user.pk:
        return True
    agency_ids = {o.agency_id for o in officers_acting_as(user) if o.agency_id}
    return application.steps.filter(agency_id__in=agency_ids).exists()


@rule("application.decide_objection")
def _decide_objection(user, application) -> bool:
    return any(
        o.role == AGENCY_HEAD and o.agency_id == application.service.agency_id
        for o in officers_acting_as(user)
    )


class NotAllowedToAct(ApplicationError):
    """The user may not act on this step (not its agency or role)."""


def ensure_can_act(user, step) -> None:
    """Raise ``NotAllowedToAct`` unless ``user`` may act on ``step`` now."""
    if not user_can(user, "application.act_on_step", step):
        raise NotAllowedToAct(_("You may not act on this step."))


@rule("application.work")
def _work(user, obj) -> bool:
    """Any active officer with an agency has a work list (possibly empty)."""
    return any(o.agency_id for o in officers_acting_as(user))
