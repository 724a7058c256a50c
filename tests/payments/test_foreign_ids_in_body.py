"""Someone else's object named in a request body is a 400 naming the field
(the body is bad input; the URL's object was fine), and nothing changes."""

from django.urls import reverse

import pytest

from payments.models import Bill, Refund

from .conftest import message, post_callback

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def url(name, *args):
    return reverse(f"api:payments-api:{name}", args=args)


def test_a_bill_for_an_application_the_officer_cannot_see_is_400(
    login, at_fee_step, reviewer
):
    """The Perkim reviewer sees the application but the fee step is not
    theirs; a citizen sees nothing of it: both get a 400 or a 403, never a bill."""
    step = at_fee_step.steps.get(order=2)
    body = {
        "application": str(at_fee_step.uuid),
        "step": step.pk,
        "floor_area_m2": "72",
        "building_function": "residential",
    }
    response = login(reviewer).post(
        url("bill-list"), body, content_type="application/json"
    )
    assert response.status_code in (400, 403)
    assert Bill.objects.count() == 0


def test_an_unseen_application_in_the_body_is_400(login, at_fee_step, other_citizen):
    body = {"application": str(at_fee_step.uuid), "step": 1}
    response = login(other_citizen).post(
        url("bill-list"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "application" in response.json()
    assert Bill.objects.count() == 0


def test_a_step_of_another_application_in_the_body_is_400(login, at_fee_step, assessor):
    body = {
        "application": str(at_fee_step.uuid),
        "step": 999_999,
        "floor_area_m2": "72",
        "building_function": "residential",
    }
    response = login(assessor).post(
        url("bill-list"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "step" in response.json()
    assert Bill.objects.count() == 0


def test_an_unseen_payment_in_a_refund_is_400(login, client, bill, citizen):
    assert post_callback(client, message(bill)).status_code == 200
    from payments.models import Payment

    payment = Payment.objects.get()
    response = login(citizen).post(
        url("refund-list"),
        {"payment": str(payment.uuid), "amount": 1, "reason": "other", "note": "x"},
        content_type="application/json",
    )
    assert response.status_code in (400, 403)
    assert Refund.objects.count() == 0
