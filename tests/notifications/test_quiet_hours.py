"""Quiet hours (21:00-06:00 WIB by default) for SMS and WhatsApp: held messages
wait in the outbox with ``next_attempt_at`` at the end of quiet hours and the
re-drive sends them then; urgent events and e-mail go at any hour."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured

import pytest
import time_machine

from notifications.choices import Channel, DeliveryStatus
from notifications.quiet import quiet_hours_end
from notifications.services import notifications_redrive, notify
from notifications.tasks import notification_send_task

WIB = ZoneInfo("Asia/Jakarta")


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("at", "end"),
    [
        (wib(1, 23), wib(2, 6)),
        (wib(1, 21), wib(2, 6)),
        (wib(2, 0, 30), wib(2, 6)),
        (wib(2, 5, 59), wib(2, 6)),
        (wib(2, 6), None),
        (wib(2, 12), None),
        (wib(2, 20, 59), None),
    ],
)
def test_end_of_quiet_hours_in_wib(settings, at, end):
    settings.NOTIFICATIONS_QUIET_HOURS = "21:00-06:00"
    assert quiet_hours_end(at) == end
    # The same instant given in UTC gives the same answer.
    assert quiet_hours_end(at.astimezone(ZoneInfo("UTC"))) == end


def test_a_window_within_one_day_and_switching_off(settings):
    settings.NOTIFICATIONS_QUIET_HOURS = "12:00-13:00"
    assert quiet_hours_end(wib(2, 12, 30)) == wib(2, 13)
    assert quiet_hours_end(wib(2, 23)) is None
    settings.NOTIFICATIONS_QUIET_HOURS = ""
    assert quiet_hours_end(wib(1, 23)) is None
    settings.NOTIFICATIONS_QUIET_HOURS = "late-early"
    with pytest.raises(ImproperlyConfigured):
        quiet_hours_end(wib(1, 23))


def _approved(user):
    return next(
        row
        for row in notify(
            event="application.approved",
            recipient=user,
            context={"reference": "PTSP-2026-000050", "service": "PBG", "url": "u"},
        )
        if row.channel != Channel.IN_APP
    )


@pytest.mark.django_db
def test_a_message_due_at_23_wib_goes_out_when_quiet_hours_end(
    gateway, make_citizen, settings, django_capture_on_commit_callbacks
):
    """Done when: a message due at 23:00 WIB waits in the outbox and goes out
    at 06:00 WIB, by the re-drive."""
    settings.NOTIFICATIONS_QUIET_HOURS = "21:00-06:00"
    citizen = make_citizen(channels=["sms", "email"])
    with time_machine.travel(wib(1, 23), tick=False) as clock:
        with django_capture_on_commit_callbacks() as handed_off:
            sms = _approved(citizen)
        assert sms.channel == Channel.SMS
        assert sms.status == DeliveryStatus.QUEUED
        assert sms.next_attempt_at == wib(2, 6)
        assert sms.handed_off_at is None
        inbox = citizen.notifications.get(channel=Channel.IN_APP)
        assert [h.keywords["ids"] for h in handed_off] == [[inbox.pk]]
        notification_send_task(inbox.pk)  # the inbox copy goes now; the SMS waits

        notification_send_task(sms.pk)  # a stray task at night sends nothing
        clock.move_to(wib(2, 5, 59))
        assert notifications_redrive() == 0
        assert gateway.requests == []

        clock.move_to(wib(2, 6))
        assert notifications_redrive() == 1  # beat, every minute
        notification_send_task(sms.pk)  # the worker runs what was handed over
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert gateway.keys() == [str(sms.uuid)]
    assert sms.attempts.get().started_at == wib(2, 6)


@pytest.mark.django_db
def test_a_retry_that_falls_due_at_night_is_held_without_an_attempt(
    gateway, make_citizen, settings
):
    settings.NOTIFICATIONS_QUIET_HOURS = "21:00-06:00"
    gateway.fail_next = 1
    with time_machine.travel(wib(1, 20, 59), tick=False) as clock:
        sms = _approved(make_citizen())
        notification_send_task(sms.pk)  # 500: retry in a minute, at 21:00
        sms.refresh_from_db()
        assert sms.status == DeliveryStatus.TEMPORARY_FAILURE
        clock.move_to(sms.next_attempt_at)
        notification_send_task(sms.pk)
        sms.refresh_from_db()
        assert sms.next_attempt_at == wib(2, 6)
        assert sms.attempts.count() == 1
        clock.move_to(wib(2, 6))
        notification_send_task(sms.pk)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert sms.attempts.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event", "context", "channels"),
    [
        ("account.otp", {"code": "123456", "purpose": "login"}, ["sms"]),
        (
            "queue.turn_near",
            {"ticket_number": "A-7", "office": "MPP", "ahead": 2},
            None,
        ),
        (
            "sla.breached",
            {
                "reference": "PTSP-2026-000001",
                "service": "PBG",
                "url": "u",
                "step": "Verifikasi",
                "due_at": wib(1, 15),
                "overdue_hours": 2,
            },
            None,
        ),
    ],
)
def test_urgent_events_go_at_night(
    gateway, make_citizen, settings, event, context, channels
):
    settings.NOTIFICATIONS_QUIET_HOURS = "21:00-06:00"
    citizen = make_citizen(channels=["sms"])
    with time_machine.travel(wib(1, 23, 30), tick=False):
        rows = notify(
            event=event, recipient=citizen, context=context, channels=channels
        )
        (sms,) = [r for r in rows if r.channel == Channel.SMS]
        assert sms.next_attempt_at == wib(1, 23, 30)
        notification_send_task(sms.pk)
    assert gateway.keys() == [str(sms.uuid)]


@pytest.mark.django_db
def test_email_is_not_held(make_user, settings, smtp_mailer):
    settings.NOTIFICATIONS_QUIET_HOURS = "21:00-06:00"
    with time_machine.travel(wib(1, 23), tick=False):
        email = _approved(make_user())
        assert email.channel == Channel.EMAIL
        notification_send_task(email.pk)
    assert len(smtp_mailer.messages) == 1


@pytest.mark.django_db
def test_a_fallback_written_at_night_waits_too(gateway, make_citizen, settings):
    """The e-mail fails for good at 23:00; the SMS it falls back to is written
    at once but waits for 06:00."""
    settings.NOTIFICATIONS_QUIET_HOURS = "21:00-06:00"
    citizen = make_citizen(email="not-an-address", channels=["email", "sms"])
    with time_machine.travel(wib(1, 23), tick=False):
        email = _approved(citizen)
        notification_send_task(email.pk)
    email.refresh_from_db()
    assert email.status == DeliveryStatus.PERMANENT_FAILURE
    sms = email.fallback
    assert (sms.channel, sms.next_attempt_at, sms.handed_off_at) == (
        Channel.SMS,
        wib(2, 6),
        None,
    )
