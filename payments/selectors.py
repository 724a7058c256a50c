"""Reads of the payments app, scoped to the user where they list objects."""

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.permissions import is_admin, is_auditor, officer_of, user_can
from agencies.choices import StepKind
from agencies.models import Service
from permits.choices import ApplicationStatus, StepStatus

from .choices import BillStatus, FeeRuleKind, RefundStatus
from .fees import rule_defaults
from .models import Bill, FeeRule, GatewayCallback, Payment, Refund

#: Agencies whose officers confirm payments and handle refunds (regional
#: revenue and finance: Bapenda and BPKD).
REVENUE_AGENCIES = frozenset({"BAPENDA", "BPKD"})


def fee_rule_for(service: Service) -> FeeRule:
    """The service's saved rule, or an unsaved one derived from its current
    catalogue version (``payments.fees.rule_defaults``), never ``None``."""
    try:
        return service.fee_rule
    except FeeRule.DoesNotExist:
        pass
    if service.current_version_id is None:
        return FeeRule(service=service, kind=FeeRuleKind.FREE)
    return FeeRule(service=service, **rule_defaults(service.current_version))


def is_revenue_officer(user) -> bool:
    officer = officer_of(user)
    return (
        officer is not None
        and officer.agency_id is not None  # office staff have no agency
        and officer.agency.code in REVENUE_AGENCIES
    )


def bills_visible_to(user) -> QuerySet[Bill]:
    """Bills ``user`` may see: their own applications' bills (citizens),
    bills of applications with a step at their agency (officers), every bill
    for Bapenda/BPKD officers, auditors and admins."""
    qs = Bill.objects.select_related("application__service", "fee_rule")
    if not user.is_authenticated:
        return qs.none()
    if is_revenue_officer(user) or is_auditor(user) or is_admin(user):
        return qs
    officer = officer_of(user)
    condition = Q(application__applicant=user)
    if officer is not None and officer.agency_id is not None:
        condition |= Q(application__steps__agency_id=officer.agency_id)
    return qs.filter(condition).distinct()


def bills_of_application(application) -> QuerySet[Bill]:
    return (
        application.bills.select_related("payment")
        .prefetch_related("payment__refunds")
        .order_by("-created_at")
    )


def open_bill(application) -> Bill | None:
    return application.bills.filter(status=BillStatus.OPEN).first()


def unpaid_bill_refusal(application) -> str:
    """Guard for ``permits.services.APPLICANT_STEP_GUARDS``: the applicant
    cannot finish the payment step themself; only a payment (or an
    exemption) does."""
    if payment_step_waiting(application) is None:
        return ""
    if application.bills.filter(status=BillStatus.PAID).exists():
        return ""
    return _("Pay the bill first: the payment moves your application on.")


def payments_visible_to(user) -> QuerySet[Payment]:
    return Payment.objects.filter(bill__in=bills_visible_to(user)).select_related(
        "bill"
    )


def refunds_visible_to(user) -> QuerySet[Refund]:
    """Refunds of the bills ``user`` may see (``bills_visible_to``): all for
    Bapenda/BPKD officers, auditors and admins; those of their agency's
    applications for other officers; their own for citizens."""
    return Refund.objects.filter(
        payment__bill__in=bills_visible_to(user)
    ).select_related("payment__bill__application")


#: Application states in which the levy is no longer owed (the permit will
#: not be issued), so the levy itself may be refunded, not only an
#: overpayment. ``docs/payments.md``, "Refunds".
LEVY_NOT_OWED_STATUSES = frozenset(
    {ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
)


def levy_owed(bill: Bill) -> bool:
    """Whether ``bill``'s levy still stands: its application was neither
    rejected nor withdrawn (``LEVY_NOT_OWED_STATUSES``)."""
    return bill.application.status not in LEVY_NOT_OWED_STATUSES


def refundable_amount(payment: Payment, *, excluding: Refund | None = None) -> int:
    """IDR of ``payment`` that may still be refunded, never below 0.

    While the levy is owed (``levy_owed``) only the overpayment goes back:
    ``payment.amount - bill.amount``; once the application is rejected or
    withdrawn the whole payment may. Requested and approved refunds
    (``excluding`` one of them, for its own decision) are taken off; rejected
    ones are not. Source: Perda retribusi practice, *kelebihan pembayaran
    retribusi* is refunded, the levy of a standing SKRD is not. Two queries
    (the aggregate, and the bill and application unless already loaded)."""
    taken = (
        payment.refunds.filter(
            status__in=[RefundStatus.REQUESTED, RefundStatus.APPROVED]
        )
        .exclude(pk=excluding.pk if excluding else None)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )
    ceiling = payment.amount
    if levy_owed(payment.bill):
        ceiling -= payment.bill.amount
    return max(ceiling - taken, 0)


def callbacks_visible_to(user) -> QuerySet[GatewayCallback]:
    if is_revenue_officer(user) or is_auditor(user) or is_admin(user):
        return GatewayCallback.objects.select_related("bill")
    return GatewayCallback.objects.none()


def _previous_step(step):
    return (
        step.application.steps.filter(order__lt=step.order).order_by("-order").first()
    )


def payment_step_waiting(application):
    """The active applicant step that pays the levy, or ``None``: an
    applicant step right after an agency step of a billed service (the
    catalogue's "Pembayaran retribusi" after "Penetapan retribusi (SKRD)")."""
    if application.status != ApplicationStatus.WAITING_FOR_APPLICANT:
        return None
    if not fee_rule_for(application.service).billable:
        return None
    step = (
        application.steps.filter(status=StepStatus.ACTIVE, kind=StepKind.APPLICANT)
        .order_by("order")
        .first()
    )
    if step is None:
        return None
    previous = _previous_step(step)
    if previous is None or previous.kind == StepKind.APPLICANT:
        return None
    return step


def is_fee_step(step) -> bool:
    """Whether ``step`` is the fee assessment (SKRD) of a billed service: an
    agency step that an applicant step (the payment) follows, on a service
    whose ``FeeRule`` bills. Such a step is finished only by issuing the bill
    (``payments.services.bill_issue``), never by the generic "complete"."""
    if step.kind == StepKind.APPLICANT:
        return False
    application = step.application
    if not fee_rule_for(application.service).billable:
        return False
    following = application.steps.filter(order__gt=step.order).order_by("order").first()
    return following is not None and following.kind == StepKind.APPLICANT


def fee_step_for(application, user):
    """The active agency step of a billed service that ``user`` may act on
    and that an applicant step follows (the fee assessment, SKRD), or
    ``None``. Officers issue the bill there."""
    if application.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_PROGRESS,
    ):
        return None
    if not fee_rule_for(application.service).billable:
        return None
    for step in application.steps.filter(status=StepStatus.ACTIVE).exclude(
        kind=StepKind.APPLICANT
    ):
        following = (
            application.steps.filter(order__gt=step.order).order_by("order").first()
        )
        if (
            following is not None
            and following.kind == StepKind.APPLICANT
            and user_can(user, "application.act_on_step", step)
        ):
            return step
    return None


def unbilled_payment_step_for(application, user):
    """The payment step of an application that waits at it without an open or
    paid bill (its fee step was finished without billing), when ``user`` is
    an officer of that fee step's agency and role; else ``None``."""
    from permits.permissions import acting_officer_for_step

    step = payment_step_waiting(application)
    if (
        step is None
        or application.bills.filter(
            status__in=[BillStatus.OPEN, BillStatus.PAID]
        ).exists()
    ):
        return None
    if acting_officer_for_step(user, _previous_step(step)) is None:
        return None
    return step
