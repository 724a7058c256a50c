"""Delivery by the worker's task: e-mail over real SMTP, in-app, attempts, retries
with backoff in ``next_attempt_at``, permanent failures and leases."""

from datetime import timedelta

from django.utils import timezone

import pytest
import time_machine

from notifications.choices import Channel, DeliveryStatus
from notifications.delivery import LEASE_EXPIRED, notification_claim
from notifications.models import Notification
from notifications.services import notifications_redrive, notify
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db


def _otp(user, **kwargs):
    return notify(
        event="account.otp",
        recipient=user,
        context={"code": "482913", "purpose": "login"},
        **kwargs,
    )


def test_email_arrives_with_its_idempotency_key_in_the_recipients_language(
    make_user, smtp_mailer
):
    indonesian = _otp(make_user())[0]
    english = _otp(make_user(preferred_language="en"))[0]
    notification_send_task(indonesian.pk)
    notification_send_task(english.pk)

    by_key = {m["X-Idempotency-Key"]: m for m in smtp_mailer.messages}
    assert set(by_key) == {str(indonesian.uuid), str(english.uuid)}
    message = by_key[str(indonesian.uuid)]
    assert message["Subject"] == "Kode sekali pakai PTSP"  # never the code
    assert message["Message-ID"] == f"<{indonesian.uuid}@127.0.0.1>"
    assert "masuk ke portal" in message.get_content()
    assert by_key[str(english.uuid)]["Subject"] == "PTSP one-time code"

    indonesian.refresh_from_db()
    assert indonesian.status == DeliveryStatus.DELIVERED
    assert indonesian.next_attempt_at is None
    assert [a.status for a in indonesian.attempts.all()] == [DeliveryStatus.DELIVERED]


def test_a_sent_one_time_code_is_redacted_from_the_database(make_user, smtp_mailer):
    """The code reached the user; the log keeps the text, never the code."""
    row = _otp(make_user())[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert "482913" in smtp_mailer.messages[0].get_content()
    assert row.context == {"code": "[redacted]", "purpose": "login"}
    assert row.subject == "Kode sekali pakai PTSP"
    assert "482913" not in row.body
    assert "Kode sekali pakai Anda adalah [redacted]." in row.body


def test_a_failed_one_time_code_is_redacted_too(make_user):
    row = _otp(make_user(email=""))[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PERMANENT_FAILURE
    assert row.context["code"] == "[redacted]"


def test_running_the_task_twice_sends_once(make_user, smtp_mailer):
    row = _otp(make_user())[0]
    notification_send_task(row.pk)
    notification_send_task(row.pk)
    assert len(smtp_mailer.messages) == 1
    assert row.attempts.count() == 1


def test_in_app_is_delivered_into_the_inbox(make_user):
    row = notify(
        event="application.approved",
        recipient=make_user(preferred_language="en"),
        context={"reference": "PTSP-2026-000001", "service": "PBG", "url": "u"},
        channels=[Channel.IN_APP],
    )[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED
    assert row.subject == "Application PTSP-2026-000001 approved"
    assert row.body.startswith("Your PBG application PTSP-2026-000001 is approved.")


def test_an_invalid_address_fails_permanently_at_once(make_user, smtp_mailer):
    row = _otp(make_user(email="not-an-address"))[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PERMANENT_FAILURE
    assert row.next_attempt_at is None
    assert "Invalid e-mail address" in row.last_error
    assert row.attempts.get().status == DeliveryStatus.PERMANENT_FAILURE
    assert smtp_mailer.messages == []
    assert notifications_redrive() == 0  # never retried


def test_a_5xx_refusal_is_permanent(make_user, smtp_mailer):
    smtp_mailer.refuse["gone@example.org"] = "550 5.1.1 No such user"
    row = _otp(make_user(email="gone@example.org"))[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PERMANENT_FAILURE
    assert "550" in row.last_error


def test_unreachable_server_retries_with_exponential_backoff_and_a_cap(
    make_user, settings
):
    from tests.support.smtp import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_CAP_SECONDS = 180
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    row = _otp(make_user())[0]
    delays = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(4):
            notification_send_task(row.pk)
            row.refresh_from_db()
            if row.status != DeliveryStatus.TEMPORARY_FAILURE:
                break
            delay = row.next_attempt_at - timezone.now()
            delays.append(delay.total_seconds())
            notification_send_task(row.pk)  # not due yet: nothing happens
            assert row.attempts.count() == len(delays)
            clock.shift(delay)
    assert delays == [60, 120, 180]
    assert row.status == DeliveryStatus.PERMANENT_FAILURE
    assert "Gave up after 4 attempts" in row.last_error
    assert [a.status for a in row.attempts.order_by("number")] == [
        DeliveryStatus.TEMPORARY_FAILURE,
        DeliveryStatus.TEMPORARY_FAILURE,
        DeliveryStatus.TEMPORARY_FAILURE,
        DeliveryStatus.PERMANENT_FAILURE,
    ]


def test_a_dead_workers_lease_expires_and_another_takes_over(
    make_user, smtp_mailer, settings
):
    settings.NOTIFICATIONS_LEASE_SECONDS = 30
    row = _otp(make_user())[0]
    assert notification_claim(notification_id=row.pk, worker="dies") is not None
    notification_send_task(row.pk)  # leased by the (dead) first worker
    assert smtp_mailer.messages == []
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED
    first, second = row.attempts.order_by("number")
    assert (first.status, first.error) == (
        DeliveryStatus.TEMPORARY_FAILURE,
        LEASE_EXPIRED,
    )
    assert second.status == DeliveryStatus.DELIVERED
    assert len(smtp_mailer.messages) == 1


def test_redrive_leaves_rows_waiting_in_the_queue_alone_during_the_grace(
    make_user, settings
):
    """A row published a moment ago is in the broker's queue: the re-drive does not
    publish it again until the grace period has passed; a row whose publish failed
    is picked at once; each is picked once per grace period."""
    settings.NOTIFICATIONS_REDRIVE_GRACE_SECONDS = 120
    user = make_user()
    _otp(user)  # published after commit
    publish_failed = _otp(user)[0]
    Notification.objects.filter(pk=publish_failed.pk).update(handed_off_at=None)
    assert notifications_redrive() == 1
    assert notifications_redrive() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        assert notifications_redrive() == 2  # neither was sent: both again
        assert notifications_redrive() == 0
