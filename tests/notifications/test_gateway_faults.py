"""The gateway fails under a real worker: a Celery worker process (on a
test-owned Redis and the test database) sends SMS to the loopback gateway, which
answers 500 for a while and then slowly; the per-minute re-drive (run here every
second) retries at ``next_attempt_at`` until every message is accepted, and the
handset holds exactly one message per idempotency key."""

from django.db import transaction

import pytest

from audit.services import audit_record
from notifications.choices import Channel, DeliveryStatus
from notifications.models import Notification
from notifications.services import notifications_redrive, notify
from tests.notifications.fake_gateway import SECRET, TOKEN
from tests.support.processes import wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

BATCH = 40


@pytest.fixture
def worker_env_extra(gateway) -> dict[str, str]:
    return {
        "NOTIFICATIONS_SMS_URL": f"{gateway.url}/sms",
        "NOTIFICATIONS_SMS_TOKEN": TOKEN,
        "NOTIFICATIONS_SMS_CALLBACK_SECRETS": SECRET,
        "NOTIFICATIONS_GATEWAY_TIMEOUT": "1",
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
        "NOTIFICATIONS_RETRY_CAP_SECONDS": "2",
        "NOTIFICATIONS_QUIET_HOURS": "",
    }


@transaction.atomic(durable=True)
def _approve(citizen, number: int) -> None:
    """A stand-in for a real approval: the change and its notice commit together."""
    audit_record(action="application.approve", obj=citizen)
    notify(
        event="application.approved",
        recipient=citizen,
        context={"reference": f"PTSP-2026-{number:06d}", "service": "PBG", "url": "u"},
        dedupe_key=f"{number}:1",
    )


def test_a_failing_gateway_gets_every_message_once(
    broker, worker, gateway, make_citizen
):
    citizens = [
        make_citizen(phone=f"+628123456{number:04d}", channels=["sms", "email"])
        for number in range(BATCH)
    ]
    gateway.fail_next = 50  # "500" for a while ...
    gateway.slow_next = 3  # ... then a few answers after the worker's timeout
    gateway.slow_seconds = 2.5
    worker.start()
    for number, citizen in enumerate(citizens):
        _approve(citizen, number)  # handed to the broker after each commit

    def all_sent() -> bool:
        notifications_redrive()  # what beat runs every minute
        return (
            Notification.objects.filter(
                channel=Channel.SMS, status=DeliveryStatus.SENT
            ).count()
            == BATCH
        )

    wait_for(all_sent, timeout=120, step=1.0, what="every SMS to be accepted")

    sms = Notification.objects.filter(channel=Channel.SMS)
    expected = {str(key) for key in sms.values_list("uuid", flat=True)}
    keys = gateway.keys()
    assert len(keys) == len(set(keys)) == BATCH  # one message per key ...
    assert set(keys) == expected  # ... for every promised one
    answers = [r.answered for r in gateway.requests]
    assert answers.count(500) == 50
    assert len(gateway.requests) > BATCH + 50  # the slow ones were asked again
    retried = sms.filter(attempt_count__gt=1).count()
    assert retried >= 20
    # A temporary failure never falls back: no e-mail was written.
    assert not Notification.objects.filter(channel=Channel.EMAIL).exists()
