"""Writes of the channeling app. Each entry point owns its transaction.

Assisted submission (issue 8): ``assisted_start`` (find or make the citizen's
account from NIK and phone, open a draft in the citizen's name),
``assisted_update`` / ``assisted_document_upload`` (the operator fills it in),
``assisted_send_code`` (the one-time code to the citizen's phone or e-mail),
``assisted_confirm`` (the citizen's code submits the application: the SLA clock
starts here), ``assisted_cancel``; ``account_claim`` lets a citizen whose
account was made at the counter set a password with the same code.

BPJS corrections: ``bpjs_handover_start`` / ``bpjs_handover_send`` /
``bpjs_handover_poll`` hand a correction to BPJS's system through the adapter
(``channeling.bpjs``); ``bpjs_correction_complete`` records BPJS's reference
and completes the application; ``bpjs_correction_reject`` ends it rejected.

Errors: ``ApplicationError`` subclasses (HTTP 400, translated message),
``django.core.exceptions.ValidationError`` (field-keyed), ``CodeRejected`` /
``CodeRateLimited`` from ``accounts.services.codes``.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from accounts.choices import CodeChannel, CodePurpose
from accounts.models import User
from accounts.nik import nik_parse
from accounts.permissions import APPROVER
from accounts.phones import phone_normalise
from accounts.services.codes import (
    CodeRejected,
    code_consume,
    code_digest,
    code_issue,
    sms_available,
)
from agencies.choices import ApplicantType
from agencies.models import Service
from audit.services import audit_record, personal_ref
from notifications.variables import BilingualText
from permits import services as permits_services
from permits.choices import ApplicationStatus
from permits.models import Application
from permits.permissions import ensure_can_act
from ptsp.exceptions import ApplicationError, InvalidTransition

from .bpjs import (
    BpjsRefused,
    BpjsUnavailable,
    CorrectionRequest,
    HandoverResult,
    bpjs_adapter,
)
from .choices import AssistedStatus, HandoverStatus
from .models import AssistedSubmission, BpjsHandover
from .permissions import ensure_counter_officer
from .selectors import bpjs_step_of

A = AssistedStatus
PURPOSE = CodePurpose.ASSISTED_CONFIRMATION


# --- The citizen at the counter ------------------------------------------------------


def _citizen_for_counter(
    *, nik: str, full_name: str, phone: str, email: str
) -> tuple[User, bool]:
    """The citizen's active account found by NIK, or a new (inactive) one made
    from NIK, name and phone (and e-mail). Returns ``(user, created)``; a
    counter-made account never confirmed is reused. Raises ``ValidationError``
    keyed by field."""
    try:
        nik = nik_parse(nik).nik
    except ValidationError as error:
        raise ValidationError({"nik": error.messages}) from None
    existing = User.objects.filter(nik=nik, is_active=True).order_by("pk").first()
    if existing is not None:
        return existing, False
    errors: dict[str, list[str]] = {}
    if not full_name.strip():
        errors["full_name"] = [_("Enter the citizen's full name.")]
    try:
        phone = phone_normalise(phone) if phone.strip() else ""
    except ValidationError as error:
        errors["phone"] = error.messages
    if not phone and "phone" not in errors:
        errors["phone"] = [_("Enter the citizen's mobile phone number.")]
    email = User.objects.normalize_email(email.strip()) if email.strip() else ""
    if not email and not sms_available() and "phone" not in errors:
        errors["email"] = [
            _(
                "Codes by SMS are not available yet; enter the citizen's e-mail "
                "address to send the code."
            )
        ]
    for field, value in (("phone", phone), ("email", email)):
        lookup = {"email__iexact": value} if field == "email" else {field: value}
        if value and User.objects.filter(is_active=True, **lookup).exists():
            errors.setdefault(field, []).append(
                _(
                    "Another account already uses this; ask the citizen for the "
                    "NIK of that account."
                )
            )
    if errors:
        raise ValidationError(errors)
    user = (
        User.objects.select_for_update()
        .filter(
            nik=nik,
            is_active=False,
            closed_at__isnull=True,
            assisted_submissions__account_created=True,
        )
        .order_by("pk")
        .first()
    )
    created = user is None
    if user is None:
        user = User(username=f"warga-{uuid.uuid4().hex[:12]}", is_active=False)
        user.set_unusable_password()
    user.full_name = full_name.strip()
    user.nik, user.phone, user.email = nik, phone, email
    user.save()
    audit_record(
        action="account.create_at_counter" if created else "account.update_at_counter",
        obj=user,
        changes={
            "full_name": [None, user.full_name],
            **{
                f: [None, personal_ref(user, f)]
                for f in ("nik", "phone", "email")
                if getattr(user, f)
            },
        },
    )
    return user, True


def _code_target(citizen: User) -> tuple[str, str]:
    """Where the code goes: the phone by SMS when SMS is available (verified
    phone for an existing account), else the e-mail address. Raises
    ``ApplicationError`` when neither is possible."""
    phone_ok = bool(citizen.phone) and (
        not citizen.is_active or citizen.phone_verified_at is not None
    )
    if phone_ok and sms_available():
        return CodeChannel.SMS, citizen.phone
    if citizen.email:
        return CodeChannel.EMAIL, citizen.email
    raise ApplicationError(
        _(
            "The code cannot be sent: the account has no e-mail address and SMS is "
            "not available."
        )
    )


def _lock(assisted: AssistedSubmission) -> AssistedSubmission:
    return AssistedSubmission.objects.select_for_update().get(pk=assisted.pk)


def _ensure_operator(assisted: AssistedSubmission, user, *statuses) -> None:
    officer = ensure_counter_officer(user)
    if officer.office_id != assisted.office_id:
        raise ApplicationError(_("This was filed at another office."))
    if statuses and assisted.status not in statuses:
        raise InvalidTransition(
            _("This submission is %(status)s and cannot be changed now.")
            % {"status": AssistedStatus(assisted.status).label},
            extra={"status": assisted.status},
        )


# --- Assisted submission -------------------------------------------------------------


@transaction.atomic(durable=True)
def assisted_start(
    *,
    user,
    service: Service,
    nik: str,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> AssistedSubmission:
    """Open a draft of ``service`` in the citizen's name at the operator's
    office. The citizen is found by NIK (an active account) or gets a new,
    inactive account from NIK, name and phone (e-mail too while SMS is not
    available). The draft's identity fields are filled in from the account.

    Raises ``NotAtCounter`` (the user is not a counter officer),
    ``ValidationError`` (field-keyed: NIK, name, phone, e-mail),
    ``ApplicationError`` (a service for businesses only, an unpublished service,
    the operator's own account)."""
    operator = ensure_counter_officer(user)
    if service.applicant_type == ApplicantType.BUSINESS:
        raise ApplicationError(
            _("Services for businesses are filed by the business itself online.")
        )
    citizen, created = _citizen_for_counter(
        nik=nik, full_name=full_name, phone=phone, email=email
    )
    if citizen.pk == user.pk:
        raise ApplicationError(_("You cannot file for yourself at the counter."))
    form = {"full_name": citizen.full_name, "nik": citizen.nik}
    if citizen.phone:
        form["phone"] = citizen.phone
    application = permits_services._application_create_draft(
        applicant=citizen, service=service, form_data=form
    )
    assisted = AssistedSubmission.objects.create(
        application=application,
        office_id=operator.office_id,
        operator=operator,
        citizen=citizen,
        account_created=created,
    )
    audit_record(
        action="assisted.start",
        obj=assisted,
        changes={"office": [None, operator.office.code]},
        actor_role=operator.role,
    )
    return assisted


def assisted_update(*, assisted: AssistedSubmission, user, form_data: dict) -> None:
    """Save the answers the operator typed (no validation: a draft). Raises
    ``NotAtCounter``, ``ApplicationError``, ``InvalidTransition``."""
    _ensure_operator(assisted, user, A.DRAFT)
    permits_services.application_update_draft(
        application=assisted.application,
        applicant=assisted.citizen,
        form_data=form_data,
    )


def assisted_document_upload(
    *,
    assisted: AssistedSubmission,
    user,
    requirement_code: str,
    content: bytes,
    original_name: str = "",
):
    """Store an evidence document (scanned at the counter) in the citizen's
    documents and attach it to the draft (``permits.services.document_upload``:
    PDF, JPEG or PNG, sniffed)."""
    _ensure_operator(assisted, user, A.DRAFT)
    return permits_services.document_upload(
        owner=assisted.citizen,
        requirement_code=requirement_code,
        content=content,
        original_name=original_name,
        application=assisted.application,
    )


@transaction.atomic(durable=True)
def assisted_send_code(*, assisted: AssistedSubmission, user) -> AssistedSubmission:
    """Check the answers against the form's JSON Schema and send the citizen
    the confirmation code (event ``channeling.confirmation_code``, valid
    ``PTSP_OTP_VALID_MINUTES``); sending again replaces the earlier code.

    Raises ``ValidationError`` (answers), ``CodeRateLimited`` (too soon),
    ``ApplicationError``."""
    assisted = _lock(assisted)
    _ensure_operator(assisted, user, A.DRAFT, A.AWAITING_CONFIRMATION)
    application = assisted.application
    permits_services.application_validate(application)
    channel, address = _code_target(assisted.citizen)
    code_issue(
        user=assisted.citizen,
        purpose=PURPOSE,
        channel=channel,
        address=address,
        event="channeling.confirmation_code",
        context={
            "service": BilingualText.of(application.service_version),
            "office": BilingualText.of(assisted.office),
            "operator": assisted.operator.user.get_full_name(),
        },
    )
    before = assisted.status
    assisted.status = A.AWAITING_CONFIRMATION
    assisted.code_channel, assisted.code_address = channel, address
    assisted.code_sent_at = timezone.now()
    assisted.save(
        update_fields=[
            "status",
            "code_channel",
            "code_address",
            "code_sent_at",
            "updated_at",
        ]
    )
    audit_record(
        action="assisted.code_sent",
        obj=assisted,
        changes={"status": [before, assisted.status], "channel": [None, channel]},
    )
    return assisted


def assisted_confirm(
    *, assisted: AssistedSubmission, code: str
) -> tuple[AssistedSubmission, str | None]:
    """The citizen's code: the application is submitted now (reference, steps,
    SLA clock) and an account made at the counter becomes active, its phone
    (or e-mail) verified by the code. Returns ``(assisted, tracking_code)``;
    confirming a confirmed submission again returns it with ``None``.

    A wrong code counts a try (committed) and raises ``CodeRejected``; also
    ``ValidationError`` (answers, or the phone/NIK taken by another account
    meanwhile) and ``InvalidTransition``."""
    tracking_code = None
    with transaction.atomic(durable=True):
        assisted = _lock(assisted)
        if assisted.status == A.CONFIRMED:
            return assisted, None
        if assisted.status != A.AWAITING_CONFIRMATION:
            raise InvalidTransition(
                _("Send the code to the citizen first."),
                extra={"status": assisted.status},
            )
        citizen = User.objects.select_for_update().get(pk=assisted.citizen_id)
        permits_services.application_validate(assisted.application)
        check = code_consume(user=citizen, purpose=PURPOSE, code=code)
        if check.ok:
            now = timezone.now()
            if assisted.account_created and not citizen.is_active:
                _activate(citizen, channel=check.row.channel, at=now)
            submitted, tracking_code = permits_services._application_submit(
                application=assisted.application,
                applicant=citizen,
                idempotency_key=f"assisted-{assisted.uuid.hex}",
            )
            assisted.application = submitted  # its reference, for the caller
            assisted.status = A.CONFIRMED
            assisted.confirmed_at = submitted.submitted_at  # the SLA clock's start
            if assisted.account_created:
                assisted.claim_code_hash = check.row.code_hash
                assisted.claim_until = now + dt.timedelta(
                    days=settings.CHANNELING_CLAIM_DAYS
                )
            assisted.save(
                update_fields=[
                    "status",
                    "confirmed_at",
                    "claim_code_hash",
                    "claim_until",
                    "updated_at",
                ]
            )
            audit_record(
                action="assisted.confirm",
                obj=assisted,
                changes={"status": [A.AWAITING_CONFIRMATION.value, A.CONFIRMED.value]},
            )
    if check.error is not None:
        raise check.error
    return assisted, tracking_code


def _activate(citizen: User, *, channel: str, at: dt.datetime) -> None:
    citizen.is_active = True
    if channel == CodeChannel.SMS:
        citizen.phone_verified_at = at
    else:
        citizen.email_verified_at = at
    try:
        with transaction.atomic():
            citizen.save(
                update_fields=["is_active", "phone_verified_at", "email_verified_at"]
            )
    except IntegrityError:
        raise ValidationError(
            _("Another account already uses this phone number, e-mail or NIK.")
        ) from None
    audit_record(
        action="account.verify",
        obj=citizen,
        changes={"is_active": [False, True], "verified": [None, PURPOSE.value]},
        reason="confirmed an application at a service point",
    )


def assisted_cancel(*, assisted: AssistedSubmission, user, reason: str = "") -> None:
    """Give up before the citizen confirmed (the citizen left, changed their
    mind): the draft is withdrawn and the submission cancelled."""
    _ensure_operator(assisted, user, A.DRAFT, A.AWAITING_CONFIRMATION)
    application = assisted.application
    if application.status != ApplicationStatus.WITHDRAWN:
        permits_services.application_withdraw(
            application=application, applicant=assisted.citizen, reason=reason
        )
    with transaction.atomic(durable=True):
        assisted = _lock(assisted)
        if assisted.status in (A.DRAFT, A.AWAITING_CONFIRMATION):
            before = assisted.status
            assisted.status = A.CANCELLED
            assisted.save(update_fields=["status", "updated_at"])
            audit_record(
                action="assisted.cancel",
                obj=assisted,
                changes={"status": [before, A.CANCELLED.value]},
                reason=reason,
            )


def _claimable(identifier: str) -> AssistedSubmission | None:
    identifier = (identifier or "").strip()
    digits = "".join(c for c in identifier if c.isdigit())
    candidates = AssistedSubmission.objects.filter(
        status=A.CONFIRMED,
        account_created=True,
        claimed_at__isnull=True,
        claim_until__gt=timezone.now(),
        citizen__is_active=True,
    )
    if len(digits) == 16:
        candidates = candidates.filter(citizen__nik=digits)
    else:
        try:
            candidates = candidates.filter(citizen__phone=phone_normalise(identifier))
        except ValidationError:
            return None
    return candidates.select_related("citizen").order_by("-confirmed_at").first()


def account_claim(*, identifier: str, code: str, new_password: str) -> User:
    """Claim an account made at a counter: the NIK or phone number, the code of
    the confirmation and a new password. Afterwards the citizen logs in like
    anyone else. Within ``CHANNELING_CLAIM_DAYS`` of the confirmation, once.

    Raises ``ValidationError`` (key ``new_password``) for a weak password and
    ``CodeRejected`` for a wrong code, an unknown person or a spent claim (the
    same message: nobody learns whether an account exists)."""
    assisted = _claimable(identifier)
    wrong = CodeRejected(_("This code is not right. Check it and try again."))
    if assisted is None:
        raise wrong
    try:
        validate_password(new_password, assisted.citizen)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    error = None
    with transaction.atomic(durable=True):
        assisted = _lock(assisted)
        citizen = User.objects.select_for_update().get(pk=assisted.citizen_id)
        if assisted.claimed_at is not None:
            error = wrong
        elif assisted.claim_attempts >= settings.PTSP_OTP_MAX_ATTEMPTS:
            error = CodeRejected(
                _("Too many wrong codes. Reset your password with your e-mail instead.")
            )
        elif not constant_time_compare(
            code_digest(user=citizen, purpose=PURPOSE, code=code),
            assisted.claim_code_hash,
        ):
            assisted.claim_attempts += 1
            assisted.save(update_fields=["claim_attempts", "updated_at"])
            error = wrong
        else:
            citizen.set_password(new_password)
            citizen.save(update_fields=["password"])
            assisted.claimed_at = timezone.now()
            assisted.save(update_fields=["claimed_at", "updated_at"])
            audit_record(action="account.claim", obj=citizen)
            audit_record(
                action="assisted.claim",
                obj=assisted,
                changes={"claimed_at": [None, assisted.claimed_at.isoformat()]},
            )
    if error is not None:
        raise error
    return citizen


# --- BPJS corrections ----------------------------------------------------------------


def _bpjs_step(application: Application, user):
    step = bpjs_step_of(application)
    if step is None:
        raise ApplicationError(_("No BPJS step of this application is open now."))
    ensure_can_act(user, step)
    if step.role != APPROVER:
        raise ApplicationError(
            _("Finish the check of the documents first; the data is changed after.")
        )
    return step


def correction_request(application: Application) -> CorrectionRequest:
    """The adapter's view of a BPJS correction (see ``CorrectionRequest``)."""
    data = application.form_data or {}
    documents = [
        {
            "requirement": link.requirement_code,
            "sha256": link.document.sha256,
            "content_type": link.document.content_type,
        }
        for link in application.document_links.select_related("document").order_by(
            "requirement_code"
        )
    ]
    return CorrectionRequest(
        system=application.service.agency.code,
        reference=application.reference or str(application.uuid),
        participant_number=str(data.get("participant_number", "")),
        nik=str(data.get("nik", "")),
        full_name=str(data.get("full_name", "")),
        data_item=str(data.get("data_item", "")),
        old_value=str(data.get("old_value", "")),
        new_value=str(data.get("new_value", "")),
        effective_date=str(data.get("effective_date", "")),
        documents=documents,
    )


@transaction.atomic(durable=True)
def bpjs_handover_start(*, application: Application, user) -> BpjsHandover:
    """Hand the correction at its BPJS data-update step to BPJS's system: a
    ``BpjsHandover`` waiting to be sent, sent after commit
    (``bpjs_handover_send_task``). An open hand-over of the step is returned
    as is. Raises ``ApplicationError`` (no BPJS step open, the user may not act
    on it, or no adapter is configured for the agency)."""
    from .tasks import bpjs_handover_send_task

    application = permits_services.application_lock(pk=application.pk)
    step = _bpjs_step(application, user)
    if bpjs_adapter(step.agency.code) is None:
        raise ApplicationError(
            _(
                "No connection to %(system)s is configured; record BPJS's reference "
                "when the change is done."
            )
            % {"system": step.agency.short_name or step.agency.name}
        )
    open_ = step.bpjs_handovers.filter(
        status__in=[HandoverStatus.PENDING, HandoverStatus.SENT]
    ).first()
    if open_ is not None:
        return open_
    handover = BpjsHandover.objects.create(
        application=application, step=step, system=step.agency.code, sent_by=user
    )
    audit_record(action="bpjs_handover.create", obj=handover)
    # ``robust``: with the broker down the request still succeeds; the beat
    # poll (``bpjs_handovers_poll_task``) sends the pending hand-over.
    handover_id = handover.pk
    transaction.on_commit(
        lambda: bpjs_handover_send_task.delay(handover_id), robust=True
    )
    return handover


def bpjs_handover_send(*, handover_id: int) -> BpjsHandover | None:
    """Send a pending hand-over (task and beat sweep; safe to run twice: BPJS
    dedupes by the application's reference). A transport error keeps it
    pending (counted in ``attempts``) for the next sweep; a refusal fails it."""
    handover = BpjsHandover.objects.filter(
        pk=handover_id, status=HandoverStatus.PENDING
    ).first()
    if handover is None:
        return None
    adapter = bpjs_adapter(handover.system)
    if adapter is None:
        return None
    request = correction_request(handover.application)
    try:
        result = adapter.submit(request)  # network: outside any transaction
    except (BpjsUnavailable, BpjsRefused) as error:
        return _handover_error(handover.pk, error)
    return _handover_apply(handover.pk, result, sending=True)


def bpjs_handover_poll(*, handover_id: int) -> BpjsHandover | None:
    """Ask BPJS about a sent hand-over and apply a final answer."""
    handover = BpjsHandover.objects.filter(
        pk=handover_id, status=HandoverStatus.SENT
    ).first()
    adapter = bpjs_adapter(handover.system) if handover else None
    if handover is None or adapter is None:
        return None
    try:
        result = adapter.status(handover.ticket)
    except (BpjsUnavailable, BpjsRefused) as error:
        return _handover_error(handover.pk, error)
    return _handover_apply(handover.pk, result, sending=False)


@transaction.atomic(durable=True)
def _handover_error(handover_id: int, error: Exception) -> BpjsHandover:
    handover = BpjsHandover.objects.select_for_update().get(pk=handover_id)
    handover.attempts += 1
    handover.reason = str(error)[:500]
    fields = ["attempts", "reason", "updated_at"]
    if isinstance(error, BpjsRefused) and handover.status == HandoverStatus.PENDING:
        handover.status = HandoverStatus.FAILED
        handover.finished_at = timezone.now()
        fields += ["status", "finished_at"]
    handover.save(update_fields=fields)
    audit_record(
        action="bpjs_handover.error",
        obj=handover,
        changes={"attempts": [handover.attempts - 1, handover.attempts]},
        reason=handover.reason,
    )
    return handover


@transaction.atomic(durable=True)
def _handover_apply(
    handover_id: int, result: HandoverResult, *, sending: bool
) -> BpjsHandover:
    handover = BpjsHandover.objects.select_for_update().get(pk=handover_id)
    expected = HandoverStatus.PENDING if sending else HandoverStatus.SENT
    if handover.status != expected:
        return handover  # another worker got there first
    before = handover.status
    now = timezone.now()
    if sending:
        handover.ticket, handover.sent_at = result.ticket, now
    handover.attempts += 1
    handover.status = HandoverStatus.SENT
    if result.state == "completed":
        handover.status = HandoverStatus.COMPLETED
        handover.external_reference = result.reference[:120]
        handover.finished_at = now
    elif result.state == "rejected":
        handover.status = HandoverStatus.REJECTED
        handover.reason = result.reason[:500]
        handover.finished_at = now
    handover.save()
    audit_record(
        action=f"bpjs_handover.{handover.status}",
        obj=handover,
        changes={"status": [before, handover.status]},
    )
    if handover.status in (HandoverStatus.COMPLETED, HandoverStatus.REJECTED):
        _finish_correction(handover)
    return handover


def _finish_correction(handover: BpjsHandover) -> None:
    application = handover.application
    step = handover.step
    if handover.status == HandoverStatus.COMPLETED:
        permits_services._application_approve(
            application=application,
            step=step,
            user=handover.sent_by,
            seen_version=None,
            note=_("Done by BPJS, reference %(reference)s.")
            % {"reference": handover.external_reference},
            external_reference=handover.external_reference,
        )
    else:
        permits_services._application_reject(
            application=application,
            step=step,
            user=handover.sent_by,
            seen_version=None,
            reason=_("Refused by BPJS: %(reason)s")
            % {"reason": handover.reason or "-"},
        )


@transaction.atomic(durable=True)
def bpjs_correction_complete(
    *, application: Application, user, reference: str, seen_version: int | None
) -> Application:
    """The BPJS officer records the reference BPJS gave the done change: the
    data-update step is done and the application completed. An open hand-over
    of the step is closed with the same reference. Raises ``ApplicationError``
    (no reference, not at the data-update step), ``StaleVersion``."""
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(
            _("Record BPJS's reference of the change."),
            extra={"field": "reference"},
        )
    application = permits_services.application_lock(pk=application.pk)
    step = _bpjs_step(application, user)
    for handover in step.bpjs_handovers.select_for_update().filter(
        status__in=[HandoverStatus.PENDING, HandoverStatus.SENT]
    ):
        before = handover.status
        handover.status = HandoverStatus.COMPLETED
        handover.external_reference = reference[:120]
        handover.finished_at = timezone.now()
        handover.save()
        audit_record(
            action="bpjs_handover.completed",
            obj=handover,
            changes={"status": [before, handover.status]},
            reason="recorded by the officer",
        )
    return permits_services._application_approve(
        application=application,
        step=step,
        user=user,
        seen_version=seen_version,
        note=_("BPJS reference %(reference)s.") % {"reference": reference},
        external_reference=reference,
    )


@transaction.atomic(durable=True)
def bpjs_correction_reject(
    *, application: Application, user, reason: str, seen_version: int | None
) -> Application:
    """End the correction rejected with ``reason`` (required), e.g. the
    evidence does not support the new value."""
    application = permits_services.application_lock(pk=application.pk)
    step = bpjs_step_of(application)
    if step is None:
        raise ApplicationError(_("No BPJS step of this application is open now."))
    return permits_services._application_reject(
        application=application,
        step=step,
        user=user,
        seen_version=seen_version,
        reason=reason,
    )
