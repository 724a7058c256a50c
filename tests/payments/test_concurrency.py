"""Two callbacks race for one bill on real PostgreSQL connections: the bill
row lock orders them, the bill is paid once and the workflow moves once."""

import json
import threading

from django.conf import settings
from django.db import connection

import pytest

from payments.choices import CallbackOutcome
from payments.gateways.protocol import signed_headers
from payments.models import GatewayCallback, Payment
from payments.services import callback_receive
from permits.choices import ApplicationStatus
from permits.models import StatusChange

from .conftest import message

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(bodies):
    barrier = threading.Barrier(len(bodies))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(body):
        from audit.context import audit_actor

        try:
            headers = signed_headers(settings.PAYMENTS_GATEWAY_SECRET, body)
            barrier.wait(timeout=10)
            with audit_actor(system="system:test"):
                outcomes.append(callback_receive(body=body, headers=headers).outcome)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return sorted(outcomes)


@pytest.mark.parametrize(
    ("second_tx", "expected"),
    [
        ("TRX-0001", ["accepted", "duplicate"]),  # the gateway retried at once
        ("TRX-0002", ["accepted", "already_paid"]),  # paid twice at the bank
    ],
)
def test_two_callbacks_at_once_settle_the_bill_once(bill, second_tx, expected):
    first = json.dumps(message(bill)).encode()
    second = json.dumps(message(bill, transaction_id=second_tx)).encode()
    assert _race([first, second]) == expected
    assert Payment.objects.filter(bill=bill).count() == 1
    application = bill.application
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    # One move out of the payment step, not two.
    assert (
        StatusChange.objects.filter(
            application=application, action="payment_received"
        ).count()
        == 1
    )
    assert GatewayCallback.objects.filter(outcome=CallbackOutcome.ACCEPTED).count() == 1
