"""Writes of the shared workflow. Each entry point owns its transaction.

Every status change goes through ``_transition``: it checks ``TRANSITIONS``,
bumps ``version``, appends a ``StatusChange`` and an audit entry in the same
transaction, and writes the applicant's notification to the outbox (sent after
commit by ``notifications``). Errors: ``InvalidTransition`` and
``StaleVersion`` (HTTP 409), ``NotAllowedToAct`` and other
``ApplicationError``s (HTTP 400), ``django.core.exceptions.ValidationError`` for
form data that fails the version's JSON Schema.
"""

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import filetype
import jsonschema

from accounts.permissions import AGENCY_HEAD, APPROVER
from agencies.choices import ServiceCategory, StepKind
from agencies.models import Service
from audit.services import audit_record
from notifications.services import notify
from notifications.variables import BilingualText
from ptsp.exceptions import ApplicationError, InvalidTransition, StaleVersion
from ptsp.files import atomic_with_files
from sla.services import sla_sync

from .choices import ApplicationStatus, StepAction, StepStatus
from .forms_schema import effective_schema
from .models import (
    Application,
    ApplicationDocument,
    ApplicationDocumentLink,
    ApplicationStep,
    ReferenceCounter,
    StatusChange,
)
from .permissions import acting_officer_for_step, ensure_can_act
from .selectors import application_lock
from .workflow import OPEN_FOR_OFFICERS, TRANSITIONS, WITHDRAWABLE

S = ApplicationStatus
WIB = dt.timezone(dt.timedelta(hours=7))

#: Content types accepted for uploads, sniffed from the bytes (issue 6).
ALLOWED_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}


# --- The one place that writes ``status`` --------------------------------------------


def _transition(
    application: Application,
    *,
    to: ApplicationStatus,
    actor,
    step: ApplicationStep | None = None,
    action: str = "",
    reason: str = "",
    notify_event: str = "",
    notify_context: dict | None = None,
) -> StatusChange:
    """Move the locked ``application`` to ``to``; raise ``InvalidTransition``
    when ``TRANSITIONS`` does not allow it. Call inside a transaction."""
    from_status = ApplicationStatus(application.status)
    if to not in TRANSITIONS[from_status]:
        raise InvalidTransition(
            _("This application is %(status)s and cannot become %(to)s.")
            % {"status": from_status.label, "to": ApplicationStatus(to).label},
            extra={"status": from_status.value, "version": application.version},
        )
    application.status = to
    application.version += 1
    now = timezone.now()
    fields = ["status", "version", "updated_at"]
    if to == S.SUBMITTED:
        application.submitted_at = now
        fields.append("submitted_at")
    if to in (S.APPROVED, S.REJECTED):
        application.decided_at = now
        fields.append("decided_at")
    application.save(update_fields=fields)
    change = StatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=to,
        step=step,
        action=action,
        agency=step.agency if step is not None else None,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
    )
    audit_record(
        action=f"application.{to}",
        obj=application,
        changes={"status": [from_status.value, str(to)]},
        reason=reason,
        actor_role=step.role if step is not None else "",
        actor_agency=step.agency.code if step is not None and step.agency else "",
    )
    if notify_event:
        _notify(application, notify_event, notify_context or {})
    if to != S.SUBMITTED:  # at submission, _advance syncs once the steps start
        sla_sync(application, actor=actor, reason=reason)  # clock and deadlines
    return change


def _notify(application: Application, event: str, extra: dict) -> None:
    context = {
        "reference": application.reference or "",
        "service": BilingualText.of(application.service_version),
        "url": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("permits:detail", kwargs={"uuid": application.uuid}),
        **extra,
    }
    notify(
        event=event,
        recipient=application.applicant,
        context=context,
        dedupe_key=f"{application.pk}:{application.version}:{event}",
    )


def _ensure_version(application: Application, seen_version: int | None) -> None:
    if seen_version is not None and int(seen_version) != application.version:
        raise StaleVersion(
            _(
                "This application changed while you were looking at it; it is now "
                "%(status)s. Reload the page and check before acting again."
            )
            % {"status": ApplicationStatus(application.status).label},
            extra={"status": application.status, "version": application.version},
        )


def _ensure_applicant(application: Application, user) -> None:
    if application.applicant_id != user.pk:
        raise ApplicationError(_("This is not your application."))


# --- Drafts --------------------------------------------------------------------------


@transaction.atomic(durable=True)
def application_create_draft(
    *,
    applicant,
    service: Service,
    form_data: dict | None = None,
    business=None,
    subject: dict | None = None,
) -> Application:
    """Start a draft for the service's current version. Raises
    ``ApplicationError`` for an unpublished service or one with no version."""
    return _application_create_draft(
        applicant=applicant,
        service=service,
        form_data=form_data,
        business=business,
        subject=subject,
    )


@transaction.atomic(durable=True)
def application_start(*, applicant, service: Service) -> tuple[Application, bool]:
    """The draft an "Ajukan" click opens: the applicant's newest untouched
    draft of ``service`` (its current version, no answers, no documents, not
    for a business or another person) when there is one, else a new draft.
    Returns ``(application, created)``. Double clicks are serialised by a row
    lock on the applicant's user row (``SELECT ... FOR UPDATE``), so two
    concurrent clicks yield one draft. Raises ``ApplicationError`` like
    ``application_create_draft``. Source: tester's report (every click left
    another empty draft in "Permohonan saya")."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.select_for_update().only("pk").get(pk=applicant.pk)
    untouched = (
        Application.objects.filter(
            applicant=applicant,
            service=service,
            service_version_id=service.current_version_id,
            status=S.DRAFT,
            business__isnull=True,
            subject__isnull=True,
            form_data={},
        )
        .exclude(document_links__isnull=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    if untouched is not None and service.is_published:
        return untouched, False
    return _application_create_draft(applicant=applicant, service=service), True


def _application_create_draft(
    *,
    applicant,
    service: Service,
    form_data: dict | None = None,
    business=None,
    subject: dict | None = None,
) -> Application:
    """``application_create_draft`` inside the caller's transaction."""
    if not service.is_published or service.current_version_id is None:
        raise ApplicationError(_("This service does not accept applications."))
    if business is not None:
        from accounts.selectors import businesses_for

        if not businesses_for(applicant).filter(pk=business.pk).exists():
            raise ApplicationError(_("You may not apply for this business."))
    application = Application.objects.create(
        service=service,
        service_version_id=service.current_version_id,
        applicant=applicant,
        business=business,
        form_data=form_data or {},
        subject=subject,
    )
    audit_record(action="application.create", obj=application)
    return application


@transaction.atomic(durable=True)
def application_update_draft(
    *,
    application: Application,
    applicant,
    form_data: dict,
    subject: dict | None = None,
) -> Application:
    """Replace a draft's answers (no validation: drafts may be incomplete).
    Also used for the answers of a revision while waiting for the applicant."""
    application = application_lock(pk=application.pk)
    _ensure_applicant(application, applicant)
    if application.status not in (S.DRAFT, S.WAITING_FOR_APPLICANT):
        raise InvalidTransition(
            _("This application can no longer be changed."),
            extra={"status": application.status, "version": application.version},
        )
    application.form_data = form_data
    if subject is not None:
        application.subject = subject
    application.version += 1
    application.save(update_fields=["form_data", "subject", "version", "updated_at"])
    audit_record(action="application.update", obj=application)
    return application


def application_validate(application: Application) -> None:
    """Check ``form_data`` against the version's (effective) JSON Schema.
    Raises ``ValidationError`` with one message per failing field."""
    schema = effective_schema(application.service_version)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()
    )
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(application.form_data):
        if error.validator == "required":
            field = error.message.split("'")[1]
            errors.setdefault(field, []).append(_("This field is required."))
        else:
            field = ".".join(str(p) for p in error.absolute_path) or "__all__"
            errors.setdefault(field, []).append(_("Enter a valid value."))
    if errors:
        raise ValidationError(errors)


# --- Documents -----------------------------------------------------------------------


def document_upload(
    *,
    owner,
    requirement_code: str,
    content: bytes,
    original_name: str = "",
    application: Application | None = None,
) -> ApplicationDocument:
    """Store an uploaded file privately under a generated name and, when
    ``application`` is a draft or awaits a revision, attach it for the
    requirement. The type is sniffed from the bytes; PDF, JPEG or PNG only,
    at most ``PERMITS_MAX_UPLOAD_BYTES``; with ``application``,
    ``requirement_code`` must be one of its version's requirements
    (``ensure_requirement_of``). A refused upload leaves no file behind
    (``ptsp.files.atomic_with_files``). Raises ``ApplicationError``."""
    if len(content) > settings.PERMITS_MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is too large; the limit is %(mb)s MB.")
            % {"mb": settings.PERMITS_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if application is not None:
        # Refused before any byte reaches storage; the draft is untouched.
        ensure_requirement_of(application, requirement_code)
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_CONTENT_TYPES:
        raise ApplicationError(_("Only PDF, JPEG or PNG files are accepted."))
    with atomic_with_files(durable=True) as files:
        document = ApplicationDocument(
            owner=owner,
            requirement_code=requirement_code,
            original_name=(original_name or "")[:200],
            content_type=kind.mime,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        name = f"{secrets.token_hex(16)}.{ALLOWED_CONTENT_TYPES[kind.mime]}"
        files.save(document.file, name, ContentFile(content))
        document.save()
        audit_record(action="document.upload", obj=document)
        if application is not None:
            _document_attach(application=application, document=document, owner=owner)
    return document


def ensure_requirement_of(application: Application, requirement_code: str) -> None:
    """Refuse a document for ``requirement_code`` when the application's
    service version does not list that requirement (``ServiceVersion.
    requirements``, from the catalogue). The catalogue has no requirements per
    applicant type or condition, so the version's list is the whole rule.

    Raises ``ApplicationError`` (HTTP 400) naming the code, in the user's
    language."""
    codes = {item.get("code") for item in application.service_version.requirements}
    if requirement_code not in codes:
        raise ApplicationError(
            _(
                "“%(code)s” is not a requirement of this service; choose one of "
                "the documents listed on the form."
            )
            % {"code": requirement_code[:64]},
            extra={"requirement_code": requirement_code[:64]},
        )


def _document_attach(*, application, document, owner) -> None:
    application = application_lock(pk=application.pk)
    _ensure_applicant(application, owner)
    ensure_requirement_of(application, document.requirement_code)
    if document.owner_id != owner.pk:
        raise ApplicationError(_("This is not your document."))
    if application.status not in (S.DRAFT, S.WAITING_FOR_APPLICANT):
        raise InvalidTransition(
            _("This application can no longer be changed."),
            extra={"status": application.status, "version": application.version},
        )
    ApplicationDocumentLink.objects.update_or_create(
        application=application,
        requirement_code=document.requirement_code,
        defaults={"document": document},
    )
    audit_record(
        action="application.document_attach",
        obj=application,
        changes={"document": [None, str(document.uuid)]},
    )


@transaction.atomic(durable=True)
def document_attach(*, application, document, owner) -> None:
    """Reuse one of the applicant's earlier documents in ``application``."""
    _document_attach(application=application, document=document, owner=owner)


# --- Submission ----------------------------------------------------------------------


def _next_reference(now: dt.datetime) -> str:
    year = now.astimezone(WIB).year
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"PTSP-{year}-{counter.last_number:06d}"


@transaction.atomic(durable=True)
def application_submit(
    *, application: Application, applicant, idempotency_key: str
) -> tuple[Application, str | None]:
    """Submit a draft: validate, number, copy the steps, start the first ones.

    Returns ``(application, tracking_code)``; the plain tracking code is shown
    once (only its hash is stored). Submitting again with the same
    ``idempotency_key`` returns the submitted application and ``None`` and
    changes nothing (a double click or a retried request). Raises
    ``ValidationError`` (form data), ``InvalidTransition``.
    """
    return _application_submit(
        application=application, applicant=applicant, idempotency_key=idempotency_key
    )


def _application_submit(
    *, application: Application, applicant, idempotency_key: str
) -> tuple[Application, str | None]:
    """``application_submit`` inside the caller's transaction (for services
    that submit as part of their own work, e.g. an assisted submission
    confirmed by the citizen's code)."""
    application = application_lock(pk=application.pk)
    _ensure_applicant(application, applicant)
    if idempotency_key and application.idempotency_key == idempotency_key:
        return application, None
    if application.status != S.DRAFT:
        raise InvalidTransition(
            _("This application has already been submitted."),
            extra={"status": application.status, "version": application.version},
        )
    application_validate(application)
    now = timezone.now()
    application.reference = _next_reference(now)
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    application.tracking_code_hash = make_password(code)
    application.idempotency_key = idempotency_key
    application.save(
        update_fields=["reference", "tracking_code_hash", "idempotency_key"]
    )
    _steps_create(application)
    _transition(
        application,
        to=S.SUBMITTED,
        actor=applicant,
        notify_event="application.submitted",
        notify_context={"submitted_at": now},
    )
    _advance(application, actor=applicant)
    from documents.services import _receipt_create

    _receipt_create(application)
    return application, code


def _steps_create(application: Application) -> None:
    steps = [
        ApplicationStep(
            application=application,
            service_step=s,
            order=s.order,
            name=s.name,
            name_en=s.name_en,
            kind=s.kind,
            agency_id=s.agency_id,
            role=s.role,
            external_system=s.external_system,
            parallel_group=s.parallel_group,
        )
        for s in application.service_version.steps.order_by("order")
    ]
    # Leading applicant steps are the filing itself ("Pengajuan ... oleh
    # pemohon" in the catalogue): the submission does them.
    now = timezone.now()
    for step in steps:
        if step.kind != StepKind.APPLICANT:
            break
        step.status = StepStatus.DONE
        step.started_at = step.finished_at = now
    # Steps are copied once per application; the audit entry below records
    # the copy (the bulk insert is not a change of existing rows).
    ApplicationStep.objects.bulk_create(steps)
    audit_record(
        action="application.steps_create",
        obj=application,
        changes={"steps": [None, len(steps)]},
    )


def _steps_set(steps, status: str) -> None:
    """Set ``status`` on each step, one audited save per row (bulk updates of
    audited models are refused)."""
    for step in steps.select_for_update().order_by("order", "pk"):
        before = step.status
        step.status = status
        step.save(update_fields=["status"])
        audit_record(
            action="application_step.update",
            obj=step,
            changes={"status": [before, status]},
        )


def _next_group(application: Application) -> list[ApplicationStep]:
    """The lowest pending step and the consecutive steps sharing its non-empty
    ``parallel_group`` (fan-out)."""
    pending = list(
        application.steps.select_for_update()
        .filter(status=StepStatus.PENDING)
        .order_by("order", "pk")
    )
    if not pending:
        return []
    first = pending[0]
    if not first.parallel_group:
        return [first]
    group = []
    for step in pending:
        if step.parallel_group != first.parallel_group:
            break
        group.append(step)
    return group


def _advance(application: Application, *, actor) -> None:
    """After a step finishes: when no step is active (join), start the next
    group; applicant steps wait for the applicant; when none is left, the
    application is decided (approved) and issued or completed."""
    if application.steps.filter(status=StepStatus.ACTIVE).exists():
        sla_sync(application, actor=actor)  # a parallel step finished
        return
    now = timezone.now()
    group = _next_group(application)
    if not group:
        if application.status != S.APPROVED:
            if application.status == S.SUBMITTED:
                _transition(application, to=S.IN_PROGRESS, actor=actor)
            _transition(
                application,
                to=S.APPROVED,
                actor=actor,
                notify_event="application.approved",
            )
        _finish(application, actor=actor)
        return
    for step in group:
        step.status = StepStatus.ACTIVE
        step.started_at = now
        step.save(update_fields=["status", "started_at"])
    if group[0].kind == StepKind.APPLICANT:
        _transition(
            application,
            to=S.WAITING_FOR_APPLICANT,
            actor=actor,
            step=group[0],
            reason=group[0].name,
        )
    else:
        sla_sync(application, actor=actor)  # the new steps' ledger segments


def _finish(application: Application, *, actor) -> None:
    from documents.services import _document_issue

    document = _document_issue(application)
    if application.service.category == ServiceCategory.PERMIT:
        _transition(
            application,
            to=S.ISSUED,
            actor=actor,
            notify_event="application.issued",
            notify_context={"document_number": document.number},
        )
    else:
        _transition(
            application,
            to=S.COMPLETED,
            actor=actor,
            notify_event="application.completed",
        )


# --- Officer actions -----------------------------------------------------------------


def _officer_preamble(
    application: Application,
    step: ApplicationStep,
    user,
    seen_version,
    allowed: frozenset = OPEN_FOR_OFFICERS,
) -> tuple[Application, ApplicationStep]:
    application = application_lock(pk=application.pk)
    _ensure_version(application, seen_version)
    step = ApplicationStep.objects.select_for_update().get(
        pk=step.pk, application=application
    )
    if application.status not in allowed:
        raise InvalidTransition(
            _("This application is %(status)s; no step can be acted on now.")
            % {"status": ApplicationStatus(application.status).label},
            extra={"status": application.status, "version": application.version},
        )
    ensure_can_act(user, step)
    return application, step


def _step_done(
    step: ApplicationStep, *, user, action: str, external_reference=""
) -> None:
    step.status = StepStatus.DONE
    step.finished_at = timezone.now()
    step.external_reference = external_reference
    step.assigned_officer = acting_officer_for_step(user, step)
    step.save(
        update_fields=[
            "status",
            "finished_at",
            "external_reference",
            "assigned_officer",
        ]
    )
    audit_record(
        action=f"application_step.{action}",
        obj=step,
        changes={"status": [StepStatus.ACTIVE.value, StepStatus.DONE.value]},
        actor_role=step.role,
        actor_agency=step.agency.code if step.agency else "",
    )


@transaction.atomic(durable=True)
def application_step_complete(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int,
    note: str = "",
    external_reference: str = "",
) -> Application:
    """Finish ``step`` (verified, recommended, or the external result recorded
    with ``external_reference``, required on external-system steps) and move on;
    the last step's completion approves and issues. An approver's step is
    finished with ``application_approve``; steps after it (issuance) run while
    the application is approved. Raises ``ApplicationError`` at the fee step
    (SKRD) of a billed service: it is finished by issuing the bill
    (``payments.services.bill_issue``), else the application would wait for a
    payment that can never be made."""
    from payments.selectors import is_fee_step

    if is_fee_step(step):
        raise ApplicationError(
            _("Assess the levy and issue the bill to finish this step.")
        )
    return _application_step_complete(
        application=application,
        step=step,
        user=user,
        seen_version=seen_version,
        note=note,
        external_reference=external_reference,
    )


def _application_step_complete(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int,
    note: str = "",
    external_reference: str = "",
) -> Application:
    application, step = _officer_preamble(
        application, step, user, seen_version, OPEN_FOR_OFFICERS | {S.APPROVED}
    )
    if step.kind == StepKind.EXTERNAL_SYSTEM and not external_reference.strip():
        raise ApplicationError(
            _("Record the reference of the external result."),
            extra={"field": "external_reference"},
        )
    if step.role == APPROVER and application.status != S.APPROVED:
        raise ApplicationError(_("Approve or reject the application at this step."))
    action = (
        StepAction.RECORD_EXTERNAL
        if step.kind == StepKind.EXTERNAL_SYSTEM
        else StepAction.COMPLETE
    )
    if step.role == AGENCY_HEAD:
        # The agency head grants an objection: the steps the rejection cut off
        # run again from the one that rejected.
        _steps_set(
            application.steps.filter(status=StepStatus.SKIPPED), StepStatus.PENDING
        )
    _step_done(step, user=user, action=action, external_reference=external_reference)
    if application.status == S.SUBMITTED:
        _transition(application, to=S.IN_PROGRESS, actor=user, step=step, action=action)
    else:
        StatusChange.objects.create(
            application=application,
            from_status=application.status,
            to_status=application.status,
            step=step,
            action=action,
            agency=step.agency,
            actor=user,
            reason=note,
        )
        application.version += 1
        application.save(update_fields=["version", "updated_at"])
    nxt = _next_group(application)
    if not application.steps.filter(status=StepStatus.ACTIVE).exists():
        _notify(
            application,
            "application.step_completed",
            {
                "step": BilingualText.of(step),
                "next_step": BilingualText.of(nxt[0]) if nxt else "",
            },
        )
    _advance(application, actor=user)
    return application


@transaction.atomic(durable=True)
def application_request_revision(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int,
    note: str,
    fields: Iterable[str] = (),
    deadline_at: dt.datetime | None = None,
) -> Application:
    """Ask the applicant to fix ``fields`` (form field names or requirement
    codes of the application's service version; anything else raises
    ``ApplicationError``) by ``deadline_at`` (default
    ``PERMITS_REVISION_DAYS`` calendar days). The asking step stays active:
    the resubmission returns to it."""
    application, step = _officer_preamble(application, step, user, seen_version)
    if not note.strip():
        raise ApplicationError(
            _("Say what the applicant must fix."), extra={"field": "note"}
        )
    deadline_at = deadline_at or timezone.now() + dt.timedelta(
        days=settings.PERMITS_REVISION_DAYS
    )
    if deadline_at <= timezone.now():
        raise ApplicationError(
            _("The deadline must be in the future."), extra={"field": "deadline_at"}
        )
    from .forms_schema import revision_targets

    fields = list(dict.fromkeys(fields))
    known = {key for key, _label in revision_targets(application.service_version)}
    unknown = [key for key in fields if key not in known]
    if unknown:
        raise ApplicationError(
            _("Not a field or document of this application: %(keys)s")
            % {"keys": ", ".join(unknown)},
            extra={"field": "fields"},
        )
    application.revision_fields = fields
    application.revision_baseline = _revision_state(application, fields)
    application.applicant_deadline_at = deadline_at
    application.save(
        update_fields=["revision_fields", "revision_baseline", "applicant_deadline_at"]
    )
    _transition(
        application,
        to=S.WAITING_FOR_APPLICANT,
        actor=user,
        step=step,
        action=StepAction.REQUEST_REVISION,
        reason=note,
        notify_event="application.revision_requested",
        notify_context={"note": note, "deadline_at": deadline_at},
    )
    return application


@transaction.atomic(durable=True)
def application_approve(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int,
    note: str = "",
    external_reference: str = "",
) -> Application:
    """The signatory approves at an approver's step; later steps (issuance)
    follow, and when none is left the permit is issued (or the correction
    completed). ``external_reference`` records the number another system gave
    the result (e.g. BPJS's reference of a data correction). Raises
    ``ApplicationError`` at a BPJS approver's step without
    ``external_reference``: a correction ends with BPJS's reference (README,
    ``channeling.services.bpjs_correction_complete``)."""
    from channeling.permissions import BPJS_AGENCIES

    if (
        step.agency_id is not None
        and step.agency.code in BPJS_AGENCIES
        and not external_reference.strip()
    ):
        raise ApplicationError(
            _("Record BPJS's reference of the change on the BPJS correction page."),
            extra={"field": "external_reference"},
        )
    return _application_approve(
        application=application,
        step=step,
        user=user,
        seen_version=seen_version,
        note=note,
        external_reference=external_reference,
    )


def _application_approve(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int | None,
    note: str = "",
    external_reference: str = "",
) -> Application:
    """``application_approve`` inside the caller's transaction."""
    application, step = _officer_preamble(application, step, user, seen_version)
    if step.role not in (APPROVER, AGENCY_HEAD):
        raise ApplicationError(_("Only the signatory approves at this step."))
    if application.status == S.SUBMITTED:
        _transition(application, to=S.IN_PROGRESS, actor=user, step=step)
    _step_done(
        step,
        user=user,
        action=StepAction.APPROVE,
        external_reference=external_reference.strip(),
    )
    _transition(
        application,
        to=S.APPROVED,
        actor=user,
        step=step,
        action=StepAction.APPROVE,
        reason=note,
        notify_event="application.approved",
    )
    _advance(application, actor=user)
    return application


@transaction.atomic(durable=True)
def application_reject(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int,
    reason: str,
) -> Application:
    """Reject with a reason (required); the remaining steps are skipped."""
    return _application_reject(
        application=application,
        step=step,
        user=user,
        seen_version=seen_version,
        reason=reason,
    )


def _application_reject(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int | None,
    reason: str,
) -> Application:
    """``application_reject`` inside the caller's transaction."""
    application, step = _officer_preamble(application, step, user, seen_version)
    if not reason.strip():
        raise ApplicationError(
            _("Give the reason for the rejection."), extra={"field": "reason"}
        )
    _step_done(step, user=user, action=StepAction.REJECT)
    _steps_set(
        application.steps.filter(status__in=[StepStatus.PENDING, StepStatus.ACTIVE]),
        StepStatus.SKIPPED,
    )
    # The rejecting step runs again if an objection is granted.
    step.status = StepStatus.SKIPPED
    step.save(update_fields=["status"])
    _transition(
        application,
        to=S.REJECTED,
        actor=user,
        step=step,
        action=StepAction.REJECT,
        reason=reason,
        notify_event="application.rejected",
        notify_context={"reason": reason},
    )
    return application


# --- Applicant actions ---------------------------------------------------------------


@transaction.atomic(durable=True)
def application_resubmit(
    *, application: Application, applicant, form_data: dict | None = None
) -> Application:
    """Send the revision (or finish an applicant step): the application returns
    to the step that asked. Raises ``ValidationError``, ``InvalidTransition``."""
    application = application_lock(pk=application.pk)
    _ensure_applicant(application, applicant)
    for guard in APPLICANT_STEP_GUARDS:
        if refusal := guard(application):
            raise ApplicationError(refusal)
    if form_data is not None:
        application.form_data = form_data
    _ensure_flagged_items_changed(application)
    application_validate(application)
    application.revision_fields = []
    application.revision_baseline = {}
    application.applicant_deadline_at = None
    application.save(
        update_fields=[
            "form_data",
            "revision_fields",
            "revision_baseline",
            "applicant_deadline_at",
        ]
    )
    applicant_steps = application.steps.filter(
        status=StepStatus.ACTIVE, kind=StepKind.APPLICANT
    )
    for step in applicant_steps:
        step.status = StepStatus.DONE
        step.finished_at = timezone.now()
        step.save(update_fields=["status", "finished_at"])
    _transition(
        application,
        to=S.IN_PROGRESS,
        actor=applicant,
        notify_event="application.resubmitted",
    )
    _advance(application, actor=applicant)
    return application


def _revision_state(application: Application, keys: Iterable[str]) -> dict:
    """``{"fields": {name: answer or None}, "documents": {code: document id or
    None}}`` of ``keys`` (form field names and requirement codes, as in
    ``revision_fields``) now."""
    codes = {
        item.get("code") for item in application.service_version.requirements or []
    }
    linked = dict(
        application.document_links.filter(requirement_code__in=codes).values_list(
            "requirement_code", "document_id"
        )
    )
    state: dict[str, dict] = {"fields": {}, "documents": {}}
    for key in keys:
        if key in codes:
            state["documents"][key] = linked.get(key)
        else:
            state["fields"][key] = (application.form_data or {}).get(key)
    return state


def _ensure_flagged_items_changed(application: Application) -> None:
    """Raise ``ValidationError`` naming the flagged items the applicant has not
    changed since the officer asked: a field with the same answer, a document
    neither uploaded anew nor replaced by another file. Applications asked
    before the baseline was kept (empty ``revision_baseline``) pass."""
    baseline = application.revision_baseline or {}
    if not baseline or not application.revision_fields:
        return
    now = _revision_state(application, application.revision_fields)
    unchanged = [
        key
        for key in application.revision_fields
        for part in ("fields", "documents")
        if key in baseline.get(part, {}) and now[part].get(key) == baseline[part][key]
    ]
    if unchanged:
        labels = dict(application.revision_choices)
        message = _(
            "Not changed yet, though the officer asked: %(items)s. Change "
            "the answer or upload a new file before sending the revision."
        ) % {"items": ", ".join(labels.get(key, key) for key in unchanged)}
        # Keyed like ``application_validate``'s errors (the edit view maps
        # them onto the form; this one is about the whole revision).
        raise ValidationError(
            {NON_FIELD_ERRORS: ValidationError(message, code="revision_unchanged")}
        )


@transaction.atomic(durable=True)
def application_withdraw(
    *, application: Application, applicant, reason: str = ""
) -> Application:
    """Withdraw before a decision (``WITHDRAWABLE``)."""
    application = application_lock(pk=application.pk)
    _ensure_applicant(application, applicant)
    if application.status not in WITHDRAWABLE:
        raise InvalidTransition(
            _("A decided application cannot be withdrawn."),
            extra={"status": application.status, "version": application.version},
        )
    _steps_set(
        application.steps.filter(status__in=[StepStatus.PENDING, StepStatus.ACTIVE]),
        StepStatus.SKIPPED,
    )
    _transition(application, to=S.WITHDRAWN, actor=applicant, reason=reason)
    return application


@transaction.atomic(durable=True)
def application_object(
    *, application: Application, applicant, reason: str
) -> Application:
    """Object to a rejection within ``PERMITS_OBJECTION_DAYS`` calendar days of
    the decision; once per application. The objection becomes a step of the
    head of the service's agency (*keberatan*)."""
    application = application_lock(pk=application.pk)
    _ensure_applicant(application, applicant)
    if application.status != S.REJECTED:
        raise InvalidTransition(
            _("Only a rejected application can be objected to."),
            extra={"status": application.status, "version": application.version},
        )
    if not reason.strip():
        raise ApplicationError(_("Explain why you object."), extra={"field": "reason"})
    limit = application.decided_at + dt.timedelta(days=settings.PERMITS_OBJECTION_DAYS)
    if timezone.now() > limit:
        raise ApplicationError(_("The period for an objection has ended."))
    if application.steps.filter(role=AGENCY_HEAD).exists():
        raise ApplicationError(_("This application has already been objected to."))
    last = application.steps.aggregate(m=Max("order"))["m"] or 0
    first_step = application.service_version.steps.order_by("order").first()
    step = ApplicationStep.objects.create(
        application=application,
        service_step=first_step,
        order=last + 1,
        name=_("Objection decided by the agency head"),
        name_en="Objection decided by the agency head",
        kind=StepKind.AGENCY,
        agency=application.service.agency,
        role=AGENCY_HEAD,
        status=StepStatus.ACTIVE,
        started_at=timezone.now(),
    )
    audit_record(action="application_step.create", obj=step)
    _transition(
        application,
        to=S.IN_PROGRESS,
        actor=applicant,
        step=step,
        action="object",
        reason=reason,
    )
    return application


@transaction.atomic(durable=True)
def application_lapse(*, application_id: int) -> Application | None:
    """Lapse an application whose applicant deadline has passed (beat sweep);
    returns ``None`` when there is nothing to do (safe to run twice)."""
    application = (
        Application.objects.select_for_update().filter(pk=application_id).first()
    )
    if (
        application is None
        or application.status != S.WAITING_FOR_APPLICANT
        or application.applicant_deadline_at is None
        or application.applicant_deadline_at > timezone.now()
    ):
        return None
    _steps_set(
        application.steps.filter(status__in=[StepStatus.PENDING, StepStatus.ACTIVE]),
        StepStatus.SKIPPED,
    )
    _transition(
        application,
        to=S.LAPSED,
        actor=None,
        notify_event="application.deadline_lapsed",
    )
    return application


# --- Payment (issue 13; the bills live in ``payments``) ----------------------------

#: Callables ``(application) -> str``; a non-empty answer (translated) is why
#: the applicant may not finish the open applicant step by resubmitting, e.g.
#: an unpaid bill (``payments`` registers one in its ``AppConfig.ready``).
APPLICANT_STEP_GUARDS: list[Callable[[Application], str]] = []


def application_payment_due(
    *,
    application: Application,
    step: ApplicationStep,
    user,
    seen_version: int | None,
    note: str = "",
) -> Application:
    """The fee-assessment ``step`` (SKRD) is done and a bill was issued: finish
    the step; the next step, the applicant's payment, becomes active and the
    application waits for the applicant (the SLA clock pauses when that step's
    ``pauses_sla`` says so). Not an entry point: ``payments.services.bill_issue``
    calls it inside its transaction. Raises ``ApplicationError`` when no
    applicant step follows ``step`` (the bill would have nobody to wait for),
    and what ``application_step_complete`` raises."""
    application = _application_step_complete(
        application=application,
        step=step,
        user=user,
        seen_version=seen_version,
        note=note,
    )
    if application.status != S.WAITING_FOR_APPLICANT:
        raise ApplicationError(_("No payment step by the applicant follows this step."))
    return application


def application_payment_received(
    *, application: Application, actor, reason: str
) -> Application:
    """The bill of the application's open payment step is paid (gateway
    callback, manual confirmation or an exemption): finish the applicant's
    step and move on to the next step. ``actor`` is ``None`` for the gateway
    (a system). Not an entry point: ``payments.services`` calls it inside its
    transaction. Raises ``InvalidTransition`` unless the application waits for
    the applicant."""
    application = application_lock(pk=application.pk)
    if application.status != S.WAITING_FOR_APPLICANT:
        raise InvalidTransition(
            _("This application is not waiting for a payment."),
            extra={"status": application.status, "version": application.version},
        )
    now = timezone.now()
    for step in application.steps.select_for_update().filter(
        status=StepStatus.ACTIVE, kind=StepKind.APPLICANT
    ):
        step.status = StepStatus.DONE
        step.finished_at = now
        step.save(update_fields=["status", "finished_at"])
        audit_record(
            action="application_step.payment_received",
            obj=step,
            changes={"status": [StepStatus.ACTIVE.value, StepStatus.DONE.value]},
        )
    _transition(
        application,
        to=S.IN_PROGRESS,
        actor=actor,
        action="payment_received",
        reason=reason,
    )
    _advance(application, actor=actor)
    return application


# --- Tracking without login ----------------------------------------------------------


_TYPED_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_./]+")
_TRACKING_CODE = re.compile(r"[0-9A-F]{12}")
_REFERENCE = re.compile(r"PTSP(\d{4})(\d{6,})")


def tracking_code_normalize(code: str) -> str:
    """``"0a49 1ae8ed2b"`` -> ``"0A49-1AE8-ED2B"``: the code as issued
    (``application_submit``: three groups of four hex digits, dashes) from what
    a citizen types, whatever the spaces, dashes and case; anything else is
    returned stripped and upper-cased (it then matches nothing)."""
    compact = _TYPED_SEPARATORS.sub("", code).upper()
    if _TRACKING_CODE.fullmatch(compact):
        return "-".join(compact[i : i + 4] for i in range(0, 12, 4))
    return code.strip().upper()


def reference_normalize(reference: str) -> str:
    """``"ptsp 2026 000123"`` or ``"PTSP2026000123"`` -> ``"PTSP-2026-000123"``
    (the format of ``_next_reference``); anything else stripped, upper-cased."""
    compact = _TYPED_SEPARATORS.sub("", reference).upper()
    match = _REFERENCE.fullmatch(compact)
    if match:
        return f"PTSP-{match[1]}-{match[2]}"
    return reference.strip().upper()


def application_track(*, reference: str, code: str) -> Application | None:
    """The application with ``reference`` when ``code`` matches its tracking
    code, else ``None`` (the same answer for a wrong reference or code). Both
    are normalized first (spaces, dashes, case: ``tracking_code_normalize``,
    ``reference_normalize``)."""
    code = tracking_code_normalize(code)
    application = Application.objects.filter(
        reference=reference_normalize(reference)
    ).first()
    if application is None or not application.tracking_code_hash:
        make_password(code)  # same work either way
        return None
    if not check_password(code, application.tracking_code_hash):
        return None
    return application
