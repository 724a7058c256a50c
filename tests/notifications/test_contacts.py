"""Citizens' phone numbers and channels: verification by a one-time code sent by
SMS through the outbox, limits, the channel order, and how ``notify`` routes."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import pytest
import time_machine

from audit.models import AuditEntry
from notifications.choices import Channel
from notifications.contacts import (
    CodeRateLimited,
    ContactError,
    contact_channels_set,
    contact_phone_remove,
    phone_verification_confirm,
    phone_verification_start,
)
from notifications.models import ContactPoint, Notification, PhoneVerification
from notifications.selectors import contact_verified_phone
from notifications.services import notify
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English, the source language; without
    this the test depended on a language left active by an earlier test."""
    with translation.override("en"):
        yield


def _code_from_the_handset(gateway) -> str:
    return gateway.handset[-1]["text"].split()[0]


def _send_code(user, phone="0812-3456-7890"):
    challenge = phone_verification_start(user=user, phone=phone)
    row = Notification.objects.get(
        dedupe_key=f"phone-verification:{challenge.pk}", channel=Channel.SMS
    )
    notification_send_task(row.pk)
    return challenge, row


def test_a_phone_is_verified_with_the_code_sent_by_sms(gateway, make_user):
    user = make_user()
    challenge, row = _send_code(user)
    assert challenge.phone == "+6281234567890"
    assert (row.event, row.address) == ("account.otp", "+6281234567890")
    (sms,) = gateway.handset
    assert sms["to"] == "+6281234567890"
    assert "memverifikasi nomor ponsel" in sms["text"]
    assert contact_verified_phone(user=user) == ""

    contact = phone_verification_confirm(
        user=user, code=_code_from_the_handset(gateway)
    )
    assert contact.phone == "+6281234567890"
    assert contact.phone_verified_at is not None
    assert contact_verified_phone(user=user) == "+6281234567890"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"contact.phone_code_sent", "contact.phone_verified"} <= actions
    assert "+6281234567890" not in str(list(AuditEntry.objects.values("changes")))
    with pytest.raises(ContactError, match="expired or a newer one"):
        phone_verification_confirm(user=user, code=_code_from_the_handset(gateway))


def test_wrong_codes_are_counted_even_though_the_call_fails(
    gateway, make_user, settings
):
    settings.NOTIFICATIONS_PHONE_CODE_MAX_ATTEMPTS = 3
    user = make_user()
    _send_code(user)
    right = _code_from_the_handset(gateway)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ContactError, match="2 tries left"):
        phone_verification_confirm(user=user, code=wrong)
    with pytest.raises(ContactError, match="1 try left"):
        phone_verification_confirm(user=user, code=wrong)
    with pytest.raises(ContactError, match="Too many wrong codes"):
        phone_verification_confirm(user=user, code=wrong)
    assert PhoneVerification.objects.get().attempts == 3
    with pytest.raises(ContactError, match="Too many wrong codes"):
        phone_verification_confirm(user=user, code=right)
    assert contact_verified_phone(user=user) == ""


def test_a_code_expires(gateway, make_user):
    user = make_user()
    _send_code(user)
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=11)),
        pytest.raises(ContactError, match="expired"),
    ):
        phone_verification_confirm(user=user, code=_code_from_the_handset(gateway))


def test_codes_are_limited_per_user_and_per_number(gateway, make_user, settings):
    settings.NOTIFICATIONS_PHONE_CODE_RESEND_SECONDS = 60
    settings.NOTIFICATIONS_PHONE_CODE_MAX_PER_HOUR = 3
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        phone_verification_start(user=user, phone="081234567890")
        with pytest.raises(CodeRateLimited) as error:
            phone_verification_start(user=user, phone="081234567890")
        assert error.value.extra["retry_after"] == 60
        for _ in range(2):
            clock.shift(61)
            phone_verification_start(user=user, phone="081234567890")
        clock.shift(61)
        with pytest.raises(CodeRateLimited, match="Too many codes"):
            phone_verification_start(user=user, phone="081234567890")
        # Other accounts cannot flood the same number either.
        with pytest.raises(CodeRateLimited):
            phone_verification_start(user=make_user(), phone="+62 812 3456 7890")
        phone_verification_start(user=make_user(), phone="081298765432")
    assert PhoneVerification.objects.count() == 4


def test_only_indonesian_mobile_numbers_and_only_with_a_gateway(
    gateway, make_user, settings
):
    user = make_user()
    for number in ("021 5550 123", "+61 412 345 678", "12345"):
        with pytest.raises(ValidationError):
            phone_verification_start(user=user, phone=number)
    settings.NOTIFICATIONS_GATEWAYS = {"sms": {"ADAPTER": "", "URL": ""}}
    with pytest.raises(ContactError, match="not available"):
        phone_verification_start(user=user, phone="081234567890")
    assert not Notification.objects.exists()


def test_channels_need_a_verified_phone_and_are_audited(make_user, make_citizen):
    user = make_user()
    with pytest.raises(ContactError, match="Verify your phone"):
        contact_channels_set(user=user, channels=["sms", "email"])
    with pytest.raises(ContactError, match="only once"):
        contact_channels_set(user=user, channels=["email", "email"])
    with pytest.raises(ContactError, match="Choose among"):
        contact_channels_set(user=user, channels=["in_app"])
    with pytest.raises(ContactError, match="at least one"):
        contact_channels_set(user=user, channels=[])
    citizen = make_citizen(channels=[])
    contact = contact_channels_set(user=citizen, channels=["whatsapp", "email"])
    assert contact.channels == ["whatsapp", "email"]
    entry = AuditEntry.objects.get(action="contact.channels_update")
    assert entry.changes == {"channels": [[], ["whatsapp", "email"]]}

    contact = contact_phone_remove(user=citizen)
    assert (contact.phone, contact.channels) == ("", ["email"])


APPROVED = {"reference": "PTSP-2026-000080", "service": "PBG", "url": "u"}


def _channels(rows) -> list[str]:
    return [row.channel for row in rows]


def test_notify_routes_the_message_to_the_first_reachable_choice(
    make_user, make_citizen
):
    assert _channels(
        notify(event="application.approved", recipient=make_user(), context=APPROVED)
    ) == ["email", "in_app"]  # no choice made: the event's default
    citizen = make_citizen(channels=["whatsapp", "sms", "email"])
    rows = notify(event="application.approved", recipient=citizen, context=APPROVED)
    assert _channels(rows) == ["whatsapp", "in_app"]
    assert rows[0].route == ["sms", "email"]
    # Unverified phone: SMS and WhatsApp are skipped.
    unverified = make_citizen(channels=["sms", "email"])
    ContactPoint.objects.filter(user=unverified).audited_update(
        action="test.arrange", phone_verified_at=None
    )
    rows = notify(event="application.approved", recipient=unverified, context=APPROVED)
    assert _channels(rows) == ["email", "in_app"]
    # Named channels: exactly those, without fallback.
    (row,) = notify(
        event="application.approved",
        recipient=citizen,
        context=APPROVED,
        channels=["sms"],
    )
    assert (row.channel, row.route) == ("sms", [])


def test_queue_events_go_by_sms_only_to_a_verified_phone(make_user, make_citizen):
    context = {"ticket_number": "B-12", "office": "MPP", "ahead": 3}
    no_phone = notify(event="queue.turn_near", recipient=make_user(), context=context)
    assert _channels(no_phone) == ["in_app"]
    citizen = make_citizen(channels=[])
    rows = notify(event="queue.turn_near", recipient=citizen, context=context)
    assert _channels(rows) == ["in_app", "sms"]


def test_one_occurrence_gets_one_message_even_if_the_choice_changes(make_citizen):
    citizen = make_citizen(channels=["sms", "email"])
    first = notify(
        event="application.approved",
        recipient=citizen,
        context=APPROVED,
        dedupe_key="80:2",
    )
    ContactPoint.objects.filter(user=citizen).audited_update(
        action="test.arrange", channels=["email"]
    )
    again = notify(
        event="application.approved",
        recipient=citizen,
        context=APPROVED,
        dedupe_key="80:2",
    )
    assert [r.pk for r in again] == [r.pk for r in first]
    assert Notification.objects.count() == 2
