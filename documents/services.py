"""Writes of issued documents. Entry points own their transaction; the
``_``-prefixed functions are called by the workflow (``permits.services``)
inside its transaction.

Numbering: ``<seq>/<SERVICE>/<ISSUER>/<year>``, one sequence per service and
WIB year (``DocumentCounter``; Perwali on *tata naskah dinas* numbers letters
per unit and year). Validity: ``ServiceVersion.validity_months`` (catalogue
``validity.months``), counted from the issue date in WIB; empty means
indefinite. Errors: ``ApplicationError`` (HTTP 400), ``PermissionDenied``.
"""

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.nik import nik_mask
from accounts.permissions import user_can
from agencies.choices import ServiceCategory
from audit.services import audit_record
from notifications.services import notify
from notifications.variables import BilingualText
from permits.choices import ApplicationStatus, StepAction
from permits.models import Application
from ptsp.exceptions import ApplicationError
from ptsp.files import atomic_with_files

from .choices import DocumentKind, RenderStatus, Validity
from .models import DocumentCounter, IssuedDocument, RenewalLink

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def _token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def _holder(application: Application) -> tuple[str, str]:
    """``(name, identifier)`` of whom the document is for: the business (NIB),
    the subject of the application, or the applicant (NIK from the form)."""
    if application.business_id:
        return application.business.name, application.business.nib or ""
    subject = application.subject or {}
    if subject.get("full_name"):
        return subject["full_name"], subject.get("nik", "")
    form = application.form_data or {}
    name = (
        form.get("full_name")
        or getattr(application.applicant, "full_name", "")
        or application.applicant.get_username()
    )
    return name, str(form.get("nik", ""))


def mask_identifier(value: str) -> str:
    """NIK as ``nik_mask``; other identifiers keep their last four characters."""
    if len(value) == 16 and value.isdigit():
        return nik_mask(value)
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def mask_name(name: str) -> str:
    """``Siti Rahma`` -> ``Si** Ra***``: two letters of each word stay."""
    return " ".join(w[:2] + "*" * max(len(w) - 2, 0) for w in name.split())


def kind_for(application: Application) -> DocumentKind:
    """Permit for permit services, completion notice for data corrections,
    decision letter for the rest (catalogue ``category``)."""
    category = application.service.category
    if category == ServiceCategory.PERMIT:
        return DocumentKind.PERMIT
    if category == ServiceCategory.DATA_CORRECTION:
        return DocumentKind.COMPLETION_NOTICE
    return DocumentKind.DECISION_LETTER


def _next_number(application: Application, now: dt.datetime) -> str:
    year = now.astimezone(WIB).year
    service = application.service
    DocumentCounter.objects.get_or_create(service=service, year=year)
    counter = DocumentCounter.objects.select_for_update().get(
        service=service, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    audit_record(
        action="document_counter.next",
        obj=counter,
        changes={"last_number": [counter.last_number - 1, counter.last_number]},
    )
    issuer = service.issuer_agency or service.agency
    return f"{counter.last_number:04d}/{service.code.upper()}/{issuer.code}/{year}"


def valid_until_for(application: Application, issued_at: dt.datetime):
    """End of the last valid day (23:59:59 WIB) ``validity_months`` after
    ``issued_at``, as aware UTC; ``None`` when the catalogue gives no months."""
    months = application.service_version.validity_months
    if not months:
        return None
    day = issued_at.astimezone(WIB).date()
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp the 31st to the month's last day.
    for d in (day.day, 30, 29, 28):
        try:
            end = dt.date(year, month, d)
            break
        except ValueError:
            continue
    last = end - dt.timedelta(days=1)
    return dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=WIB).astimezone(dt.UTC)


def _signatory(application: Application) -> tuple[str, str]:
    """``(name, position)`` of the officer who approved (the last approval in
    the history), e.g. ``("Budi", "Approver and signatory, DPMPTSP")``."""
    change = (
        application.status_changes.filter(action=StepAction.APPROVE)
        .select_related("actor", "agency")
        .order_by("-created_at", "-pk")
        .first()
    )
    if change is None or change.actor is None:
        return "", ""
    user = change.actor
    name = getattr(user, "full_name", "") or user.get_full_name() or user.username
    officer = getattr(user, "officer", None)
    position = ""
    if officer is not None:
        from accounts.choices import OfficerRole

        with_agency = officer.agency.name if officer.agency_id else ""
        position = ", ".join(
            p for p in (str(OfficerRole(officer.role).label), with_agency) if p
        )
    return name, position


def _receipt_data(application: Application) -> dict:
    requirements = {
        r.get("code"): r.get("name", r.get("code"))
        for r in application.service_version.requirements or []
    }
    received = [
        {
            "code": link.requirement_code,
            "name": requirements.get(link.requirement_code, link.requirement_code),
            "file": link.document.original_name,
        }
        for link in application.document_links.select_related("document").order_by(
            "requirement_code"
        )
    ]
    return {"documents_received": received}


def _receipt_create(application: Application) -> IssuedDocument:
    """The receipt (*tanda terima*) of a just-submitted application; its PDF is
    rendered after commit. Call inside the submission's transaction."""
    name, identifier = _holder(application)
    document = IssuedDocument.objects.create(
        kind=DocumentKind.RECEIPT,
        application=application,
        service=application.service,
        number=application.reference,
        verification_token=_token(),
        holder_name=name,
        holder_identifier=identifier[:32],
        data=_receipt_data(application),
        issued_at=application.submitted_at or timezone.now(),
    )
    audit_record(action="document.create", obj=document)
    _render_on_commit(document)
    return document


def _document_issue(application: Application) -> IssuedDocument:
    """The permit, decision letter or completion notice of an approved
    application, numbered now, rendered and signed after commit. When the
    application renews an earlier permit, that one is superseded. Call inside
    the issuing transaction (``permits.services._finish``)."""
    now = timezone.now()
    name, identifier = _holder(application)
    signatory, position = _signatory(application)
    document = IssuedDocument.objects.create(
        kind=kind_for(application),
        application=application,
        service=application.service,
        number=_next_number(application, now),
        verification_token=_token(),
        holder_name=name,
        holder_identifier=identifier[:32],
        data={
            "form": application.form_data or {},
            "validity_text": application.service_version.validity_text,
        },
        issued_at=now,
        valid_until=valid_until_for(application, now),
        signatory_name=signatory,
        signatory_position=position,
    )
    audit_record(action="document.issue", obj=document)
    renewal = RenewalLink.objects.filter(application=application).first()
    if renewal is not None:
        previous = IssuedDocument.objects.select_for_update().get(
            pk=renewal.previous_id
        )
        if previous.superseded_by_id is None:
            previous.superseded_by = document
            previous.save(update_fields=["superseded_by", "updated_at"])
            audit_record(
                action="document.supersede",
                obj=previous,
                changes={"superseded_by": [None, document.pk]},
            )
    _render_on_commit(document)
    return document


def _render_on_commit(document: IssuedDocument) -> None:
    from .tasks import document_render_task

    # ``robust``: with the broker down the request still succeeds; the beat
    # sweep (``documents_render_pending_task``) renders the pending document.
    document_id = document.pk
    transaction.on_commit(lambda: document_render_task.delay(document_id), robust=True)


def document_store_file(*, document_id: int, pdf: bytes, signed: bool) -> bool:
    """Store the rendered PDF of a pending document once (safe to run twice:
    returns ``False`` when a file is already there).

    The outermost transaction of the render task: if it rolls back (the audit
    entry or the commit fails) the stored PDF is deleted again
    (``ptsp.files.atomic_with_files``), so no orphan is left in storage."""
    with atomic_with_files(durable=True) as files:
        document = IssuedDocument.objects.select_for_update().get(pk=document_id)
        if document.render_status == RenderStatus.READY:
            return False
        digest = hashlib.sha256(pdf).hexdigest()
        files.save(document.file, f"{secrets.token_hex(16)}.pdf", ContentFile(pdf))
        document.sha256 = digest
        document.signed = signed
        document.render_status = RenderStatus.READY
        document.save(
            update_fields=["file", "sha256", "signed", "render_status", "updated_at"]
        )
        audit_record(
            action="document.render",
            obj=document,
            changes={"sha256": [None, digest], "signed": [None, signed]},
        )
    return True


def document_render_failed(*, document_id: int) -> None:
    """Mark a pending document whose PDF cannot be made (not a transient
    error); ``manage.py shell`` or a fix and a reset to pending retries it."""
    with transaction.atomic():
        document = (
            IssuedDocument.objects.select_for_update().filter(pk=document_id).first()
        )
        if document is None or document.render_status != RenderStatus.PENDING:
            return
        document.render_status = RenderStatus.FAILED
        document.save(update_fields=["render_status", "updated_at"])
        audit_record(
            action="document.render_failed",
            obj=document,
            changes={"render_status": [RenderStatus.PENDING, RenderStatus.FAILED]},
        )


@transaction.atomic(durable=True)
def document_revoke(*, document: IssuedDocument, user, reason: str) -> IssuedDocument:
    """Revoke with a reason (required); the verification page shows it at once
    and the holder is told. Raises ``PermissionDenied`` (not the issuing
    agency's signatory or an admin), ``ApplicationError`` (no reason, already
    revoked, a receipt)."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if not user_can(user, "document.revoke", document):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not reason.strip():
        raise ApplicationError(
            _("Give the reason for the revocation."), extra={"field": "reason"}
        )
    if document.kind == DocumentKind.RECEIPT:
        raise ApplicationError(_("A receipt cannot be revoked."))
    if document.revoked_at is not None:
        raise ApplicationError(_("This document is already revoked."))
    document.revoked_at = timezone.now()
    document.revoked_by = user
    document.revocation_reason = reason.strip()
    document.save(
        update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"]
    )
    audit_record(
        action="document.revoke",
        obj=document,
        changes={"revoked_at": [None, document.revoked_at.isoformat()]},
        reason=document.revocation_reason,
    )
    notify(
        event="document.revoked",
        recipient=document.application.applicant,
        context={
            "number": document.number,
            "service": BilingualText.of(document.application.service_version),
            "reason": document.revocation_reason,
        },
        dedupe_key=f"document:{document.pk}:revoked",
    )
    return document


def renewal_reminder_send(*, document_id: int) -> bool:
    """Tell the holder their permit expires soon (once per document; safe to
    run twice). Returns whether a reminder was written now."""
    with transaction.atomic():
        document = (
            IssuedDocument.objects.select_for_update()
            .select_related("application__service_version", "application__applicant")
            .filter(pk=document_id)
            .first()
        )
        if (
            document is None
            or document.renewal_reminder_sent_at is not None
            or document.validity() != Validity.VALID
            or document.valid_until is None
        ):
            return False
        document.renewal_reminder_sent_at = timezone.now()
        document.save(update_fields=["renewal_reminder_sent_at", "updated_at"])
        audit_record(action="document.renewal_reminder", obj=document)
        from django.urls import reverse

        notify(
            event="permit.renewal_reminder",
            recipient=document.application.applicant,
            context={
                "document_number": document.number,
                "service": BilingualText.of(document.application.service_version),
                "expires_on": document.valid_until.astimezone(WIB).date(),
                "url": settings.PORTAL_BASE_URL.rstrip("/")
                + reverse("documents:detail", kwargs={"uuid": document.uuid}),
            },
            dedupe_key=f"document:{document.pk}:renewal_reminder",
        )
    return True


def documents_due_for_reminder(now: dt.datetime | None = None):
    """Ids of valid permits expiring within ``DOCUMENTS_RENEWAL_REMINDER_DAYS``
    calendar days that were not reminded yet."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.DOCUMENTS_RENEWAL_REMINDER_DAYS)
    return (
        IssuedDocument.objects.filter(
            kind=DocumentKind.PERMIT,
            valid_until__gt=now,
            valid_until__lte=horizon,
            revoked_at__isnull=True,
            superseded_by__isnull=True,
            renewal_reminder_sent_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def renewal_start(*, document: IssuedDocument, user) -> Application:
    """Start a renewal application from ``document`` (a permit the user holds):
    a draft of the service's current version with the old answers, linked to
    the old permit (superseded when the new one is issued). Raises
    ``ApplicationError`` (not a permit, revoked, superseded, renewal already
    open) and ``PermissionDenied``."""
    from permits.services import application_create_draft

    if not user_can(user, "document.renew", document):
        raise PermissionDenied(_("You are not allowed to do this."))
    if document.kind != DocumentKind.PERMIT:
        raise ApplicationError(_("Only a permit can be renewed."))
    if document.validity() in (Validity.REVOKED, Validity.SUPERSEDED):
        raise ApplicationError(_("A revoked or superseded permit cannot be renewed."))
    open_renewal = document.renewals.exclude(
        application__status__in=[
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.REJECTED,
            ApplicationStatus.LAPSED,
        ]
    ).first()
    if open_renewal is not None:
        return open_renewal.application
    old = document.application
    draft = application_create_draft(
        applicant=user,
        service=old.service,
        form_data=dict(old.form_data or {}),
        business=old.business,
        subject=old.subject,
    )
    # A second, short transaction: ``application_create_draft`` is a durable
    # entry point of its own. A failure here leaves an ordinary draft.
    with transaction.atomic():
        link = RenewalLink.objects.create(application=draft, previous=document)
        audit_record(action="document.renewal_start", obj=link)
    return draft


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
