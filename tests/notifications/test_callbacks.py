"""Delivery reports from the gateway: HMAC-signed, idempotent, replay-safe;
forged, stale and unknown reports are refused; reports update the message's
state, fall back on failure, and open the WhatsApp window."""

import time
from datetime import timedelta

from django.utils import timezone

import pytest

from notifications.choices import Channel, DeliveryStatus
from notifications.models import GatewayCallback, Notification, WhatsAppConversation
from notifications.services import notify
from notifications.tasks import notification_send_task
from tests.notifications.fake_gateway import SECRET

URL = "/webhooks/sms/"


def _sent_sms(user) -> Notification:
    (row,) = [
        r
        for r in notify(
            event="application.approved",
            recipient=user,
            context={"reference": "PTSP-2026-000060", "service": "PBG", "url": "u"},
        )
        if r.channel != Channel.IN_APP
    ]
    notification_send_task(row.pk)
    row.refresh_from_db()
    return row


def _post(client, signed, url=URL):
    body, headers = signed
    return client.post(url, data=body, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_a_delivered_report_marks_the_message_delivered_once(
    client, gateway, make_citizen
):
    sms = _sent_sms(make_citizen())
    assert sms.status == DeliveryStatus.SENT
    report = gateway.report(reference=str(sms.uuid), event_id="evt-1")

    response = _post(client, report)
    assert response.status_code == 200
    assert response.json() == {"outcome": "delivered"}
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.DELIVERED
    assert sms.delivered_at is not None
    assert sms.attempts.get().status == DeliveryStatus.DELIVERED

    # The same report again (a gateway retry, or a replay within the tolerance).
    again = _post(client, report)
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert GatewayCallback.objects.count() == 1


@pytest.mark.django_db
def test_a_report_may_name_only_the_gateways_message_id(client, gateway, make_citizen):
    sms = _sent_sms(make_citizen())
    response = _post(client, gateway.report(message_id=sms.provider_message_id))
    assert response.json() == {"outcome": "delivered"}


@pytest.mark.django_db
def test_forged_unsigned_tampered_and_stale_reports_are_refused(
    client, gateway, make_citizen
):
    sms = _sent_sms(make_citizen())
    reference = str(sms.uuid)

    forged = gateway.report(reference=reference, secret="guessed")
    assert _post(client, forged).status_code == 403
    body, _headers = gateway.report(reference=reference)
    unsigned = client.post(URL, data=body, content_type="application/json")
    assert unsigned.status_code == 403
    _body, headers = gateway.report(reference=reference, status="delivered")
    tampered_body, _ = gateway.report(reference=reference, status="failed")
    assert _post(client, (tampered_body, headers)).status_code == 403
    stale = gateway.report(reference=reference, timestamp=int(time.time()) - 301)
    response = _post(client, stale)
    assert response.status_code == 400
    assert "tolerance" in response.json()["error"]

    assert not GatewayCallback.objects.exists()
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_unknown_messages_gateways_and_malformed_reports_are_refused(
    client, gateway, make_citizen
):
    sms = _sent_sms(make_citizen())
    unknown = gateway.report(reference="00000000-0000-0000-0000-000000000000")
    assert _post(client, unknown).status_code == 404
    # An SMS's key reported on the WhatsApp gateway matches nothing there.
    other = gateway.report(reference=str(sms.uuid))
    assert _post(client, other, url="/webhooks/whatsapp/").status_code == 404
    assert _post(client, other, url="/webhooks/pigeon/").status_code == 404
    assert client.get(URL).status_code == 405
    malformed = gateway.sign({"id": "evt-x", "type": "status", "status": "lost"})
    assert _post(client, malformed).status_code == 400
    assert not GatewayCallback.objects.exists()


@pytest.mark.django_db
def test_rotated_secrets_are_both_accepted(client, gateway, make_citizen, settings):
    settings.NOTIFICATIONS_GATEWAYS["sms"]["CALLBACK_SECRETS"] = ["new-secret", SECRET]
    sms = _sent_sms(make_citizen())
    old = gateway.report(reference=str(sms.uuid), status="sent")
    new = gateway.report(reference=str(sms.uuid), secret="new-secret")
    assert _post(client, old).json() == {"outcome": "no change"}
    assert _post(client, new).json() == {"outcome": "delivered"}


@pytest.mark.django_db
def test_a_failed_report_falls_back_to_the_next_channel(
    client, gateway, make_citizen, smtp_mailer
):
    sms = _sent_sms(make_citizen(channels=["sms", "email"]))
    report = gateway.report(
        reference=str(sms.uuid), status="failed", error_code="invalid_number"
    )
    response = _post(client, report)
    assert response.json() == {"outcome": "failed; fallback email"}
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.PERMANENT_FAILURE
    assert "invalid_number" in sms.last_error
    assert sms.attempts.get().status == DeliveryStatus.PERMANENT_FAILURE
    notification_send_task(sms.fallback.pk)
    assert len(smtp_mailer.messages) == 1
    # A late "delivered" for the failed SMS is recorded and changes the truth,
    # but writes no further message.
    late = _post(client, gateway.report(reference=str(sms.uuid)))
    assert late.json() == {"outcome": "delivered"}
    assert Notification.objects.filter(channel=Channel.EMAIL).count() == 1


@pytest.mark.django_db
def test_a_report_for_a_message_being_retried_stops_the_retry(
    client, gateway, make_user
):
    """The gateway took a one-time code but answered after our timeout; its
    report says delivered: no retry is needed, and the code is redacted."""
    gateway.slow_next = 1
    (otp,) = notify(
        event="account.otp",
        recipient=make_user(),
        context={"code": "246810", "purpose": "login"},
        channels=["sms"],
        to={"sms": "+6281355550000"},
    )
    notification_send_task(otp.pk)
    otp.refresh_from_db()
    assert otp.status == DeliveryStatus.TEMPORARY_FAILURE
    assert otp.context["code"] == "246810"

    # We never heard the gateway's message id: the report names our key.
    assert otp.provider_message_id == ""
    report = gateway.report(reference=str(otp.uuid))
    assert _post(client, report).json() == {"outcome": "delivered"}
    otp.refresh_from_db()
    assert otp.status == DeliveryStatus.DELIVERED
    assert otp.next_attempt_at is None
    assert otp.context["code"] == "[redacted]"


@pytest.mark.django_db
def test_an_inbound_whatsapp_message_opens_the_window(client, gateway):
    before = timezone.now()
    response = _post(
        client, gateway.inbound(phone="+6281234567890"), url="/webhooks/whatsapp/"
    )
    assert response.json() == {"outcome": "window opened"}
    window = WhatsAppConversation.objects.get(phone="+6281234567890")
    assert window.window_closes_at >= before + timedelta(hours=24)
    stored = GatewayCallback.objects.get()
    assert "text" not in stored.payload  # the citizen's words are not kept


@pytest.mark.django_db(transaction=True)
def test_a_report_that_overtakes_the_gateways_answer_is_applied_after_it(
    live_server, gateway, make_citizen
):
    """Over real HTTP: the gateway posts "delivered" to the live portal before
    it answers the send request. The report waits, and is applied when the
    worker records the answer."""
    citizen = make_citizen()
    outcomes = []

    def report_before_answering(body, message_id):
        signed = gateway.report(reference=body["reference"])
        outcomes.append(gateway.post(live_server.url + URL, *signed).json())

    gateway.on_accept = report_before_answering
    sms = _sent_sms(citizen)

    assert outcomes == [{"outcome": "pending"}]
    assert sms.status == DeliveryStatus.DELIVERED
    callback = GatewayCallback.objects.get()
    assert (callback.outcome, callback.notification_id) == ("delivered", sms.pk)
    assert callback.applied_at is not None
