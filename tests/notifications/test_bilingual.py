"""Catalogue names in notices (``BilingualText``): stored in both languages,
shown in the reader's; rows stored with a plain Indonesian name keep working."""

import datetime as dt
from decimal import Decimal

import pytest

from notifications.choices import Channel, DeliveryStatus
from notifications.models import Notification, NotificationTemplate
from notifications.services import context_preview, notify
from notifications.tasks import notification_send_task
from notifications.variables import (
    BilingualText,
    UnsafeVariable,
    context_decode,
    context_encode,
)

pytestmark = pytest.mark.django_db

DOCTOR = BilingualText("Izin Praktik Dokter", "Doctor's Practice Licence")
MPP = BilingualText("Mal Pelayanan Publik", "Public Service Mall")


class _Named:
    name = "Dinas Kesehatan"
    name_en = ""


def test_encode_and_decode_round_trip():
    context = {
        "service": DOCTOR,
        "agency": BilingualText.of(_Named()),
        "amount": Decimal("150000"),
        "due_at": dt.datetime(2026, 3, 5, 7, tzinfo=dt.UTC),
        "reference": "PTSP-2026-000123",
    }
    stored = context_encode(context)
    assert stored["service"] == {
        "$text": {"id": "Izin Praktik Dokter", "en": "Doctor's Practice Licence"}
    }
    assert stored["agency"] == {"$text": {"id": "Dinas Kesehatan", "en": ""}}
    assert context_decode(stored) == context  # no language: lossless
    english = context_decode(stored, language="en")
    assert english["service"] == "Doctor's Practice Licence"
    assert english["agency"] == "Dinas Kesehatan"  # no English: the Indonesian
    assert context_decode(stored, language="en-us")["service"] == (
        "Doctor's Practice Licence"
    )
    indonesian = context_decode(stored, language="id")
    assert indonesian["service"] == "Izin Praktik Dokter"
    assert indonesian["amount"] == Decimal("150000")
    assert indonesian["reference"] == "PTSP-2026-000123"


def test_of_reads_a_model_field_and_its_english_twin():
    class Step:
        title = "Verifikasi berkas"
        title_en = "Document check"

    assert BilingualText.of(Step(), "title") == BilingualText(
        "Verifikasi berkas", "Document check"
    )
    assert BilingualText.of(object()) == BilingualText("", "")
    assert not BilingualText("", "")


def test_objects_other_than_bilingual_text_are_still_refused():
    with pytest.raises(UnsafeVariable):
        context_encode({"service": _Named()})


def _reminder(user, service, *, channels=(Channel.IN_APP,)) -> Notification:
    row = notify(
        event="appointment.reminder",
        recipient=user,
        context={
            "booking_code": "BK-7Q2M",
            "service": service,
            "office": MPP,
            "starts_at": dt.datetime(2026, 3, 5, 7, tzinfo=dt.UTC),
        },
        channels=list(channels),
    )[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    return row


@pytest.mark.parametrize(
    ("page_in", "service", "office", "not_shown"),
    [
        (
            "en",
            "Doctor's Practice Licence",
            "Public Service Mall",
            "Izin Praktik Dokter",
        ),
        (
            "id",
            "Izin Praktik Dokter",
            "Mal Pelayanan Publik",
            "Doctor&#x27;s Practice Licence",
        ),
    ],
)
def test_the_inbox_and_api_name_the_service_in_the_readers_language(
    client, make_user, settings, page_in, service, office, not_shown
):
    """Sent in Indonesian, read on an English page (and the reverse): the
    service and office follow the page, like the rest of the text."""
    sent_in = "id" if page_in == "en" else "en"
    user = make_user(preferred_language=sent_in)
    row = _reminder(user, DOCTOR)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page_in
    html = client.get("/notifikasi/").content.decode()
    assert service.replace("'", "&#x27;") in html
    assert office in html
    assert not_shown not in html
    body = client.get("/api/v1/notifications/").json()["results"][0]["body"]
    assert service in body
    assert office in body
    single = client.get(f"/api/v1/notifications/{row.uuid}/").json()
    assert service in single["body"]


def test_an_english_reader_gets_the_indonesian_name_when_there_is_no_english(
    client, make_user, settings
):
    user = make_user(preferred_language="en")
    _reminder(user, BilingualText("Izin Reklame", ""))
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/api/v1/notifications/").json()["results"][0]["body"]
    assert body.startswith("Your appointment for Izin Reklame at Public Service Mall")
    assert "(Bahasa Indonesia)" not in body  # plain text: no label


def test_old_rows_with_a_plain_indonesian_name_still_render(
    client, make_user, settings
):
    """Rows stored before bilingual names hold the Indonesian string: an
    English page shows it as it is (the rest of the text in English)."""
    user = make_user(preferred_language="id")
    row = _reminder(user, "Izin Praktik Dokter")
    assert row.context["service"] == "Izin Praktik Dokter"
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/api/v1/notifications/").json()["results"][0]["body"]
    assert body.startswith("Your appointment for Izin Praktik Dokter at ")


def test_an_email_to_an_english_recipient_names_the_service_in_english(
    make_user, smtp_mailer
):
    english = _reminder(
        make_user(preferred_language="en"), DOCTOR, channels=[Channel.EMAIL]
    )
    indonesian = _reminder(
        make_user(preferred_language="id"), DOCTOR, channels=[Channel.EMAIL]
    )
    by_key = {m["X-Idempotency-Key"]: m for m in smtp_mailer.messages}
    english_text = by_key[str(english.uuid)].get_content()
    assert "Your appointment for Doctor's Practice Licence at Public Service Mall" in (
        english_text
    )
    assert "Janji temu Anda untuk Izin Praktik Dokter di Mal Pelayanan Publik" in (
        by_key[str(indonesian.uuid)].get_content()
    )
    english.refresh_from_db()
    assert english.status == DeliveryStatus.DELIVERED
    assert "Doctor's Practice Licence" in english.body  # the text as sent


def test_a_sensitive_code_is_redacted_next_to_a_bilingual_name(make_user, smtp_mailer):
    """Redaction after sending replaces the code only: the stored service
    keeps both names and the stored text names it in the recipient's language."""
    user = make_user(preferred_language="en")
    row = notify(
        event="channeling.confirmation_code",
        recipient=user,
        context={
            "code": "482913",
            "purpose": "assisted_confirmation",
            "valid_minutes": 10,
            "service": DOCTOR,
            "office": MPP,
            "operator": "Rina Wulandari",
        },
        channels=[Channel.EMAIL],
    )[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    assert row.context["code"] == "[redacted]"
    assert row.context["service"] == context_encode({"s": DOCTOR})["s"]
    assert "482913" not in row.body
    assert "Doctor's Practice Licence" in row.body
    assert "482913" in smtp_mailer.messages[0].get_content()


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Building Approval"), ("id", "Persetujuan Bangunan Gedung")],
)
def test_the_admin_preview_names_the_sample_service_in_the_templates_language(
    admin_client, language, name
):
    assert context_preview(event="application.approved", language=language)[
        "service"
    ] == (name)
    template = NotificationTemplate.objects.get(
        event="application.approved", channel="email", language=language
    )
    response = admin_client.post(
        "/admin/notifications/notificationtemplate/preview/",
        {
            "event": template.event,
            "channel": template.channel,
            "language": template.language,
            "subject": "{{ service }} ({{ reference }})",
            "body": template.body,
        },
    )
    assert response.status_code == 200
    assert f"{name} (PTSP-2026-000123)" in response.content.decode()
