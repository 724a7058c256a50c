"""SMS and WhatsApp through an HTTP gateway on loopback: the request format,
retries after 5xx and timeouts with one message per idempotency key, permanent
failures and the fallback to the citizen's next channel."""

import uuid
from datetime import timedelta

from django.utils import timezone

import pytest
import time_machine

from notifications.choices import Channel, DeliveryStatus
from notifications.models import Notification
from notifications.services import claimable, notifications_redrive, notify
from notifications.tasks import notification_send_task
from tests.notifications.conftest import free_port
from tests.notifications.fake_gateway import TOKEN

pytestmark = pytest.mark.django_db

APPROVED = {
    "reference": "PTSP-2026-000042",
    "service": "Persetujuan Bangunan Gedung",
    "url": "https://ptsp.example/permohonan/PTSP-2026-000042/",
}


def _approved(user, **kwargs):
    return notify(
        event="application.approved",
        recipient=user,
        context=APPROVED,
        dedupe_key=kwargs.pop("dedupe_key", "42:3"),
        **kwargs,
    )


def _message(rows) -> Notification:
    (row,) = [r for r in rows if r.channel != Channel.IN_APP]
    return row


def _run_due(now=None) -> int:
    """What the workers do with what the re-drive hands over: send every row
    that is due. Returns how many were tried."""
    ids = list(
        Notification.objects.filter(claimable(now or timezone.now()))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        notification_send_task(pk)
    return len(ids)


def test_sms_goes_to_the_gateway_with_token_key_and_text(gateway, make_citizen):
    citizen = make_citizen(channels=["sms", "email"])
    rows = _approved(citizen)
    assert sorted(r.channel for r in rows) == [Channel.IN_APP, Channel.SMS]
    sms = _message(rows)
    assert sms.address == "+6281234567890"
    assert sms.route == [Channel.EMAIL]

    notification_send_task(sms.pk)

    (request,) = gateway.requests
    assert request.path == "/sms"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["idempotency-key"] == str(sms.uuid)
    assert request.body == {
        "channel": "sms",
        "to": "+6281234567890",
        "from": "PTSP TNG",
        "reference": str(sms.uuid),
        "event": "application.approved",
        "type": "text",
        "text": "Permohonan Persetujuan Bangunan Gedung PTSP-2026-000042 disetujui. "
        "Dokumen akan segera diterbitkan.\n"
        "https://ptsp.example/permohonan/PTSP-2026-000042/",
    }
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert sms.provider_message_id == gateway.handset[0]["message_id"]
    assert sms.next_attempt_at is None
    assert sms.attempts.get().status == DeliveryStatus.SENT


def test_gateway_500s_for_a_while_then_each_message_is_delivered_once(
    gateway, make_citizen, settings
):
    """Done when: the gateway answers 500 for a while; the messages are retried
    at ``next_attempt_at`` (backoff) and then reach the handset once per
    idempotency key."""
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_CAP_SECONDS = 600
    citizens = [make_citizen(phone=f"+62812345678{i:02d}") for i in range(5)]
    rows = [_message(_approved(c)) for c in citizens]
    gateway.fail_next = 12  # the first 12 requests get "500"

    with time_machine.travel(timezone.now(), tick=False) as clock:
        rounds = 0
        while Notification.objects.filter(
            channel=Channel.SMS, status__in=[DeliveryStatus.QUEUED, "temporary_failure"]
        ).exists():
            rounds += 1
            assert rounds < 10
            _run_due()
            assert _run_due() == 0  # nothing is due again at once: backoff
            pending = Notification.objects.filter(
                channel=Channel.SMS, next_attempt_at__isnull=False
            )
            if pending.exists():
                clock.move_to(min(p.next_attempt_at for p in pending))

    assert [r.answered for r in gateway.requests].count(500) == 12
    assert sorted(gateway.keys()) == sorted(str(r.uuid) for r in rows)
    for row in rows:
        row.refresh_from_db()
        assert row.status == DeliveryStatus.SENT
        assert row.attempts.filter(status=DeliveryStatus.TEMPORARY_FAILURE).exists()
        assert "HTTP 500" in row.attempts.order_by("number").first().error
    assert not Notification.objects.filter(channel=Channel.EMAIL).exists()


def test_a_slow_gateway_times_out_and_the_retry_sends_nothing_twice(
    gateway, make_citizen
):
    """The gateway took the message but answered after our timeout: the retry
    carries the same key, and the gateway answers without a second SMS."""
    gateway.slow_next = 1
    sms = _message(_approved(make_citizen()))
    notification_send_task(sms.pk)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.TEMPORARY_FAILURE
    assert "timed out" in sms.last_error

    with time_machine.travel(sms.next_attempt_at + timedelta(seconds=1)):
        notification_send_task(sms.pk)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert len(gateway.requests) == 2
    assert gateway.keys() == [str(sms.uuid)]
    assert sms.provider_message_id == gateway.handset[0]["message_id"]


def test_an_invalid_number_fails_at_once_and_falls_back_to_email(
    gateway, make_citizen, smtp_mailer
):
    """Done when: an invalid number is a permanent failure at once (no retry)
    and the message goes by e-mail, the citizen's next channel, in a new outbox
    row linked to the failed one."""
    citizen = make_citizen(phone="+6281299990000", channels=["sms", "email"])
    gateway.invalid_numbers.add("+6281299990000")
    sms = _message(_approved(citizen))

    notification_send_task(sms.pk)

    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.PERMANENT_FAILURE
    assert sms.attempt_count == 1
    assert sms.next_attempt_at is None
    assert "invalid_number" in sms.last_error
    email = sms.fallback
    assert email.channel == Channel.EMAIL
    assert email.uuid == uuid.uuid5(sms.uuid, "email")
    assert (email.event, email.dedupe_key) == (sms.event, sms.dedupe_key)
    assert email.address == citizen.email
    assert email.route == []

    notification_send_task(email.pk)
    email.refresh_from_db()
    assert email.status == DeliveryStatus.DELIVERED
    (message,) = smtp_mailer.messages
    assert message["X-Idempotency-Key"] == str(email.uuid)
    assert message["Subject"] == "Permohonan PTSP-2026-000042 disetujui"

    # Running everything again writes no second fallback and sends nothing more.
    notification_send_task(sms.pk)
    assert notifications_redrive() == 0
    assert Notification.objects.filter(channel=Channel.EMAIL).count() == 1
    assert len(gateway.requests) == 1


def test_fallback_follows_the_citizens_whole_order(gateway, make_citizen, settings):
    """WhatsApp without an approved template fails for good, SMS hits an invalid
    number, and the message ends by e-mail: one row per channel, each linked to
    the one before."""
    citizen = make_citizen(channels=["whatsapp", "sms", "email"])
    gateway.invalid_numbers.add("+6281234567890")
    first = _message(_approved(citizen))
    assert (first.channel, first.route) == ("whatsapp", ["sms", "email"])
    notification_send_task(first.pk)
    second = Notification.objects.get(fallback_of=first)
    assert (second.channel, second.route) == ("sms", ["email"])
    notification_send_task(second.pk)
    third = Notification.objects.get(fallback_of=second)
    assert (third.channel, third.route) == ("email", [])
    first.refresh_from_db()
    assert "No approved WhatsApp template" in first.last_error


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (400, DeliveryStatus.PERMANENT_FAILURE),
        (401, DeliveryStatus.TEMPORARY_FAILURE),
        (404, DeliveryStatus.PERMANENT_FAILURE),
        (429, DeliveryStatus.TEMPORARY_FAILURE),
        (502, DeliveryStatus.TEMPORARY_FAILURE),
        (503, DeliveryStatus.TEMPORARY_FAILURE),
    ],
)
def test_http_answers_are_classified(gateway, make_citizen, status, outcome):
    gateway.fail_next, gateway.fail_status = 1, status
    sms = _message(_approved(make_citizen(channels=["sms"])))
    notification_send_task(sms.pk)
    sms.refresh_from_db()
    assert sms.status == outcome
    assert f"HTTP {status}" in sms.last_error


def test_an_unreachable_gateway_is_temporary(gateway, make_citizen, settings):
    settings.NOTIFICATIONS_GATEWAYS["sms"]["URL"] = f"http://127.0.0.1:{free_port()}/"
    sms = _message(_approved(make_citizen()))
    notification_send_task(sms.pk)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.TEMPORARY_FAILURE
    assert "unreachable" in sms.last_error


def test_without_a_configured_gateway_the_message_falls_back(
    make_citizen, settings, smtp_mailer
):
    settings.NOTIFICATIONS_GATEWAYS = {"sms": {"ADAPTER": "", "URL": ""}}
    sms = _message(_approved(make_citizen()))
    notification_send_task(sms.pk)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.PERMANENT_FAILURE
    assert "No sms gateway is configured" in sms.last_error
    assert sms.fallback.channel == Channel.EMAIL


def test_a_one_time_code_by_sms_is_short_and_redacted_once_sent(gateway, make_user):
    user = make_user()
    (row,) = notify(
        event="account.otp",
        recipient=user,
        context={"code": "482913", "purpose": "login", "valid_minutes": 10},
        channels=["sms"],
        to={"sms": "+6285712345678"},
    )
    notification_send_task(row.pk)
    (sent,) = gateway.handset
    assert sent["to"] == "+6285712345678"
    assert sent["text"] == (
        "482913 adalah kode PTSP Anda untuk masuk ke portal, berlaku 10 menit. "
        "JANGAN berikan kepada siapa pun."
    )
    assert len(sent["text"]) <= 160
    row.refresh_from_db()
    assert row.context["code"] == "[redacted]"
    assert "482913" not in row.body
