"""Writes of fees and payments. Entry points own their transaction.

Billing goes through the shared workflow: ``bill_issue`` finishes the
fee-assessment step (``permits.services.application_payment_due``), so the
application waits for the applicant at the payment step and the SLA clock
pauses there when the step says so; a payment (gateway callback or manual
confirmation) calls ``permits.services.application_payment_received`` and the
application moves to its next step. Errors: ``ApplicationError`` (HTTP 400),
``InvalidTransition``/``StaleVersion`` (409), ``PermissionDenied`` (403).
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import filetype

from accounts.permissions import ensure_can
from audit.services import audit_record
from notifications.services import notify
from notifications.variables import BilingualText
from permits.choices import ApplicationStatus
from permits.models import Application, ApplicationStep
from permits.services import application_payment_due, application_payment_received
from permits.workflow import FINAL
from ptsp.exceptions import ApplicationError, InvalidTransition
from ptsp.files import atomic_with_files

from .choices import (
    BillStatus,
    CallbackOutcome,
    PaymentChannel,
    RefundStatus,
    RuleStatus,
)
from .fees import assess, rule_defaults
from .gateways import MalformedMessage, get_gateway
from .models import Bill, FeeRule, GatewayCallback, Payment, Refund
from .selectors import refundable_amount
from .templatetags.payments import rupiah

WIB = dt.timezone(dt.timedelta(hours=7))
EVIDENCE_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


# --- Fee rules -----------------------------------------------------------------------


def _fee_rule_ensure(service) -> FeeRule:
    """The saved rule of ``service``, created from the catalogue if missing."""
    rule = FeeRule.objects.select_for_update().filter(service=service).first()
    if rule is not None:
        return rule
    rule = FeeRule.objects.create(
        service=service, **rule_defaults(service.current_version)
    )
    audit_record(action="fee_rule.create", obj=rule, reason="catalogue")
    return rule


@transaction.atomic(durable=True)
def fee_rules_sync() -> int:
    """Create the missing fee rule of every service with a current version
    from its catalogue fee entry; never touches existing rules (admins own
    them once created). Returns how many were created. Idempotent."""
    from agencies.models import Service

    created = 0
    services = Service.objects.filter(
        current_version__isnull=False, fee_rule__isnull=True
    ).select_related("current_version")
    for service in services.order_by("pk"):
        _fee_rule_ensure(service)
        created += 1
    return created


@transaction.atomic(durable=True)
def fee_rule_confirm(*, rule: FeeRule, user, basis: str = "") -> FeeRule:
    """An administrator confirms the rule's parameters: no longer shown as
    assumed. Raises ``PermissionDenied``."""
    return _fee_rule_confirm(rule=rule, user=user, basis=basis)


def _fee_rule_confirm(*, rule: FeeRule, user, basis: str = "") -> FeeRule:
    ensure_can(user, "fee_rule.confirm", rule)
    rule = FeeRule.objects.select_for_update().get(pk=rule.pk)
    before = rule.status
    rule.status = RuleStatus.CONFIRMED
    rule.confirmed_by = user
    rule.confirmed_at = timezone.now()
    if basis:
        rule.basis = basis
    rule.save(
        update_fields=["status", "confirmed_by", "confirmed_at", "basis", "updated_at"]
    )
    audit_record(
        action="fee_rule.confirm",
        obj=rule,
        changes={"status": [before, rule.status]},
    )
    return rule


# --- Bills ---------------------------------------------------------------------------


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def billing_code_new(now: dt.datetime | None = None) -> str:
    """``3671`` + WIB year (2 digits) + 9 random digits + Luhn check digit."""
    year = (now or timezone.now()).astimezone(WIB).strftime("%y")
    body = f"3671{year}{secrets.randbelow(10**9):09d}"
    return body + _luhn_digit(body)


def billing_code_valid(code: str) -> bool:
    code = code.replace(" ", "")
    return (
        len(code) == 16
        and code.isascii()
        and code.isdigit()
        and _luhn_digit(code[:-1]) == code[-1]
    )


def _bill_create(*, application, rule, amount, assessment, user, replaces=None):
    due_at = timezone.now() + dt.timedelta(hours=settings.PAYMENTS_BILL_VALID_HOURS)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                bill = Bill.objects.create(
                    application=application,
                    fee_rule=rule,
                    billing_code=billing_code_new(),
                    amount=amount,
                    due_at=due_at,
                    assessment=assessment,
                    issued_by=user,
                    replaces=replaces,
                )
            break
        except IntegrityError:
            if Bill.objects.filter(
                application=application, status=BillStatus.OPEN
            ).exists():
                raise ApplicationError(
                    _("This application already has an open bill.")
                ) from None
            continue  # a billing-code collision: draw again
    else:  # pragma: no cover - 10^9 codes a year
        raise ApplicationError(_("No billing code could be drawn; try again."))
    audit_record(
        action="bill.issue",
        obj=bill,
        changes={"amount": [None, amount], "billing_code": [None, bill.billing_code]},
    )
    _notify(application, "payment.due", bill, due_at=bill.due_at)
    if replaces is None:
        _payment_notice_sent(application, user)
    return bill


def _payment_notice_sent(application, user) -> None:
    """Services whose SLA counts from the payment notice (catalogue
    ``sla.clock_start = payment_notice_sent``, e.g. the 10-hour PBG) start
    their clock now; later calls change nothing (``sla.services``)."""
    from agencies.choices import SlaClockStart
    from sla.services import sla_clock_start

    if application.service_version.sla_clock_start == SlaClockStart.PAYMENT_NOTICE_SENT:
        sla_clock_start(application=application, at=timezone.now(), actor=user)


def _notify(application, event, bill, **extra) -> None:
    from decimal import Decimal

    context = {
        "reference": application.reference or "",
        "service": BilingualText.of(application.service_version),
        "url": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("payments:bill_detail", kwargs={"uuid": bill.uuid}),
        "amount": Decimal(bill.amount),
        **extra,
    }
    if event == "payment.due":
        context["payment_code"] = bill.billing_code
    notify(
        event=event,
        recipient=application.applicant,
        context=context,
        dedupe_key=f"bill:{bill.pk}:{event}",
    )


@transaction.atomic(durable=True)
def bill_issue(
    *,
    application: Application,
    step: ApplicationStep | None,
    user,
    seen_version: int | None,
    floor_area_m2=None,
    building_function: str = "",
    exemption: str = "",
    note: str = "",
) -> Bill | None:
    """At the fee-assessment ``step`` (SKRD), compute the levy with the
    service's ``FeeRule``, finish the step and issue the bill; the application
    then waits for the applicant's payment (``application_payment_due``) and
    the applicant is notified (``payment.due``). With an ``exemption`` (e.g.
    ``mbr``) no bill is issued: the payment step is finished at once and
    ``None`` returned. ``step=None`` bills an application already waiting at
    its payment step without a bill (the fee step was finished without one);
    an officer of the fee step's agency and role does it. Raises
    ``ApplicationError`` (bad inputs, a service not
    billed here, no payment step after ``step``), ``InvalidTransition``,
    ``StaleVersion``, ``NotAllowedToAct``."""
    rule = _fee_rule_ensure(application.service)
    result = assess(
        rule,
        floor_area_m2=floor_area_m2,
        building_function=building_function,
        exemption=exemption,
    )
    if step is not None:
        application = application_payment_due(
            application=application,
            step=step,
            user=user,
            seen_version=seen_version,
            note=note,
        )
    else:
        application = _waiting_for_a_bill(application, user)
    if result.amount == 0:
        audit_record(
            action="payment.exempted",
            obj=application,
            changes={"exemption": [None, exemption or "zero"]},
            reason=note,
        )
        _payment_notice_sent(application, user)
        application_payment_received(
            application=application,
            actor=user,
            reason=_("Exempt from the levy: %(exemption)s")
            % {"exemption": exemption or "0"},
        )
        return None
    return _bill_create(
        application=application,
        rule=rule,
        amount=result.amount,
        assessment=result.details,
        user=user,
    )


def _waiting_for_a_bill(application: Application, user) -> Application:
    from .selectors import unbilled_payment_step_for

    application = Application.objects.select_for_update().get(pk=application.pk)
    if unbilled_payment_step_for(application, user) is None:
        raise ApplicationError(
            _("This application is not waiting for a bill you may issue.")
        )
    return application


def _bill_lock(pk: int) -> Bill:
    return Bill.objects.select_for_update().select_related("application").get(pk=pk)


def _bill_expire(bill: Bill) -> None:
    bill.status = BillStatus.EXPIRED
    bill.save(update_fields=["status", "updated_at"])
    audit_record(
        action="bill.expire",
        obj=bill,
        changes={"status": [BillStatus.OPEN.value, BillStatus.EXPIRED.value]},
    )


@transaction.atomic(durable=True)
def bill_expire(*, bill_id: int) -> bool:
    """Expire one open bill whose due time has passed (beat sweep); returns
    whether it did anything (safe to run twice)."""
    bill = Bill.objects.select_for_update().filter(pk=bill_id).first()
    if bill is None or bill.status != BillStatus.OPEN or bill.due_at > timezone.now():
        return False
    _bill_expire(bill)
    return True


@transaction.atomic(durable=True)
def bill_cancel_if_orphaned(*, bill_id: int) -> bool:
    """Cancel an open bill whose application ended without paying it
    (withdrawn or lapsed: ``permits.workflow.FINAL``); returns whether
    it did anything (beat sweep, safe to run twice)."""
    bill = (
        Bill.objects.select_for_update()
        .select_related("application")
        .filter(pk=bill_id)
        .first()
    )
    if (
        bill is None
        or bill.status != BillStatus.OPEN
        or bill.application.status not in FINAL
    ):
        return False
    bill.status = BillStatus.CANCELLED
    bill.save(update_fields=["status", "updated_at"])
    audit_record(
        action="bill.cancel",
        obj=bill,
        changes={"status": [BillStatus.OPEN.value, BillStatus.CANCELLED.value]},
        reason=bill.application.status,
    )
    return True


@transaction.atomic(durable=True)
def bill_reissue(*, bill: Bill, user) -> Bill:
    """Issue a new bill (new billing code and due time, same amount and
    assessment) for an expired ``bill`` of an application still waiting for
    its payment. The applicant or an officer of the application may do it.
    Raises ``PermissionDenied``, ``ApplicationError``."""
    ensure_can(user, "bill.reissue", bill)
    application = Application.objects.select_for_update().get(pk=bill.application_id)
    bill = _bill_lock(bill.pk)
    if bill.status == BillStatus.OPEN and bill.due_at <= timezone.now():
        _bill_expire(bill)
    if bill.status != BillStatus.EXPIRED:
        raise ApplicationError(_("Only an expired bill can be reissued."))
    if Bill.objects.filter(replaces=bill).exists():
        raise ApplicationError(_("This bill has already been reissued."))
    if application.status != ApplicationStatus.WAITING_FOR_APPLICANT:
        raise ApplicationError(_("This application is not waiting for a payment."))
    return _bill_create(
        application=application,
        rule=bill.fee_rule,
        amount=bill.amount,
        assessment=bill.assessment,
        user=user,
        replaces=bill,
    )


def _settle(*, bill: Bill, payment: Payment, actor) -> None:
    before = bill.status
    bill.status = BillStatus.PAID
    bill.paid_at = payment.paid_at
    bill.save(update_fields=["status", "paid_at", "updated_at"])
    audit_record(
        action="payment.record",
        obj=payment,
        changes={
            "amount": [None, payment.amount],
            "channel": [None, payment.channel],
            "gateway_transaction_id": [None, payment.gateway_transaction_id],
        },
    )
    audit_record(
        action="bill.paid", obj=bill, changes={"status": [before, bill.status]}
    )
    application = bill.application
    if application.status == ApplicationStatus.WAITING_FOR_APPLICANT:
        application_payment_received(
            application=application,
            actor=actor,
            reason=_("Bill %(code)s paid.") % {"code": bill.billing_code},
        )
    _notify(application, "payment.received", bill, paid_at=payment.paid_at)


# --- Gateway callbacks ---------------------------------------------------------------

#: HTTP status answered to the gateway for each outcome (docs/payments.md).
CALLBACK_HTTP_STATUS = {
    CallbackOutcome.ACCEPTED: 200,
    CallbackOutcome.DUPLICATE: 200,
    CallbackOutcome.BAD_SIGNATURE: 401,
    CallbackOutcome.MALFORMED: 400,
    CallbackOutcome.UNKNOWN_BILL: 404,
    CallbackOutcome.AMOUNT_MISMATCH: 409,
    CallbackOutcome.LATE: 409,
    CallbackOutcome.ALREADY_PAID: 409,
    CallbackOutcome.CONFLICT: 409,
}


def _callback_record(
    *, outcome, body, headers, remote_addr, message=None, bill=None, detail=""
) -> GatewayCallback:
    from .gateways.protocol import SIGNATURE_HEADER

    callback = GatewayCallback.objects.create(
        outcome=outcome,
        transaction_id=message.transaction_id if message else "",
        billing_code=message.billing_code if message else "",
        amount=message.amount if message else None,
        bill=bill,
        # PostgreSQL text refuses NUL: anyone may post one, keep the record.
        body=body[:8192].decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
        signature=headers.get(SIGNATURE_HEADER, "")[:200].replace("\x00", ""),
        remote_addr=remote_addr or None,
        detail=detail[:300],
    )
    audit_record(
        action=f"payment.callback.{outcome}",
        obj=callback,
        changes={"outcome": [None, outcome]},
        reason=detail[:300],
    )
    return callback


@transaction.atomic(durable=True)
def callback_receive(
    *, body: bytes, headers, remote_addr: str | None = None
) -> GatewayCallback:
    """Handle one payment callback from the gateway and record it, whatever
    the outcome (``GatewayCallback.outcome``; the HTTP status to answer is
    ``CALLBACK_HTTP_STATUS[outcome]``).

    Accepted only when the signature is right and fresh, the billing code is
    known, the amount equals the bill's, the bill is unpaid and not cancelled
    or reissued, and the payment time is not after the due time. A replay of
    an accepted transaction (same ``transaction_id``, code and amount) answers
    ``duplicate`` and changes nothing; the same id with other data is a
    ``conflict``. The bill row is locked, so two callbacks racing for one bill
    settle it once."""
    gateway = get_gateway()
    record = {"body": body, "headers": headers, "remote_addr": remote_addr}
    if not gateway.verify(body=body, headers=headers):
        return _callback_record(
            outcome=CallbackOutcome.BAD_SIGNATURE, detail="signature", **record
        )
    try:
        message = gateway.parse(body)
    except MalformedMessage as error:
        return _callback_record(
            outcome=CallbackOutcome.MALFORMED, detail=str(error), **record
        )
    record["message"] = message
    bill = (
        Bill.objects.select_for_update()
        .select_related("application")
        .filter(billing_code=message.billing_code)
        .first()
    )
    earlier = (
        Payment.objects.filter(gateway_transaction_id=message.transaction_id)
        .select_related("bill")
        .first()
    )
    if earlier is not None:
        same = (
            earlier.bill.billing_code == message.billing_code
            and earlier.amount == message.amount
        )
        return _callback_record(
            outcome=CallbackOutcome.DUPLICATE if same else CallbackOutcome.CONFLICT,
            bill=earlier.bill,
            detail=f"payment {earlier.uuid}",
            **record,
        )
    if bill is None:
        return _callback_record(outcome=CallbackOutcome.UNKNOWN_BILL, **record)
    record["bill"] = bill
    if bill.status == BillStatus.PAID:
        return _callback_record(outcome=CallbackOutcome.ALREADY_PAID, **record)
    if message.amount != bill.amount:
        return _callback_record(
            outcome=CallbackOutcome.AMOUNT_MISMATCH,
            detail=f"expected {bill.amount}",
            **record,
        )
    replaced = Bill.objects.filter(replaces=bill).exists()
    if (
        bill.status == BillStatus.CANCELLED
        or bill.application.status in FINAL
        or replaced
        or message.paid_at > bill.due_at
        or message.paid_at > timezone.now() + dt.timedelta(minutes=5)
    ):
        return _callback_record(
            outcome=CallbackOutcome.LATE,
            detail=f"due {bill.due_at.isoformat()}, status {bill.status}",
            **record,
        )
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                bill=bill,
                amount=message.amount,
                channel=PaymentChannel.GATEWAY,
                gateway_transaction_id=message.transaction_id,
                paid_at=message.paid_at,
                reference=message.channel,
            )
    except IntegrityError:
        # The same transaction id raced in for another bill.
        return _callback_record(outcome=CallbackOutcome.CONFLICT, **record)
    _settle(bill=bill, payment=payment, actor=None)
    return _callback_record(
        outcome=CallbackOutcome.ACCEPTED, detail=f"payment {payment.uuid}", **record
    )


# --- Manual confirmation -------------------------------------------------------------


def manual_payment_problems(
    *,
    bill: Bill,
    amount: int | None = None,
    paid_at: dt.datetime | None = None,
    reference: str | None = None,
    evidence: bytes | None = None,
) -> dict[str, str]:
    """Every problem of a manual confirmation's values at once, ``{field:
    message}`` in the form's order (empty when all is well), so one submit
    shows them all. A value given as ``None`` is not checked (the form has
    already refused it)."""
    problems: dict[str, str] = {}
    if amount is not None and amount < bill.amount:
        problems["amount"] = _("The amount paid is less than the bill.")
    if paid_at is not None and paid_at > timezone.now():
        problems["paid_at"] = _("The payment time cannot be in the future.")
    if reference is not None and not reference.strip():
        problems["reference"] = _("Enter the bank or teller reference.")
    if evidence is not None:
        if len(evidence) > settings.PERMITS_MAX_UPLOAD_BYTES:
            problems["evidence"] = _("The file is too large.")
        else:
            kind = filetype.guess(evidence)
            if kind is None or kind.mime not in EVIDENCE_TYPES:
                problems["evidence"] = _("Only PDF, JPEG or PNG files are accepted.")
    return problems


def payment_confirm_manual(
    *,
    bill: Bill,
    user,
    amount: int,
    paid_at: dt.datetime,
    reference: str,
    evidence: bytes,
    note: str = "",
) -> Payment:
    """A Bapenda/BPKD officer confirms that ``bill`` was paid (at a teller, by
    transfer) with ``evidence`` (PDF, JPEG or PNG, sniffed, at most
    ``PERMITS_MAX_UPLOAD_BYTES``). ``amount`` (IDR) may exceed the bill (an
    overpayment, refunded later) but not fall short. The evidence file is
    deleted from storage if the transaction does not commit
    (``ptsp.files.atomic_with_files``). Raises ``PermissionDenied``,
    ``ApplicationError`` (for bad values: ``extra["errors"]``, every
    ``{field: message}`` of ``manual_payment_problems``; ``extra["field"]``,
    the first of them)."""
    with atomic_with_files(durable=True) as files:
        ensure_can(user, "payment.confirm", bill)
        Application.objects.select_for_update().get(pk=bill.application_id)
        bill = _bill_lock(bill.pk)
        if bill.status == BillStatus.PAID:
            raise ApplicationError(_("This bill is already paid."))
        if (
            bill.status == BillStatus.CANCELLED
            or Bill.objects.filter(replaces=bill).exists()
        ):
            raise ApplicationError(_("This bill was cancelled or reissued."))
        problems = manual_payment_problems(
            bill=bill,
            amount=amount,
            paid_at=paid_at,
            reference=reference,
            evidence=evidence,
        )
        if problems:
            raise ApplicationError(
                " ".join(problems.values()),
                extra={"field": next(iter(problems)), "errors": problems},
            )
        kind = filetype.guess(evidence)
        payment = Payment(
            bill=bill,
            amount=amount,
            channel=PaymentChannel.MANUAL,
            paid_at=paid_at,
            recorded_by=user,
            reference=reference.strip()[:64],
            evidence_content_type=kind.mime,
            evidence_sha256=hashlib.sha256(evidence).hexdigest(),
            note=note,
        )
        files.save(
            payment.evidence,
            f"{secrets.token_hex(16)}.{EVIDENCE_TYPES[kind.mime]}",
            ContentFile(evidence),
        )
        payment.save()
        _settle(bill=bill, payment=payment, actor=user)
        return payment


# --- Refunds -------------------------------------------------------------------------


@transaction.atomic(durable=True)
def refund_request(
    *, payment: Payment, user, amount: int, reason: str, note: str
) -> Refund:
    """Request a refund of ``amount`` IDR of ``payment``.

    At most ``refundable_amount(payment)``: the overpayment (paid minus
    billed, minus requested and approved refunds) while the levy is owed; the
    whole payment once the application is rejected or withdrawn. The payment
    row is locked, so two requests cannot both take the same rupiah. Raises
    ``PermissionDenied``, ``ApplicationError`` (``extra["field"]``: ``note``
    or ``amount``). Source: ``docs/payments.md``, "Refunds"."""
    ensure_can(user, "refund.request", payment)
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("bill__application")
        .get(pk=payment.pk)
    )
    if not note.strip():
        raise ApplicationError(_("Explain the refund."), extra={"field": "note"})
    refundable = refundable_amount(payment)
    if refundable <= 0:
        raise ApplicationError(
            _("Nothing of this payment can be refunded."), extra={"field": "amount"}
        )
    if amount <= 0 or amount > refundable:
        raise ApplicationError(
            _("The refund must be more than 0 and at most %(max)s.")
            % {"max": rupiah(refundable)},
            extra={"field": "amount"},
        )
    refund = Refund.objects.create(
        payment=payment, amount=amount, reason=reason, note=note, requested_by=user
    )
    audit_record(
        action="refund.request", obj=refund, changes={"amount": [None, amount]}
    )
    return refund


@transaction.atomic(durable=True)
def refund_decide(*, refund: Refund, user, approve: bool, note: str = "") -> Refund:
    """Approve or reject a requested refund; only a Bapenda/BPKD signatory or
    supervisor other than the requester. Raises ``PermissionDenied``,
    ``InvalidTransition`` (already decided), ``ApplicationError``."""
    ensure_can(user, "refund.decide", refund)
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("bill__application")
        .get(pk=refund.payment_id)
    )
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != RefundStatus.REQUESTED:
        raise InvalidTransition(_("This refund has already been decided."))
    refundable = refundable_amount(payment, excluding=refund)
    if approve and refund.amount > refundable:
        raise ApplicationError(
            _("The refund exceeds what may be refunded (at most %(max)s).")
            % {"max": rupiah(refundable)}
        )
    before = refund.status
    refund.status = RefundStatus.APPROVED if approve else RefundStatus.REJECTED
    refund.decided_by = user
    refund.decided_at = timezone.now()
    refund.decision_note = note
    refund.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    audit_record(
        action=f"refund.{'approve' if approve else 'reject'}",
        obj=refund,
        changes={"status": [before, refund.status]},
        reason=note,
    )
    return refund
