"""Billing through the workflow: the bill makes the application wait for the
applicant (the payment step pauses the SLA), the applicant cannot skip it,
an exemption moves on at once, expired bills are reissued, Bapenda/BPKD
officers confirm payments manually with evidence, refunds need a second
officer."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from payments.choices import BillStatus, RefundStatus
from payments.models import Bill, Payment
from payments.services import (
    bill_expire,
    bill_issue,
    bill_reissue,
    billing_code_valid,
    payment_confirm_manual,
    refund_decide,
    refund_request,
)
from payments.tasks import bills_cancel_orphaned_task, bills_expire_task
from permits.choices import ApplicationStatus, StepStatus
from permits.services import application_resubmit, application_step_complete
from ptsp.exceptions import ApplicationError, InvalidTransition

from .conftest import PDF, issue

pytestmark = pytest.mark.django_db


def _steps(application):
    return dict(application.steps.values_list("order", "status"))


def test_issuing_the_bill_makes_the_application_wait_for_payment(at_fee_step, assessor):
    bill = issue(at_fee_step, assessor)
    assert bill.amount == 270_000
    assert billing_code_valid(bill.billing_code)
    assert bill.status == BillStatus.OPEN
    assert bill.due_at > timezone.now()
    assert bill.assessment["rule_status"] == "assumed"
    application = bill.application
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WAITING_FOR_APPLICANT
    assert _steps(application) == {1: "done", 2: "done", 3: "active", 4: "pending"}
    # The payment step is the one that pauses the SLA clock (catalogue overlay).
    assert application.steps.get(order=3).service_step.pauses_sla
    assert {n.recipient for n in Notification.objects.filter(event="payment.due")} == {
        application.applicant
    }
    due = Notification.objects.filter(event="payment.due").first()
    assert due.context["service"]["$text"]["id"] == application.service_version.name
    assert AuditEntry.objects.filter(action="bill.issue").exists()


def test_the_applicant_cannot_skip_the_payment(bill, citizen):
    with pytest.raises(ApplicationError, match="tagihan"):
        application_resubmit(application=bill.application, applicant=citizen)
    bill.application.refresh_from_db()
    assert bill.application.status == ApplicationStatus.WAITING_FOR_APPLICANT


def test_the_generic_complete_is_refused_at_the_fee_step(at_fee_step, assessor):
    """The SKRD step is finished only by issuing the bill; "complete" would
    leave the application waiting for a payment that can never be made."""
    with pytest.raises(ApplicationError, match="tagihan"):
        application_step_complete(
            application=at_fee_step,
            step=at_fee_step.steps.get(order=2),
            user=assessor.user,
            seen_version=at_fee_step.version,
        )
    at_fee_step.refresh_from_db()
    assert at_fee_step.steps.get(order=2).status == StepStatus.ACTIVE
    assert at_fee_step.status == ApplicationStatus.IN_PROGRESS


def test_finishing_the_fee_step_without_a_bill_still_needs_one(
    at_fee_step, assessor, citizen
):
    """An application whose fee step was finished without a bill (before the
    generic "complete" was refused there): the applicant still cannot move
    on, and the bill can be issued afterwards."""
    from permits.services import _application_step_complete

    _application_step_complete(
        application=at_fee_step,
        step=at_fee_step.steps.get(order=2),
        user=assessor.user,
        seen_version=at_fee_step.version,
    )
    with pytest.raises(ApplicationError):
        application_resubmit(application=at_fee_step, applicant=citizen)
    bill = bill_issue(
        application=at_fee_step,
        step=None,
        user=assessor.user,
        seen_version=None,
        floor_area_m2="72",
        building_function="residential",
    )
    assert bill.amount == 270_000


def test_only_the_officer_of_the_step_issues_the_bill(at_fee_step, cashier):
    with pytest.raises(ApplicationError):
        issue(at_fee_step, cashier)
    assert not Bill.objects.exists()


def test_bad_input_loses_nothing(at_fee_step, assessor):
    with pytest.raises(ApplicationError):
        issue(at_fee_step, assessor, area="-1")
    at_fee_step.refresh_from_db()
    assert at_fee_step.status == ApplicationStatus.IN_PROGRESS
    assert _steps(at_fee_step)[2] == StepStatus.ACTIVE


def test_an_mbr_exemption_moves_on_without_a_bill(at_fee_step, assessor):
    assert issue(at_fee_step, assessor, exemption="mbr") is None
    at_fee_step.refresh_from_db()
    assert not Bill.objects.exists()
    assert at_fee_step.status == ApplicationStatus.IN_PROGRESS
    assert _steps(at_fee_step) == {1: "done", 2: "done", 3: "done", 4: "active"}
    assert AuditEntry.objects.filter(action="payment.exempted").exists()


def test_the_database_refuses_a_zero_bill_and_two_open_bills(bill):
    bill.amount = 0
    with pytest.raises(IntegrityError), transaction.atomic():
        bill.save(update_fields=["amount"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.create(
            application=bill.application,
            fee_rule=bill.fee_rule,
            billing_code="3671260000000001",
            amount=1,
            due_at=bill.due_at,
        )


def test_expired_bill_is_swept_and_reissued(bill, citizen, time_machine):
    time_machine.move_to(bill.due_at + dt.timedelta(minutes=1))
    assert bills_expire_task() == 1
    assert bills_expire_task() == 0  # safe to run twice
    assert bill_expire(bill_id=bill.pk) is False
    bill.refresh_from_db()
    assert bill.status == BillStatus.EXPIRED
    new = bill_reissue(bill=bill, user=citizen)
    assert new.replaces == bill
    assert new.amount == bill.amount
    assert new.billing_code != bill.billing_code
    assert new.due_at > timezone.now()
    with pytest.raises(ApplicationError):
        bill_reissue(bill=bill, user=citizen)
    dues = Notification.objects.filter(event="payment.due")
    assert dues.values("dedupe_key").distinct().count() == 2


def test_an_open_bill_cannot_be_reissued(bill, citizen, other_citizen):
    with pytest.raises(ApplicationError):
        bill_reissue(bill=bill, user=citizen)
    with pytest.raises(PermissionDenied):
        bill_reissue(bill=bill, user=other_citizen)


def _confirm(bill, officer, **kw):
    values = {
        "amount": bill.amount,
        "paid_at": timezone.now() - dt.timedelta(minutes=5),
        "reference": "TELLER-77",
        "evidence": PDF,
    }
    return payment_confirm_manual(bill=bill, user=officer.user, **{**values, **kw})


def test_a_bapenda_officer_confirms_a_payment_with_evidence(
    bill, cashier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    payment = _confirm(bill, cashier)
    assert payment.evidence_content_type == "application/pdf"
    assert payment.recorded_by == cashier.user
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    application = bill.application
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert _steps(application)[4] == StepStatus.ACTIVE
    with pytest.raises(ApplicationError):
        _confirm(bill, cashier)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": 1}, "amount"),
        ({"evidence": b"plain text"}, "evidence"),
        ({"reference": " "}, "reference"),
        ({"paid_at": timezone.now() + dt.timedelta(days=1)}, "paid_at"),
    ],
)
def test_manual_confirmation_refuses_bad_input(
    bill, cashier, overrides, field, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ApplicationError) as error:
        _confirm(bill, cashier, **overrides)
    assert error.value.extra["field"] == field
    assert not Payment.objects.exists()


def test_only_revenue_officers_confirm(bill, assessor, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PermissionDenied):
        _confirm(bill, assessor)
    with pytest.raises(PermissionDenied):
        payment_confirm_manual(
            bill=bill,
            user=citizen,
            amount=bill.amount,
            paid_at=timezone.now(),
            reference="x",
            evidence=PDF,
        )


def test_an_overpayment_is_refunded_with_a_second_officers_approval(
    bill, cashier, treasurer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    payment = _confirm(bill, cashier, amount=bill.amount + 30_000)
    refund = refund_request(
        payment=payment,
        user=cashier.user,
        amount=30_000,
        reason="overpayment",
        note="Dibayar lebih Rp 30.000.",
    )
    # The requester cannot approve their own refund.
    with pytest.raises(PermissionDenied):
        refund_decide(refund=refund, user=cashier.user, approve=True)
    # Nor can more than was paid be asked.
    with pytest.raises(ApplicationError):
        refund_request(
            payment=payment,
            user=cashier.user,
            amount=payment.amount,
            reason="other",
            note="x",
        )
    refund = refund_decide(refund=refund, user=treasurer.user, approve=True, note="ok")
    assert refund.status == RefundStatus.APPROVED
    assert refund.decided_by == treasurer.user
    with pytest.raises(InvalidTransition):
        refund_decide(refund=refund, user=treasurer.user, approve=False)
    assert AuditEntry.objects.filter(action="refund.approve").exists()


def test_a_verifier_cannot_decide_a_refund(bill, cashier, settings, tmp_path):
    from accounts.choices import OfficerRole

    from .conftest import make_officer

    settings.MEDIA_ROOT = tmp_path
    payment = _confirm(bill, cashier, amount=bill.amount + 1000)
    refund = refund_request(
        payment=payment, user=cashier.user, amount=1000, reason="overpayment", note="x"
    )
    colleague = make_officer("kasir2", agency=cashier.agency, role=OfficerRole.VERIFIER)
    with pytest.raises(PermissionDenied):
        refund_decide(refund=refund, user=colleague.user, approve=True)


def test_a_withdrawn_applications_bill_is_cancelled_and_refused(client, bill, citizen):
    from permits.services import application_withdraw

    from .conftest import message, post_callback

    application_withdraw(application=bill.application, applicant=citizen)
    response = post_callback(client, message(bill))
    assert response.status_code == 409
    assert response.json()["outcome"] == "late"
    assert not Payment.objects.exists()
    assert bills_cancel_orphaned_task() == 1
    assert bills_cancel_orphaned_task() == 0
    bill.refresh_from_db()
    assert bill.status == BillStatus.CANCELLED


def test_manual_confirmation_reports_every_bad_value(bill, cashier, settings, tmp_path):
    """The service refuses with every problem at once (``extra["errors"]``),
    not only the first."""
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ApplicationError) as error:
        _confirm(
            bill,
            cashier,
            amount=1,
            reference=" ",
            evidence=b"plain text",
            paid_at=timezone.now() + dt.timedelta(days=1),
        )
    assert list(error.value.extra["errors"]) == [
        "amount",
        "paid_at",
        "reference",
        "evidence",
    ]
    assert error.value.extra["field"] == "amount"
    assert not Payment.objects.exists()
