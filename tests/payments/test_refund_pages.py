"""Refund pages: a Bapenda/BPKD officer requests a refund of a paid bill, a
second signatory or supervisor approves or rejects it with a reason; pages
scoped like the bills (another agency's or citizen's refund is a 404), the
requester can never decide, and every step is in the audit trail."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.choices import OfficerRole
from agencies.models import Agency
from audit.models import AuditEntry
from payments.choices import RefundStatus
from payments.models import Refund
from payments.services import payment_confirm_manual, refund_decide, refund_request
from permits.choices import ApplicationStatus
from permits.models import Application
from tests.support.workflow import make_officer

from .conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(bill, cashier, settings, tmp_path):
    """The bill paid 50,000 IDR too much at the teller."""
    settings.MEDIA_ROOT = tmp_path
    return payment_confirm_manual(
        bill=bill,
        user=cashier.user,
        amount=bill.amount + 50_000,
        paid_at=timezone.now() - dt.timedelta(minutes=5),
        reference="TELLER-77",
        evidence=PDF,
    )


def _as(login, user) -> Client:
    return login(user, Client())


def _request(c, bill, **data):
    return c.post(
        reverse("payments:refund_request", args=[bill.uuid]),
        {"amount": 50_000, "reason": "overpayment", "note": "Lebih bayar.", **data},
    )


def test_an_officer_requests_and_a_second_officer_approves(
    login, paid, cashier, treasurer
):
    bill = paid.bill
    cashier_c = _as(login, cashier)
    bill_page = cashier_c.get(bill.get_absolute_url()).content.decode()
    assert reverse("payments:refund_request", args=[bill.uuid]) in bill_page
    form = cashier_c.get(reverse("payments:refund_request", args=[bill.uuid]))
    assert form.context["refundable"] == 50_000  # the overpayment only
    response = _request(cashier_c, bill)
    refund = Refund.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:refund_detail", args=[refund.uuid])

    # Four eyes: the requester sees no decision form and cannot post one.
    detail = reverse("payments:refund_detail", args=[refund.uuid])
    decide = reverse("payments:refund_decide", args=[refund.uuid])
    assert cashier_c.get(detail).context["form"] is None
    assert (
        cashier_c.post(decide, {"decision": "approve", "note": "ok"}).status_code == 403
    )

    treasurer_c = _as(login, treasurer)
    assert treasurer_c.get(detail).context["form"] is not None
    missing = treasurer_c.post(decide, {"decision": "approve", "note": ""})
    # A decision carries its reason; the error comes back on the refund page
    # (a reload never lands on the POST-only URL).
    assert missing.status_code == 302
    assert missing["Location"] == detail
    shown = treasurer_c.get(detail).content.decode()
    assert "wajib" in shown or "required" in shown
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED
    response = treasurer_c.post(
        decide, {"decision": "approve", "note": "Sesuai bukti setor."}
    )
    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == RefundStatus.APPROVED
    assert refund.decided_by == treasurer.user
    assert refund.decision_note == "Sesuai bukti setor."
    trail = AuditEntry.objects.filter(
        object_type="payments.refund", object_id=str(refund.pk)
    )
    assert set(trail.values_list("action", flat=True)) >= {
        "refund.request",
        "refund.approve",
    }
    assert trail.get(action="refund.approve").reason == "Sesuai bukti setor."
    again = treasurer_c.post(decide, {"decision": "reject", "note": "salah"})
    assert again.status_code == 302  # decided already: a message, no change
    refund.refresh_from_db()
    assert refund.status == RefundStatus.APPROVED


def test_a_rejection_keeps_the_amount_refundable(login, paid, cashier, treasurer):
    bill = paid.bill
    _request(_as(login, cashier), bill, amount=50_000)
    refund = Refund.objects.get()
    c = _as(login, treasurer)
    c.post(
        reverse("payments:refund_decide", args=[refund.uuid]),
        {"decision": "reject", "note": "Tidak ada kelebihan bayar."},
    )
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REJECTED
    form = _as(login, cashier).get(reverse("payments:refund_request", args=[bill.uuid]))
    assert form.context["refundable"] == 50_000


def test_more_than_was_paid_is_refused_on_the_form(login, paid, cashier):
    response = _request(_as(login, cashier), paid.bill, amount=paid.amount + 1)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not Refund.objects.exists()


def test_while_the_levy_is_owed_only_the_overpayment_goes_back(
    login, paid, cashier, treasurer
):
    """The tester's case: paid 50,000 more than billed, a refund of the whole
    payment as "overpayment" is refused, with the ceiling in rupiah."""
    c = _as(login, cashier)
    c.cookies["django_language"] = "id"
    response = _request(c, paid.bill, amount=paid.amount)
    assert response.status_code == 200
    [error] = response.context["form"].errors["amount"]
    assert "Rp 50.000" in error
    assert "50000" not in error
    assert not Refund.objects.exists()
    assert _request(c, paid.bill, amount=50_000).status_code == 302


def test_the_levy_itself_goes_back_once_the_application_is_rejected(
    login, paid, cashier
):
    Application.objects.filter(pk=paid.bill.application_id).audited_update(
        action="test.reject", status=ApplicationStatus.REJECTED
    )
    c = _as(login, cashier)
    form = c.get(reverse("payments:refund_request", args=[paid.bill.uuid]))
    assert form.context["refundable"] == paid.amount
    assert _request(c, paid.bill, amount=paid.amount).status_code == 302
    assert Refund.objects.get().amount == paid.amount


def test_an_approval_beyond_the_overpayment_is_refused_at_decision(
    login, paid, cashier, treasurer
):
    """A refund of the levy requested while the application was rejected is
    not approved after the levy is owed again (rule checked at both steps)."""
    app = paid.bill.application
    Application.objects.filter(pk=app.pk).audited_update(
        action="test.reject", status=ApplicationStatus.REJECTED
    )
    refund = refund_request(
        payment=paid,
        user=cashier.user,
        amount=paid.amount,
        reason="cancelled",
        note="x",
    )
    Application.objects.filter(pk=app.pk).audited_update(
        action="test.reopen", status=app.status
    )
    c = _as(login, treasurer)
    detail = reverse("payments:refund_detail", args=[refund.uuid])
    response = c.post(
        reverse("payments:refund_decide", args=[refund.uuid]),
        {"decision": "approve", "note": "ok"},
    )
    assert response["Location"] == detail
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED
    assert "Rp 50" in c.get(detail).content.decode()


def test_nothing_left_to_refund_hides_the_link_and_refuses_the_form(
    login, paid, cashier
):
    c = _as(login, cashier)
    _request(c, paid.bill, amount=50_000)
    form_url = reverse("payments:refund_request", args=[paid.bill.uuid])
    assert form_url not in c.get(paid.bill.get_absolute_url()).content.decode()
    response = c.get(form_url)
    assert response.status_code == 302
    assert response["Location"] == paid.bill.get_absolute_url()
    assert _request(c, paid.bill, amount=1).status_code == 302
    assert Refund.objects.count() == 1


def test_the_refund_shows_on_the_bill_and_the_application(
    login, paid, cashier, treasurer, citizen
):
    _request(_as(login, cashier), paid.bill, amount=50_000)
    refund = Refund.objects.get()
    refund_decide(refund=refund, user=treasurer.user, approve=True, note="ok")
    c = _as(login, citizen)
    c.cookies["django_language"] = "id"
    bill_page = c.get(paid.bill.get_absolute_url()).content.decode()
    assert 'data-testid="bill-refunds"' in bill_page
    assert "Rp 50.000" in bill_page
    assert "Disetujui" in bill_page
    app_url = reverse("permits:detail", args=[paid.bill.application.uuid])
    app_page = c.get(app_url).content.decode()
    assert 'data-testid="application-refund"' in app_page
    assert "Rp 50.000" in app_page


def test_the_citizen_sees_no_internal_note_nor_staff_names(
    login, paid, cashier, treasurer, citizen
):
    _request(_as(login, cashier), paid.bill, note="Catatan internal kasir.")
    refund = Refund.objects.get()
    refund_decide(
        refund=refund, user=treasurer.user, approve=True, note="Alasan internal."
    )
    detail = reverse("payments:refund_detail", args=[refund.uuid])
    citizen_page = _as(login, citizen).get(detail).content.decode()
    for hidden in (
        "Catatan internal kasir.",
        "Alasan internal.",
        str(cashier.user),
        str(treasurer.user),
    ):
        assert hidden not in citizen_page
    assert "Rp 50" in citizen_page
    listing = reverse("payments:refund_list")
    citizen_list = _as(login, citizen).get(listing).content.decode()
    assert refund.payment.bill.application.reference in citizen_list
    assert str(cashier.user) not in citizen_list
    officer_page = _as(login, cashier).get(detail).content.decode()
    assert "Catatan internal kasir." in officer_page
    assert str(treasurer.user) in officer_page
    assert str(cashier.user) in _as(login, treasurer).get(listing).content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("id", "Pengembalian"), ("en", "Refunds")]
)
def test_the_list_is_scoped_and_labelled_in_the_users_language(
    login, paid, cashier, assessor, citizen, other_citizen, language, heading
):
    _request(_as(login, cashier), paid.bill)
    refund = Refund.objects.get()
    listing = reverse("payments:refund_list")
    detail = reverse("payments:refund_detail", args=[refund.uuid])
    page = _as(login, cashier).get(listing, headers={"accept-language": language})
    assert heading in page.content.decode()
    assert [r.pk for r in page.context["page"].object_list] == [refund.pk]
    # The application's own agency (DPMPTSP) and its applicant see it...
    for user in (assessor, citizen):
        assert _as(login, user).get(detail).status_code == 200
    # ...but may neither request nor decide.
    for user in (assessor, citizen):
        c = _as(login, user)
        assert _request(c, paid.bill).status_code == 403
        decide = reverse("payments:refund_decide", args=[refund.uuid])
        assert c.post(decide, {"decision": "approve", "note": "x"}).status_code == 403
    # Another citizen and another agency's officer: nothing, and a 404.
    dinsos = Agency.objects.create(code="DINSOS", name="Dinsos", kind="dinas")
    outsider = make_officer("luar", agency=dinsos, role=OfficerRole.APPROVER)
    for user in (other_citizen, outsider):
        c = _as(login, user)
        assert list(c.get(listing).context["page"].object_list) == []
        assert c.get(detail).status_code == 404
        assert _request(c, paid.bill).status_code == 404
    assert Refund.objects.count() == 1
