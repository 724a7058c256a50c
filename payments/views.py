"""HTML views of payments: the bill page (pay, reissue), the officer's levy
assessment at the SKRD step, manual confirmation by Bapenda/BPKD officers,
the evidence download, and refunds (list, request, a second officer's
decision). Parse, authorize, call a service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import user_can
from permits.selectors import application_qs_visible_to
from ptsp.exceptions import ApplicationError

from . import services
from .choices import BillStatus, RefundStatus
from .forms import (
    BillIssueForm,
    ManualConfirmForm,
    RefundDecisionForm,
    RefundRequestForm,
)
from .gateways import get_gateway
from .selectors import (
    bills_visible_to,
    fee_rule_for,
    fee_step_for,
    refundable_amount,
    refunds_visible_to,
    unbilled_payment_step_for,
)

WIB = dt.timezone(dt.timedelta(hours=7))
REFUNDS_PER_PAGE = 50


@login_required
def bill_detail(request: HttpRequest, uuid) -> HttpResponse:
    bill = get_object_or_404(
        bills_visible_to(request.user).select_related("application__service_version"),
        uuid=uuid,
    )
    pay_url = ""
    if (
        bill.status == BillStatus.OPEN
        and bill.application.applicant_id == request.user.pk
    ):
        pay_url = get_gateway().payment_url(bill)
        if pay_url:
            back = request.build_absolute_uri(bill.get_absolute_url())
            pay_url = f"{pay_url}?return={back}"
    payment = getattr(bill, "payment", None) if bill.status == BillStatus.PAID else None
    return render(
        request,
        "payments/bill_detail.html",
        {
            "bill": bill,
            "application": bill.application,
            "payment": payment,
            "pay_url": pay_url,
            "can_reissue": bill.status == BillStatus.EXPIRED
            and not hasattr(bill, "replaced_by")
            and user_can(request.user, "bill.reissue", bill),
            "can_confirm": bill.status in (BillStatus.OPEN, BillStatus.EXPIRED)
            and user_can(request.user, "payment.confirm", bill),
            "can_refund": payment is not None
            and user_can(request.user, "refund.request", payment)
            and refundable_amount(payment) > 0,
            "refunds": list(payment.refunds.order_by("created_at")) if payment else [],
            "staff_view": bill.application.applicant_id != request.user.pk,
        },
    )


@login_required
@require_POST
def bill_reissue(request: HttpRequest, uuid) -> HttpResponse:
    bill = get_object_or_404(bills_visible_to(request.user), uuid=uuid)
    try:
        new = services.bill_reissue(bill=bill, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(bill)
    messages.success(request, _("A new bill is issued."))
    return redirect(new)


@login_required
def bill_issue(request: HttpRequest, uuid) -> HttpResponse:
    """The levy assessment at the fee step (or for an application already
    waiting at its payment step without a bill)."""
    application = get_object_or_404(application_qs_visible_to(request.user), uuid=uuid)
    step = fee_step_for(application, request.user)
    if step is None and unbilled_payment_step_for(application, request.user) is None:
        raise Http404
    rule = fee_rule_for(application.service)
    english = (get_language() or "id").startswith("en")
    form = BillIssueForm(
        request.POST or None,
        rule=rule,
        english=english,
        # The PBG form's building answers prefill the assessment (the officer
        # checks and may change them).
        initial={
            "version": application.version,
            **{
                key: application.form_data[key]
                for key in ("floor_area_m2", "building_function")
                if (application.form_data or {}).get(key) not in (None, "")
            },
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bill = services.bill_issue(
                application=application,
                step=step,
                user=request.user,
                seen_version=data.get("version"),
                floor_area_m2=data.get("floor_area_m2"),
                building_function=data.get("building_function", ""),
                exemption=data.get("exemption", ""),
                note=data.get("note", ""),
            )
        except PermissionDenied:
            raise
        except ApplicationError as error:
            field = error.extra.get("field")
            form.add_error(field if field in form.fields else None, error.message)
        else:
            if bill is None:
                messages.success(request, _("Exempt: the application moves on."))
                return redirect("permits:detail", uuid=application.uuid)
            messages.success(
                request, _("The bill is issued and the applicant notified.")
            )
            return redirect(bill)
    return render(
        request,
        "payments/bill_issue.html",
        {"application": application, "step": step, "rule": rule, "form": form},
    )


@login_required
def payment_confirm(request: HttpRequest, uuid) -> HttpResponse:
    bill = get_object_or_404(bills_visible_to(request.user), uuid=uuid)
    if not user_can(request.user, "payment.confirm", bill):
        raise PermissionDenied
    form = ManualConfirmForm(
        request.POST or None, request.FILES or None, initial={"amount": bill.amount}
    )
    if request.method == "POST":
        # Every error in one submit: the service's checks also run on the
        # values the form could parse, even when another field failed.
        valid = form.is_valid()
        data = form.cleaned_data
        upload = data.get("evidence")
        evidence = upload.read() if upload else None
        problems = services.manual_payment_problems(
            bill=bill,
            amount=data.get("amount"),
            paid_at=data.get("paid_at"),
            reference=data.get("reference"),
            evidence=evidence,
        )
        for field, message in problems.items():
            form.add_error(field, message)
        if valid and not problems:
            try:
                services.payment_confirm_manual(
                    bill=bill,
                    user=request.user,
                    amount=data["amount"],
                    paid_at=data["paid_at"],
                    reference=data["reference"],
                    evidence=evidence,
                    note=data["note"],
                )
            except ApplicationError as error:
                errors = error.extra.get("errors") or {
                    error.extra.get("field"): error.message
                }
                for field, message in errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("The payment is confirmed."))
                return redirect(bill)
    return render(
        request, "payments/payment_confirm.html", {"bill": bill, "form": form}
    )


@login_required
def evidence_download(request: HttpRequest, uuid) -> FileResponse:
    bill = get_object_or_404(bills_visible_to(request.user), uuid=uuid)
    payment = getattr(bill, "payment", None)
    if payment is None or not payment.evidence:
        raise Http404
    extension = payment.evidence.name.rsplit(".", 1)[-1]
    response = FileResponse(
        payment.evidence.open("rb"),
        as_attachment=True,
        filename=f"bukti-{bill.billing_code}.{extension}",
        content_type=payment.evidence_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Refunds -------------------------------------------------------------------------


@login_required
def refund_list(request: HttpRequest) -> HttpResponse:
    """Refunds the user may see (``refunds_visible_to``), newest first, those
    waiting for a decision on top; ``?status=`` narrows the list."""
    refunds = refunds_visible_to(request.user).select_related(
        "payment__bill__application", "requested_by", "decided_by"
    )
    status = request.GET.get("status", "")
    if status in RefundStatus.values:
        refunds = refunds.filter(status=status)
    page = Paginator(
        refunds.order_by(
            Case(When(status=RefundStatus.REQUESTED, then=0), default=1),
            "-created_at",
            "-pk",
        ),
        REFUNDS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/refund_list.html",
        {"page": page, "status": status, "statuses": RefundStatus.choices},
    )


@login_required
def refund_request(request: HttpRequest, uuid) -> HttpResponse:
    """A Bapenda/BPKD officer asks for (part of) a paid bill's payment back;
    another officer decides (``refund_detail``)."""
    bill = get_object_or_404(bills_visible_to(request.user), uuid=uuid)
    payment = getattr(bill, "payment", None)
    if payment is None:
        raise Http404
    if not user_can(request.user, "refund.request", payment):
        raise PermissionDenied
    refundable = refundable_amount(payment)
    if refundable <= 0:
        messages.error(
            request,
            _(
                "Nothing of this payment can be refunded: only an overpayment "
                "while the levy is owed, and earlier refunds are taken off."
            ),
        )
        return redirect(bill)
    form = RefundRequestForm(request.POST or None, initial={"amount": refundable})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            refund = services.refund_request(
                payment=payment,
                user=request.user,
                amount=data["amount"],
                reason=data["reason"],
                note=data["note"],
            )
        except ApplicationError as error:
            field = error.extra.get("field")
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("The refund is requested; another officer decides.")
            )
            return redirect("payments:refund_detail", uuid=refund.uuid)
    return render(
        request,
        "payments/refund_request.html",
        {"bill": bill, "payment": payment, "refundable": refundable, "form": form},
    )


def _refund(request, uuid):
    return get_object_or_404(
        refunds_visible_to(request.user).select_related(
            "payment__bill__application", "requested_by", "decided_by"
        ),
        uuid=uuid,
    )


@login_required
def refund_detail(request: HttpRequest, uuid) -> HttpResponse:
    """The refund, and the decision form for an officer who may decide it (a
    Bapenda/BPKD signatory or supervisor who did not request it)."""
    refund = _refund(request, uuid)
    can_decide = refund.status == RefundStatus.REQUESTED and user_can(
        request.user, "refund.decide", refund
    )
    bill = refund.payment.bill
    return render(
        request,
        "payments/refund_detail.html",
        {
            "refund": refund,
            "bill": bill,
            "form": RefundDecisionForm() if can_decide else None,
            # The applicant sees status, amount, dates and the public reason;
            # the internal explanation and the officers' names are for staff.
            "staff_view": bill.application.applicant_id != request.user.pk,
        },
    )


@login_required
@require_POST
def refund_decide(request: HttpRequest, uuid) -> HttpResponse:
    """Record the decision; on any error, back to the refund page with the
    error as a message (the POST-only URL is never rendered)."""
    refund = _refund(request, uuid)
    if not user_can(request.user, "refund.decide", refund):
        raise PermissionDenied
    form = RefundDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("payments:refund_detail", uuid=refund.uuid)
    try:
        services.refund_decide(
            refund=refund,
            user=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:  # InvalidTransition too: decided already
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("payments:refund_detail", uuid=refund.uuid)
