"""WhatsApp: approved templates outside the 24-hour window, free text inside it,
and the admin's mapping of events to the provider's templates."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest
import time_machine

from audit.models import AuditEntry
from notifications.choices import Channel, DeliveryStatus
from notifications.models import WhatsAppConversation, WhatsAppTemplate
from notifications.services import notify
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db

DUE = {
    "reference": "PTSP-2026-000070",
    "service": "PBG",
    "url": "https://ptsp.example/p/70/",
    "amount": Decimal("1500000"),
    "payment_code": "3671 0126 0000 1234",
    "due_at": datetime(2026, 12, 5, 8, 0, tzinfo=ZoneInfo("UTC")),  # 15:00 WIB
}


def _payment_due(user):
    (row,) = [
        r
        for r in notify(event="payment.due", recipient=user, context=DUE)
        if r.channel != Channel.IN_APP
    ]
    return row


@pytest.fixture
def template():
    return WhatsAppTemplate.objects.create(
        event="payment.due",
        language="id",
        name="tagihan_retribusi_v2",
        provider_language="id",
        parameters=["reference", "amount", "due_at", "payment_code"],
    )


def test_outside_the_window_the_approved_template_goes_with_its_parameters(
    gateway, make_citizen, template
):
    row = _payment_due(make_citizen(channels=["whatsapp", "email"]))
    assert row.channel == Channel.WHATSAPP
    notification_send_task(row.pk)
    (sent,) = gateway.handset
    assert gateway.requests[0].path == "/whatsapp"
    assert sent["type"] == "template"
    assert "text" not in sent
    assert sent["template"] == {
        "name": "tagihan_retribusi_v2",
        "language": "id",
        "parameters": [
            "PTSP-2026-000070",
            "1.500.000",
            "5 Desember 2026, 15:00 WIB",
            "3671 0126 0000 1234",
        ],
    }
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT


def test_inside_the_window_free_text_goes(gateway, make_citizen, template):
    WhatsAppConversation.objects.create(
        phone="+6281234567890",
        last_inbound_at=timezone.now() - timedelta(hours=2),
        window_closes_at=timezone.now() + timedelta(hours=22),
    )
    row = _payment_due(make_citizen(channels=["whatsapp"]))
    notification_send_task(row.pk)
    (sent,) = gateway.handset
    assert sent["type"] == "text"
    assert sent["text"].startswith(
        "*Tagihan retribusi PTSP-2026-000070: Rp 1.500.000*\n\n"
    )


def test_the_window_closes_24_hours_after_the_citizens_message(
    gateway, make_citizen, template, client
):
    citizen = make_citizen(channels=["whatsapp"])
    body, headers = gateway.inbound(phone="+6281234567890")
    client.post(
        "/webhooks/whatsapp/",
        data=body,
        content_type="application/json",
        headers=headers,
    )
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        row = _payment_due(citizen)
        notification_send_task(row.pk)
    assert gateway.handset[0]["type"] == "template"


def test_without_an_approved_template_whatsapp_fails_and_sms_takes_over(
    gateway, make_citizen, template
):
    template.is_active = False
    template.save()
    row = _payment_due(make_citizen(channels=["whatsapp", "sms"]))
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PERMANENT_FAILURE
    assert gateway.requests == []  # nothing was tried on WhatsApp
    notification_send_task(row.fallback.pk)
    assert [m["channel"] for m in gateway.handset] == ["sms"]


def test_a_window_the_gateway_says_is_closed_is_retried_with_the_template(
    gateway, make_citizen, template
):
    WhatsAppConversation.objects.create(
        phone="+6281234567890",
        last_inbound_at=timezone.now(),
        window_closes_at=timezone.now() + timedelta(hours=24),
    )
    gateway.window_closed = True
    row = _payment_due(make_citizen(channels=["whatsapp"]))
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.TEMPORARY_FAILURE
    assert "window_closed" in row.last_error
    with time_machine.travel(row.next_attempt_at):
        notification_send_task(row.pk)
    (sent,) = gateway.handset
    assert sent["type"] == "template"


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_admin_maps_an_event_to_a_template_checked_and_audited(admin_client):
    url = "/admin/notifications/whatsapptemplate/add/"
    form = {
        "event": "application.approved",
        "language": "id",
        "name": "permohonan_disetujui",
        "provider_language": "id",
        "parameters": '["reference", "password"]',
        "is_active": "on",
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors["parameters"]
    assert "password" in errors[0]
    assert not WhatsAppTemplate.objects.exists()

    form["parameters"] = '["reference", "service", "url"]'
    assert admin_client.post(url, form).status_code == 302
    template = WhatsAppTemplate.objects.get()
    assert template.parameters == ["reference", "service", "url"]
    entry = AuditEntry.objects.get(action="whatsapp_template.create")
    assert entry.object_id == str(template.pk)
