"""Writes of the transparency app: survey invitations and responses,
complaints and their hand-over to SP4N-LAPOR!.

Entry points own their transaction (``durable=True``); each write is recorded
in the audit trail; notifications go through ``notifications.notify`` in the
same transaction; the LAPOR! call runs in a task after the commit.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Officer
from accounts.permissions import ensure_can
from agencies.models import Agency, Office
from audit.services import audit_record
from notifications.services import notify
from notifications.variables import BilingualText
from permits.models import Application
from ptsp.exceptions import ApplicationError
from queueing.choices import TicketStatus
from queueing.models import QueueTicket

from .aggregates import FINAL_STATUSES
from .choices import (
    OPEN_COMPLAINT_STATUSES,
    ComplaintStatus,
    ComplaintSubject,
    SurveySource,
)
from .deadlines import complaint_due_at
from .ikm import ELEMENT_FIELDS, SCALE
from .lapor import LaporClient, LaporReport, is_final
from .models import Complaint, SurveyInvitation, SurveyResponse
from .permissions import MANAGER_ROLES

WIB = ZoneInfo("Asia/Jakarta")
SWEEP_BATCH = 500


class SurveyError(ApplicationError):
    """The survey cannot be taken (already answered, not yours, bad answer)."""


class ComplaintError(ApplicationError):
    """The complaint cannot be filed or handled as asked."""


def _url(name: str, **kwargs) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def semester_of(at: dt.datetime) -> tuple[int, int]:
    """``(year, half)`` of the WIB date of the aware instant ``at``; half 1 is
    January-June."""
    local = at.astimezone(WIB)
    return local.year, 1 if local.month <= 6 else 2


# --- Survey invitations --------------------------------------------------------------


def _invite(*, citizen, service, source: str, **target) -> SurveyInvitation | None:
    """Create one invitation and notify; ``None`` when the target already has
    one (the unique key decides, even under a concurrent sweep)."""
    try:
        with transaction.atomic(durable=True):
            invitation = SurveyInvitation.objects.create(
                citizen=citizen,
                service=service,
                agency_id=service.agency_id,
                source=source,
                **target,
            )
            audit_record(action="survey.invite", obj=invitation)
            notify(
                event="survey.invited",
                recipient=citizen,
                context={
                    "service": BilingualText.of(service.current_version)
                    if service.current_version_id
                    else service.code,
                    "url": _url("transparency:survey", uuid=invitation.uuid),
                },
                dedupe_key=f"survey:{invitation.uuid}",
            )
    except IntegrityError:
        return None
    return invitation


def survey_invitations_sweep(*, now: dt.datetime | None = None) -> int:
    """Invite citizens once after a final decision or completion of their
    application (issued, completed, rejected) and after a finished queue visit
    of a ticket linked to their account, within the last
    ``TRANSPARENCY_SURVEY_LOOKBACK_DAYS`` days. Returns the number of new
    invitations; safe to run twice (one invitation per application and per
    ticket, unique keys). At most ``SWEEP_BATCH`` per kind per run."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.TRANSPARENCY_SURVEY_LOOKBACK_DAYS)
    created = 0
    applications = (
        Application.objects.filter(
            status__in=FINAL_STATUSES,
            updated_at__gte=since,
            survey_invitation__isnull=True,
        )
        .select_related("applicant", "service__current_version")
        .order_by("pk")[:SWEEP_BATCH]
    )
    for application in applications:
        created += bool(
            _invite(
                citizen=application.applicant,
                service=application.service,
                source=SurveySource.APPLICATION,
                application=application,
            )
        )
    tickets = (
        QueueTicket.objects.filter(
            status=TicketStatus.DONE,
            citizen__isnull=False,
            finished_at__gte=since,
            survey_invitation__isnull=True,
        )
        .select_related("citizen", "service__current_version")
        .order_by("pk")[:SWEEP_BATCH]
    )
    for ticket in tickets:
        created += bool(
            _invite(
                citizen=ticket.citizen,
                service=ticket.service,
                source=SurveySource.QUEUE_VISIT,
                ticket=ticket,
            )
        )
    return created


# --- Survey responses ----------------------------------------------------------------


@transaction.atomic(durable=True)
def survey_submit(
    *, invitation: SurveyInvitation, user, answers: dict[str, int], suggestion: str = ""
) -> SurveyResponse:
    """Record the nine answers (``{"u1": 1..4, ..., "u9": 1..4}``) of
    ``invitation``'s citizen. Raises ``SurveyError`` when the invitation is not
    ``user``'s, already answered, or an answer is missing or off the 1-4
    scale."""
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.citizen_id != user.pk:
        raise SurveyError(_("This survey invitation is not yours."))
    if invitation.answered_at is not None:
        raise SurveyError(_("You have already filled in this survey. Thank you."))
    values = {}
    for name in ELEMENT_FIELDS:
        value = answers.get(name)
        if value not in SCALE:
            raise SurveyError(
                _("Please answer every question with a score from 1 to 4.")
            )
        values[name] = value
    now = timezone.now()
    year, half = semester_of(now)
    response = SurveyResponse.objects.create(
        invitation=invitation,
        service_id=invitation.service_id,
        agency_id=invitation.agency_id,
        suggestion=suggestion.strip()[:2000],
        submitted_at=now,
        year=year,
        half=half,
        **values,
    )
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    audit_record(action="survey.answer", obj=response, changes={})
    return response


# --- Complaints --------------------------------------------------------------------


def _route(*, kind: str, application, office, officer, citizen) -> tuple[Agency, dict]:
    """Agency responsible for the complaint's subject and the subject fields.
    Source: issue 16, "routed to the agency": the application's service owner,
    the office's agency, or the officer's agency (else their office's); offices
    run by no agency (the MPP) go to ``TRANSPARENCY_DEFAULT_AGENCY``
    (DPMPTSP, which runs the city's one-stop service)."""
    if kind == ComplaintSubject.APPLICATION:
        if application is None or application.applicant_id != citizen.pk:
            raise ComplaintError(_("Choose one of your own applications."))
        return application.service.agency, {"application": application}
    if kind == ComplaintSubject.OFFICE:
        if office is None or not office.is_active:
            raise ComplaintError(_("Choose the office you complain about."))
        agency = office.agency or _default_agency()
        return agency, {"office": office}
    if kind == ComplaintSubject.OFFICER:
        if officer is None or not officer.is_active:
            raise ComplaintError(_("Choose the officer you complain about."))
        agency = officer.agency or (officer.office and officer.office.agency)
        return agency or _default_agency(), {"officer": officer}
    raise ComplaintError(_("Choose what the complaint is about."))


def _default_agency() -> Agency:
    return Agency.objects.get(code=settings.TRANSPARENCY_DEFAULT_AGENCY)


@transaction.atomic(durable=True)
def complaint_file(
    *,
    citizen,
    kind: str,
    title: str,
    description: str,
    application: Application | None = None,
    office: Office | None = None,
    officer: Officer | None = None,
) -> Complaint:
    """File a complaint, route it to the responsible agency and set its answer
    deadline (``transparency.deadlines.complaint_due_at``). Raises
    ``ComplaintError`` for a subject the citizen may not complain about, empty
    text, or more than ``TRANSPARENCY_COMPLAINTS_PER_DAY`` complaints in 24
    hours (a quota against flooding an agency's inbox)."""
    title, description = title.strip(), description.strip()
    if not title or not description:
        raise ComplaintError(_("Please give a title and describe the problem."))
    now = timezone.now()
    recent = Complaint.objects.filter(
        citizen=citizen, created_at__gte=now - dt.timedelta(days=1)
    ).count()
    if recent >= settings.TRANSPARENCY_COMPLAINTS_PER_DAY:
        raise ComplaintError(
            _(
                "You have filed %(count)s complaints in the last 24 hours. "
                "Please wait for their answers or try again tomorrow."
            )
            % {"count": recent}
        )
    agency, subject = _route(
        kind=kind,
        application=application,
        office=office,
        officer=officer,
        citizen=citizen,
    )
    complaint = Complaint.objects.create(
        citizen=citizen,
        subject_kind=kind,
        agency=agency,
        title=title[:200],
        description=description[:5000],
        due_at=complaint_due_at(agency, now),
        **subject,
    )
    complaint.reference = f"ADU-{semester_of(now)[0]}-{complaint.pk:06d}"
    complaint.save(update_fields=["reference"])
    audit_record(
        action="complaint.file",
        obj=complaint,
        changes={"agency": [None, agency.code], "status": [None, complaint.status]},
    )
    notify(
        event="complaint.received",
        recipient=citizen,
        context={**_complaint_context(complaint), "due_at": complaint.due_at},
        dedupe_key=f"complaint:{complaint.pk}:received",
    )
    _notify_managers(complaint, "complaint.routed")
    return complaint


def _notify_managers(complaint: Complaint, event: str) -> int:
    """Tell the agency's supervisors and heads (``MANAGER_ROLES``) about the
    complaint; returns how many were told."""
    managers = Officer.objects.filter(
        agency_id=complaint.agency_id, role__in=MANAGER_ROLES, is_active=True
    ).select_related("user")
    for officer in managers:
        notify(
            event=event,
            recipient=officer.user,
            context={**_complaint_context(complaint), "due_at": complaint.due_at},
            dedupe_key=f"complaint:{complaint.pk}:{event}:{officer.pk}",
        )
    return len(managers)


def complaints_overdue_sweep(*, now: dt.datetime | None = None) -> int:
    """Once per complaint, tell the agency's supervisors and heads that its
    answer is past ``due_at`` (still submitted, or handed over without a local
    answer). Returns the number of complaints flagged; safe to run twice (the
    row lock and ``overdue_notified_at`` decide)."""
    now = now or timezone.now()
    ids = list(
        Complaint.objects.filter(
            status__in=OPEN_COMPLAINT_STATUSES,
            due_at__lt=now,
            overdue_notified_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    flagged = 0
    for pk in ids:
        with transaction.atomic(durable=True):
            complaint = (
                Complaint.objects.select_for_update()
                .select_related("agency")
                .get(pk=pk)
            )
            if (
                complaint.overdue_notified_at is not None
                or complaint.status not in OPEN_COMPLAINT_STATUSES
            ):
                continue
            complaint.overdue_notified_at = now
            complaint.save(update_fields=["overdue_notified_at", "updated_at"])
            audit_record(
                action="complaint.overdue",
                obj=complaint,
                changes={"overdue_notified_at": [None, now.isoformat()]},
            )
            _notify_managers(complaint, "complaint.overdue")
            flagged += 1
    return flagged


def _complaint_context(complaint: Complaint) -> dict:
    return {
        "reference": complaint.reference or "",
        "agency": BilingualText.of(complaint.agency),
        "url": _url("transparency:complaint_detail", uuid=complaint.uuid),
    }


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update()
        .select_related("agency")
        .get(pk=complaint.pk)
    )


@transaction.atomic(durable=True)
def complaint_answer(*, complaint: Complaint, user, answer: str) -> Complaint:
    """An officer of the agency answers; the citizen is notified. Raises
    ``PermissionDenied`` (not the agency's officer, or already answered) and
    ``ComplaintError`` for an empty answer."""
    complaint = _lock(complaint)
    ensure_can(user, "complaint.answer", complaint)
    answer = answer.strip()
    if not answer:
        raise ComplaintError(_("Please write the answer."))
    before = complaint.status
    complaint.answer = answer[:5000]
    complaint.answered_at = timezone.now()
    complaint.answered_by = user
    complaint.status = ComplaintStatus.ANSWERED
    complaint.save(
        update_fields=["answer", "answered_at", "answered_by", "status", "updated_at"]
    )
    audit_record(
        action="complaint.answer",
        obj=complaint,
        changes={"status": [before, complaint.status]},
        actor_agency=complaint.agency.code,
    )
    notify(
        event="complaint.answered",
        recipient=complaint.citizen,
        context=_complaint_context(complaint),
        dedupe_key=f"complaint:{complaint.pk}:answered",
    )
    return complaint


@transaction.atomic(durable=True)
def complaint_forward(*, complaint: Complaint, user) -> Complaint:
    """A supervisor or head hands the complaint over to SP4N-LAPOR!; the
    hand-over itself (``complaint_lapor_submit``) runs in a task after the
    commit. Raises ``PermissionDenied`` unless allowed and still submitted."""
    from .tasks import complaint_lapor_submit_task

    complaint = _lock(complaint)
    ensure_can(user, "complaint.forward", complaint)
    complaint.status = ComplaintStatus.FORWARDED
    complaint.forwarded_at = timezone.now()
    complaint.save(update_fields=["status", "forwarded_at", "updated_at"])
    audit_record(
        action="complaint.forward",
        obj=complaint,
        changes={"status": [ComplaintStatus.SUBMITTED, complaint.status]},
        actor_agency=complaint.agency.code,
    )
    complaint_id = complaint.pk  # robust: a broker outage is not the user's error
    transaction.on_commit(
        lambda: complaint_lapor_submit_task.delay(complaint_id), robust=True
    )
    return complaint


def complaint_lapor_submit(
    *, complaint_id: int, client: LaporClient | None = None
) -> Complaint | None:
    """Send a forwarded complaint to LAPOR! and keep its tracking id. Returns
    ``None`` when there is nothing to do (gone, not forwarded, or already
    sent). The network call happens outside any transaction; LAPOR! treats the
    reference as an idempotency key, so a retry after a crash between the call
    and the save gets the same tracking id. Raises ``LaporUnavailable`` /
    ``LaporRejected``."""
    complaint = (
        Complaint.objects.select_related("agency").filter(pk=complaint_id).first()
    )
    if (
        complaint is None
        or complaint.status != ComplaintStatus.FORWARDED
        or complaint.lapor_tracking_id
    ):
        return None
    client = client or LaporClient.from_settings()
    tracking_id = client.submit(
        LaporReport(
            external_id=complaint.reference or str(complaint.uuid),
            title=complaint.title,
            content=complaint.description,
            agency_code=complaint.agency.code,
            category=complaint.subject_kind,
            submitted_at=complaint.created_at,
        )
    )
    with transaction.atomic(durable=True):
        complaint = _lock(complaint)
        if complaint.lapor_tracking_id:
            return None
        complaint.lapor_tracking_id = tracking_id
        complaint.save(update_fields=["lapor_tracking_id", "updated_at"])
        audit_record(
            action="complaint.lapor_tracking",
            obj=complaint,
            changes={"lapor_tracking_id": ["", tracking_id]},
        )
        notify(
            event="complaint.forwarded",
            recipient=complaint.citizen,
            context={**_complaint_context(complaint), "tracking_id": tracking_id},
            dedupe_key=f"complaint:{complaint.pk}:forwarded",
        )
    return complaint


def complaint_lapor_poll(
    *, complaint_id: int, client: LaporClient | None = None
) -> bool:
    """Ask LAPOR! for the status of a handed-over complaint and keep it.
    Returns ``True`` when the status changed (audited as
    ``complaint.lapor_status``); a status that ends the report
    (``lapor.is_final``, e.g. "Selesai") closes the complaint. Nothing to do
    (gone, not forwarded, no tracking id yet): ``False``. Safe to run twice:
    an unchanged status only moves ``lapor_checked_at``. The network call
    happens outside any transaction. Raises ``LaporUnavailable`` /
    ``LaporRejected``."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if (
        complaint is None
        or complaint.status != ComplaintStatus.FORWARDED
        or not complaint.lapor_tracking_id
    ):
        return False
    client = client or LaporClient.from_settings()
    status = client.status(complaint.lapor_tracking_id)[:100]
    with transaction.atomic(durable=True):
        complaint = _lock(complaint)
        if complaint.status != ComplaintStatus.FORWARDED:
            return False
        complaint.lapor_checked_at = timezone.now()
        changed = bool(status) and status != complaint.lapor_status
        fields = ["lapor_checked_at", "updated_at"]
        changes = {}
        if changed:
            changes["lapor_status"] = [complaint.lapor_status, status]
            complaint.lapor_status = status
            fields.append("lapor_status")
            if is_final(status):
                changes["status"] = [complaint.status, ComplaintStatus.CLOSED]
                complaint.status = ComplaintStatus.CLOSED
                fields.append("status")
        complaint.save(update_fields=fields)
        if changed:
            audit_record(
                action="complaint.lapor_status",
                obj=complaint,
                changes=changes,
                actor_agency=complaint.agency.code,
            )
    return changed
