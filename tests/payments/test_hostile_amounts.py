"""Hostile amounts in the officers' payment forms: beyond a bigint, a date
in the wrong format, an HTML file renamed .pdf. A 400 with a message and
nothing recorded, never a database 500."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from payments.choices import BillStatus
from payments.models import Bill, Payment, Refund

from .conftest import PDF, message, post_callback

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def url(name, *args):
    return reverse(f"api:payments-api:{name}", args=args)


def _confirm(bill, **kw):
    return {
        "amount": bill.amount,
        "paid_at": (timezone.now() - dt.timedelta(minutes=3)).isoformat(),
        "reference": "TELLER-1",
        "evidence": SimpleUploadedFile("bukti.pdf", PDF),
        **kw,
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": 10**30},
        {"amount": -5},
        {"paid_at": "31/12/2026 10:00"},
        {"evidence": SimpleUploadedFile("bukti.pdf", b"<html>hi</html>")},
        {"reference": "x" * 500},
    ],
    ids=["huge", "negative", "date-format", "html-as-pdf", "long-ref"],
)
def test_a_hostile_manual_confirmation_is_400_and_changes_nothing(
    login, bill, cashier, settings, tmp_path, overrides
):
    settings.MEDIA_ROOT = tmp_path
    response = login(cashier).post(
        url("bill-confirm", bill.uuid), _confirm(bill, **overrides)
    )
    assert response.status_code == 400, response.content
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.OPEN
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("amount", [10**30, 0, -1, "1e3"])
def test_a_hostile_refund_amount_is_400(login, client, bill, cashier, amount):
    assert post_callback(client, message(bill)).status_code == 200
    payment = Payment.objects.get()
    response = login(cashier).post(
        url("refund-list"),
        {
            "payment": str(payment.uuid),
            "amount": amount,
            "reason": "overpayment",
            "note": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert Refund.objects.count() == 0


def test_a_huge_amount_in_the_confirmation_page_is_a_form_error(
    login, bill, cashier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = login(cashier).post(
        reverse("payments:confirm", args=[bill.uuid]),
        _confirm(bill, amount=10**30, paid_at="2026-11-29T10:00"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert Payment.objects.count() == 0
