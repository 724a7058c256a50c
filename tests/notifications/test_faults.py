"""Fault tests with the real parts: a test-owned Redis as broker, a real Celery
worker process on the test database, and a real SMTP server on loopback.

Nothing the portal promised is lost and nothing arrives twice per idempotency key,
(1) when the broker is down while 200 transactions commit, and (2) when the worker
is killed with SIGKILL in the middle of a batch.
"""

import logging

from django.db import transaction
from django.utils import timezone

import pytest

from accounts.models import User
from audit.services import audit_record
from notifications.choices import DeliveryStatus
from notifications.delivery import LEASE_EXPIRED
from notifications.models import Notification, NotificationAttempt
from notifications.services import notifications_redrive, notify
from tests.support.processes import wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

BATCH = 200


def _recipients(count: int) -> list[User]:
    User.objects.bulk_create(
        User(
            username=f"fault{i}",
            email=f"fault{i}@example.org",
            preferred_language="en" if i % 3 == 0 else "id",
        )
        for i in range(count)
    )
    return list(User.objects.filter(username__startswith="fault").order_by("pk"))


@transaction.atomic(durable=True)
def _issue_code(user: User, number: int) -> None:
    """A stand-in for a real notifying change: an audited change and its one-time
    code commit together."""
    audit_record(action="account.otp_issue", obj=user)
    notify(
        event="account.otp",
        recipient=user,
        context={"code": f"{number:06d}", "purpose": "login"},
        dedupe_key=f"challenge-{number}",
    )


def _delivered() -> int:
    return Notification.objects.filter(status=DeliveryStatus.DELIVERED).count()


def _assert_one_message_per_key(smtp_sink, *, allowed_duplicates: int = 0) -> None:
    keys = smtp_sink.keys()
    expected = {str(key) for key in Notification.objects.values_list("uuid", flat=True)}
    assert len(expected) == BATCH
    assert set(keys) == expected  # every promised message arrived ...
    assert len(keys) - len(set(keys)) <= allowed_duplicates  # ... at least once
    assert not Notification.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_broker_outage_loses_nothing_and_sends_each_message_once(
    broker, worker, smtp_sink, caplog
):
    users = _recipients(BATCH)
    worker.start()  # it stays up through the outage and reconnects afterwards
    broker.stop()

    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        for number, user in enumerate(users):
            _issue_code(user, number)  # raises on any failure: all must succeed

    assert Notification.objects.filter(status=DeliveryStatus.QUEUED).count() == BATCH
    # The failed hand-off left every row for the re-drive, nothing was sent.
    assert not Notification.objects.filter(handed_off_at__isnull=False).exists()
    assert smtp_sink.messages == []
    # After a failure publishing pauses (NOTIFICATIONS_PUBLISH_PAUSE_SECONDS)
    # instead of costing every request the broker's connection timeout.
    failures = [r for r in caplog.records if "Broker unavailable" in r.getMessage()]
    assert 1 <= len(failures) < BATCH / 10

    broker.start()
    recovered_at = timezone.now()
    assert notifications_redrive() == BATCH  # what beat runs every minute
    wait_for(lambda: _delivered() == BATCH, timeout=60, what="all deliveries")

    _assert_one_message_per_key(smtp_sink)
    assert len(smtp_sink.messages) == BATCH
    assert not Notification.objects.filter(delivered_at__lt=recovered_at).exists()
    attempts = {n.attempt_count for n in Notification.objects.all()}
    assert attempts == {1}


def test_worker_killed_mid_batch_loses_nothing(broker, worker, smtp_sink):
    """The worst moment: the SMTP server has stored a message but the worker has
    not yet heard "250" when it dies. Its claim expires, another worker sends the
    message again, and the second copy carries the same idempotency key."""
    smtp_sink.hold_after = 40
    users = _recipients(BATCH)
    worker.start()
    for number, user in enumerate(users):
        _issue_code(user, number)  # handed to the broker after each commit

    def both_pool_processes_stuck() -> bool:
        sending = Notification.objects.filter(status=DeliveryStatus.SENDING)
        return len(smtp_sink.keys()) == 42 and sending.count() == 2

    wait_for(both_pool_processes_stuck, timeout=60, what="the batch to be stuck")
    stuck = set(
        Notification.objects.filter(status=DeliveryStatus.SENDING).values_list(
            "uuid", flat=True
        )
    )
    worker.kill()
    smtp_sink.release.set()
    assert _delivered() == 40  # mid-batch: 160 not yet sent

    worker.start()

    def redriven_and_done() -> bool:
        notifications_redrive()  # picks rows the dead worker held, once leases end
        return _delivered() == BATCH

    wait_for(redriven_and_done, timeout=60, step=1.0, what="all deliveries")

    # At least once: exactly the two messages in flight arrived twice, each time
    # with its own idempotency key, so the receiver keeps one of each.
    _assert_one_message_per_key(smtp_sink, allowed_duplicates=2)
    keys = smtp_sink.keys()
    assert {key for key in keys if keys.count(key) == 2} == {str(u) for u in stuck}
    # The dead worker's claims expired and another worker took them over.
    taken_over = NotificationAttempt.objects.filter(
        error=LEASE_EXPIRED, status=DeliveryStatus.TEMPORARY_FAILURE
    ).values_list("notification__uuid", flat=True)
    assert set(taken_over) == stuck
