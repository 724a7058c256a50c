"""Payments API: public fee rules, scoped bills (another citizen's bill is a
404 on every verb), issue at the fee step, reissue, manual confirmation and
refunds for Bapenda/BPKD only, the gateway's signed inquiry, the callback log
for revenue officers."""

import datetime as dt
import json

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from payments.gateways.protocol import signed_headers
from payments.models import Bill, Payment
from payments.services import fee_rules_sync
from permits.choices import ApplicationStatus
from permits.models import Application

from .conftest import PDF, message, post_callback

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"api:payments-api:{name}", args=args)


def test_fee_rules_are_public(client, pbg):
    fee_rules_sync()
    response = client.get(url("fee-rule-list"))
    assert response.status_code == 200
    rule = response.json()[0]
    assert rule["service"] == "pbg-uji"
    assert rule["kind"] == "pbg"
    assert rule["status"] == "assumed"
    detail = client.get(url("fee-rule-detail", "pbg-uji"))
    assert detail.json()["exemptions"][0]["code"] == "mbr"


def test_the_officer_of_the_step_issues_the_bill(client, login, at_fee_step, assessor):
    c = login(assessor)
    payload = {
        "application": str(at_fee_step.uuid),
        "step": at_fee_step.steps.get(order=2).pk,
        "seen_version": at_fee_step.version,
        "floor_area_m2": "72",
        "building_function": "residential",
    }
    response = c.post(url("bill-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == 270_000
    # The same request again: the step is done, the version stale.
    again = c.post(url("bill-list"), payload, content_type="application/json")
    assert again.status_code == 409
    assert Bill.objects.count() == 1


def test_issue_with_bad_input_is_a_400_naming_the_field(login, at_fee_step, assessor):
    c = login(assessor)
    response = c.post(
        url("bill-list"),
        {
            "application": str(at_fee_step.uuid),
            "step": at_fee_step.steps.get(order=2).pk,
            "floor_area_m2": "0",
            "building_function": "residential",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "floor_area_m2"


def test_bills_are_scoped(
    client, login, bill, citizen, other_citizen, cashier, django_assert_max_num_queries
):
    assert login(citizen).get(url("bill-detail", bill.uuid)).status_code == 200
    mine = login(citizen)
    with django_assert_max_num_queries(8):
        listed = mine.get(url("bill-list")).json()["results"]
    assert [b["uuid"] for b in listed] == [str(bill.uuid)]
    other = login(other_citizen)
    assert other.get(url("bill-list")).json()["results"] == []
    assert other.get(url("bill-detail", bill.uuid)).status_code == 404
    assert other.post(url("bill-reissue", bill.uuid)).status_code == 404
    assert other.post(url("bill-confirm", bill.uuid)).status_code == 404
    # Bapenda sees every bill (it collects them all).
    assert login(cashier).get(url("bill-detail", bill.uuid)).status_code == 200


def test_the_citizen_reissues_an_expired_bill(login, bill, citizen, time_machine):
    time_machine.move_to(bill.due_at + dt.timedelta(minutes=1))
    response = login(citizen).post(url("bill-reissue", bill.uuid))
    assert response.status_code == 201
    assert response.json()["replaces"] == str(bill.uuid)


def _confirm_payload(bill, **kw):
    return {
        "amount": bill.amount,
        "paid_at": (timezone.now() - dt.timedelta(minutes=3)).isoformat(),
        "reference": "TELLER-1",
        "evidence": SimpleUploadedFile("bukti.pdf", PDF),
        **kw,
    }


def test_manual_confirmation_by_bapenda_only(
    login, bill, citizen, assessor, cashier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assert (
        login(citizen).post(url("bill-confirm", bill.uuid), _confirm_payload(bill))
    ).status_code == 403
    assert (
        login(assessor).post(url("bill-confirm", bill.uuid), _confirm_payload(bill))
    ).status_code == 403
    response = login(cashier).post(
        url("bill-confirm", bill.uuid), _confirm_payload(bill)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "manual"
    assert Payment.objects.get().evidence_content_type == "application/pdf"


def test_refund_requested_and_approved_by_two_officers(
    login, client, bill, cashier, treasurer, citizen
):
    assert post_callback(client, message(bill)).status_code == 200
    payment = Payment.objects.get()
    # The levy itself goes back only once it is no longer owed.
    Application.objects.filter(pk=bill.application_id).audited_update(
        action="test.reject", status=ApplicationStatus.REJECTED
    )
    c = login(cashier)
    response = c.post(
        url("refund-list"),
        {
            "payment": str(payment.uuid),
            "amount": 10_000,
            "reason": "cancelled",
            "note": "Permohonan dibatalkan.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    refund = response.json()["uuid"]
    assert c.post(url("refund-approve", refund)).status_code == 403
    decided = login(treasurer).post(url("refund-approve", refund))
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    seen = login(citizen).get(url("refund-detail", refund))
    assert seen.status_code == 200
    # The applicant sees the refund, not the officers' internal notes.
    assert seen.json()["amount"] == 10_000
    assert "note" not in seen.json()
    assert "decision_note" not in seen.json()
    assert login(cashier).get(url("refund-detail", refund)).json()["note"]


def test_callback_log_for_revenue_officers_and_auditors_only(
    client, login, bill, citizen, cashier
):
    post_callback(client, message(bill), secret="forged")
    assert login(citizen).get(url("payment-callback-list")).json()["results"] == []
    rows = login(cashier).get(url("payment-callback-list")).json()["results"]
    assert [r["outcome"] for r in rows] == ["bad_signature"]


def _inquire(client, payload, secret=None):
    body = json.dumps(payload).encode()
    return client.post(
        url("gateway-inquiry"),
        data=body,
        content_type="application/json",
        headers=signed_headers(secret or settings.PAYMENTS_GATEWAY_SECRET, body),
    )


def test_gateway_inquiry(client, bill):
    answer = _inquire(client, {"billing_code": bill.billing_code})
    assert answer.status_code == 200
    assert answer.json()["amount"] == bill.amount
    assert answer.json()["payable"] is True
    assert _inquire(client, {"billing_code": "1"}).status_code == 404
    assert _inquire(client, {"billing_code": bill.billing_code}, "x").status_code == 401
    assert _inquire(client, {"x": 1}).status_code == 400


def test_the_openapi_schema_lists_the_endpoints(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/bills/{uuid}/confirm/" in paths
    assert "/api/v1/payments/gateway/callback/" in paths
