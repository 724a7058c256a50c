"""Gateway callbacks: only a signed, fresh message for a known, open bill
with the exact amount, paid before the due time, settles it and moves the
application to its next step. Replayed, forged, mismatched, unknown and late
callbacks change nothing; every attempt is recorded and audited."""

import datetime as dt
import json

from django.utils import timezone

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from payments.choices import BillStatus, CallbackOutcome
from payments.models import Bill, GatewayCallback, Payment
from permits.choices import ApplicationStatus, StepStatus
from permits.models import StatusChange

from .conftest import message, post_callback

pytestmark = pytest.mark.django_db


def _state(bill):
    """Everything a callback could change, to compare before and after."""
    bill = Bill.objects.get(pk=bill.pk)
    application = bill.application
    return {
        "bill": (bill.status, bill.paid_at),
        "payments": Payment.objects.count(),
        "application": (application.status, application.version),
        "steps": list(
            application.steps.order_by("order").values_list("status", flat=True)
        ),
        "history": StatusChange.objects.filter(application=application).count(),
        "notifications": Notification.objects.filter(event="payment.received").count(),
    }


def test_signed_callback_pays_the_bill_and_moves_to_the_next_step(client, bill):
    response = post_callback(client, message(bill))
    assert response.status_code == 200
    assert response.json()["outcome"] == "accepted"
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert bill.payment.gateway_transaction_id == "TRX-0001"
    application = bill.application
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    steps = dict(application.steps.values_list("order", "status"))
    assert steps[3] == StepStatus.DONE  # the payment step
    assert steps[4] == StepStatus.ACTIVE  # the issuance is next
    assert Notification.objects.filter(event="payment.received").exists()
    callback = GatewayCallback.objects.get()
    assert callback.outcome == CallbackOutcome.ACCEPTED
    assert AuditEntry.objects.filter(
        action="payment.callback.accepted", object_id=str(callback.pk)
    ).exists()


def test_a_replayed_callback_changes_nothing(client, bill):
    payload = message(bill)
    assert post_callback(client, payload).status_code == 200
    before = _state(bill)
    response = post_callback(client, payload)
    assert response.status_code == 200  # the gateway may stop retrying
    assert response.json()["outcome"] == "duplicate"
    assert _state(bill) == before
    assert list(GatewayCallback.objects.values_list("outcome", flat=True)) == [
        "duplicate",
        "accepted",
    ]


def test_a_forged_callback_is_refused_and_recorded(client, bill):
    before = _state(bill)
    response = post_callback(client, message(bill), secret="not-the-secret")
    assert response.status_code == 401
    assert _state(bill) == before
    callback = GatewayCallback.objects.get()
    assert callback.outcome == CallbackOutcome.BAD_SIGNATURE
    assert callback.bill is None
    assert AuditEntry.objects.filter(action="payment.callback.bad_signature").exists()


def test_a_tampered_body_fails_the_signature(client, bill):
    """Signed for one amount, sent with another."""
    import json as _json

    from django.conf import settings
    from django.urls import reverse

    from payments.gateways.protocol import signed_headers

    signed = _json.dumps(message(bill)).encode()
    headers = signed_headers(settings.PAYMENTS_GATEWAY_SECRET, signed)
    tampered = _json.dumps(message(bill, amount=1)).encode()
    before = _state(bill)
    response = client.post(
        reverse("api:payments-api:gateway-callback"),
        data=tampered,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401
    assert _state(bill) == before


def test_an_unsigned_or_stale_callback_is_refused(client, bill):
    from django.urls import reverse

    before = _state(bill)
    response = client.post(
        reverse("api:payments-api:gateway-callback"),
        data=json.dumps(message(bill)),
        content_type="application/json",
    )
    assert response.status_code == 401
    stale = timezone.now().timestamp() - 3600
    assert post_callback(client, message(bill), now=stale).status_code == 401
    assert _state(bill) == before
    assert GatewayCallback.objects.filter(outcome="bad_signature").count() == 2


@pytest.mark.parametrize("amount_delta", [-1, 1, -100_000])
def test_a_mismatched_amount_is_refused(client, bill, amount_delta):
    before = _state(bill)
    response = post_callback(client, message(bill, amount=bill.amount + amount_delta))
    assert response.status_code == 409
    assert response.json()["outcome"] == "amount_mismatch"
    assert _state(bill) == before
    assert GatewayCallback.objects.get().bill == bill


def test_an_unknown_billing_code_is_refused(client, bill):
    before = _state(bill)
    response = post_callback(client, message(bill, billing_code="3671260000000000"))
    assert response.status_code == 404
    assert _state(bill) == before
    assert GatewayCallback.objects.get().outcome == CallbackOutcome.UNKNOWN_BILL


def test_a_payment_after_the_due_time_is_refused(client, bill):
    late = bill.due_at + dt.timedelta(minutes=1)
    before = _state(bill)
    with pytest.MonkeyPatch.context() as patch:
        # The gateway reports it now, after the due time.
        patch.setattr(
            "django.utils.timezone.now", lambda: late + dt.timedelta(minutes=1)
        )
        response = post_callback(client, message(bill, paid_at=late.isoformat()))
    assert response.status_code == 409
    assert response.json()["outcome"] == "late"
    assert _state(bill) == before


def test_a_callback_for_an_expired_and_reissued_bill_is_refused(
    client, bill, citizen, time_machine
):
    from payments.services import bill_reissue

    time_machine.move_to(bill.due_at + dt.timedelta(hours=1))
    new = bill_reissue(bill=bill, user=citizen)
    before = _state(new)
    response = post_callback(
        client, message(bill, paid_at=(bill.due_at - dt.timedelta(hours=1)).isoformat())
    )
    assert response.status_code == 409
    assert response.json()["outcome"] == "late"
    assert _state(new) == before
    # The new bill is payable.
    assert (
        post_callback(client, message(new, transaction_id="TRX-2")).status_code == 200
    )


def test_a_second_transaction_for_a_paid_bill_is_refused(client, bill):
    assert post_callback(client, message(bill)).status_code == 200
    before = _state(bill)
    response = post_callback(client, message(bill, transaction_id="TRX-0002"))
    assert response.status_code == 409
    assert response.json()["outcome"] == "already_paid"
    assert _state(bill) == before


def test_a_transaction_id_reused_for_other_data_is_a_conflict(client, bill):
    assert post_callback(client, message(bill)).status_code == 200
    before = _state(bill)
    response = post_callback(client, message(bill, amount=bill.amount + 5))
    assert response.status_code == 409
    assert response.json()["outcome"] == "conflict"
    assert _state(bill) == before


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'{"transaction_id": "T", "billing_code": "1", "amount": "10"}',
        b'{"transaction_id": "T", "billing_code": "1", "amount": 10,'
        b' "paid_at": "2026-11-29T10:00:00"}',
    ],
)
def test_a_malformed_message_is_refused(client, bill, raw):
    before = _state(bill)
    response = post_callback(client, None, raw=raw)
    assert response.status_code == 400
    assert _state(bill) == before
    assert GatewayCallback.objects.get().outcome == CallbackOutcome.MALFORMED
