"""Hostile-but-signed gateway callbacks: values the protocol parser let
through (an amount beyond a bigint, a timestamp at the edge of the calendar,
a NUL byte in a text field) must be refused as malformed and recorded, not
crash with a 500 that rolls back the record of the attempt."""

import json

import pytest

from payments.choices import BillStatus, CallbackOutcome
from payments.models import Bill, GatewayCallback, Payment

from .conftest import message, post_callback

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": 10**30},
        {"paid_at": "9999-12-31T23:59:59-05:00"},
        {"paid_at": "0001-01-01T00:00:00+07:00"},
        {"transaction_id": "TRX\x00NUL"},
        {"billing_code": "12\x0034"},
    ],
    ids=["huge-amount", "year-9999", "year-1", "nul-tx", "nul-code"],
)
def test_a_signed_but_garbage_callback_is_malformed_and_recorded(
    client, bill, overrides
):
    payload = message(bill, **overrides)
    response = post_callback(client, None, raw=json.dumps(payload).encode())
    assert response.status_code == 400, response.content
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.OPEN
    assert Payment.objects.count() == 0
    assert GatewayCallback.objects.get().outcome == CallbackOutcome.MALFORMED


def test_a_nul_in_the_informational_channel_does_not_lose_the_payment(client, bill):
    payload = message(bill, channel="tel\x00ler")
    response = post_callback(client, None, raw=json.dumps(payload).encode())
    assert response.status_code == 200, response.content
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID
    assert Payment.objects.get().reference == "teller"


def test_an_unsigned_body_with_a_nul_byte_is_recorded_as_a_bad_signature(client, bill):
    """Anyone on the internet can post this; it must not be a 500."""
    response = post_callback(client, None, raw=b'{"x": 1}\x00', secret="wrong")
    assert response.status_code == 401
    callback = GatewayCallback.objects.get()
    assert callback.outcome == CallbackOutcome.BAD_SIGNATURE
    assert "\x00" not in callback.body


@pytest.mark.parametrize(
    "timestamp", ["\u00b2", "9" * 5000], ids=["superscript-two", "5000-digits"]
)
@pytest.mark.parametrize("endpoint", ["gateway-callback", "gateway-inquiry"])
def test_a_garbage_timestamp_header_is_a_bad_signature_not_a_500(
    client, bill, timestamp, endpoint
):
    """``str.isdigit`` accepts characters ``int`` refuses, and ``int`` refuses
    more than 4300 digits: both used to raise past ``verify``."""
    from django.urls import reverse

    from payments.gateways.protocol import SIGNATURE_HEADER, TIMESTAMP_HEADER

    response = client.post(
        reverse(f"api:payments-api:{endpoint}"),
        data=json.dumps(message(bill)),
        content_type="application/json",
        headers={TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: "sha256=00"},
    )
    assert response.status_code == 401
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.OPEN


def test_billing_code_check_refuses_non_ascii_digits():
    from payments.services import billing_code_valid

    assert billing_code_valid("\u00b2" * 16) is False
    assert billing_code_valid("\u0663" * 16) is False  # Arabic-Indic three
