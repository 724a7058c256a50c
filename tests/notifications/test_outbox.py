"""The outbox: rows commit with the change, are handed to Celery after the commit,
and are never duplicated for the same occurrence, recipient and channel."""

from django.db import transaction

import pytest

from notifications.choices import Channel, DeliveryStatus
from notifications.events import UnknownEvent
from notifications.models import Notification
from notifications.services import notify
from notifications.variables import UnsafeVariable

pytestmark = pytest.mark.django_db


def test_rows_are_written_in_the_callers_transaction_and_handed_off_after_commit(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user()
    with django_capture_on_commit_callbacks() as callbacks:
        rows = notify(
            event="account.otp",
            recipient=user,
            context={"code": "123456", "purpose": "login"},
            dedupe_key="challenge-1",
        )
    assert [row.channel for row in rows] == [Channel.EMAIL]
    row = Notification.objects.get()
    assert row.status == DeliveryStatus.QUEUED
    assert row.address == user.email
    assert row.language == "id"
    assert row.context == {"code": "123456", "purpose": "login"}
    assert len(callbacks) == 1  # the hand-off waits for the commit


def test_a_rolled_back_change_leaves_no_notification(make_user):
    user = make_user()

    def change_that_fails() -> None:
        with transaction.atomic():
            notify(event="account.otp", recipient=user, context={"code": "1"})
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Notification.objects.exists()


def test_same_occurrence_recipient_and_channel_gives_the_same_row(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user()
    first = notify(
        event="account.otp", recipient=user, context={"code": "1"}, dedupe_key="c-7"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        again = notify(
            event="account.otp",
            recipient=user,
            context={"code": "1"},
            dedupe_key="c-7",
            channels=[Channel.EMAIL, Channel.IN_APP],
        )
    assert again[0].pk == first[0].pk
    assert again[1].channel == Channel.IN_APP
    assert Notification.objects.count() == 2
    assert len(callbacks) == 1  # only the new in-app row is handed off


def test_without_a_key_every_call_is_a_new_occurrence(make_user):
    user = make_user()
    notify(event="account.otp", recipient=user, context={"code": "1"})
    notify(event="account.otp", recipient=user, context={"code": "2"})
    assert Notification.objects.count() == 2


def test_language_follows_the_recipient(make_user):
    row = notify(
        event="account.otp",
        recipient=make_user(preferred_language="en"),
        context={"code": "1"},
    )[0]
    assert row.language == "en"


def test_undeclared_variables_unknown_events_and_objects_are_refused(make_user):
    user = make_user()
    with pytest.raises(ValueError, match="does not declare"):
        notify(event="account.otp", recipient=user, context={"password": "x"})
    with pytest.raises(UnknownEvent):
        notify(event="account.nope", recipient=user, context={})
    with pytest.raises(UnsafeVariable):
        notify(event="account.otp", recipient=user, context={"code": user})
    with pytest.raises(ValueError, match="Unknown channels"):
        notify(event="account.otp", recipient=user, context={}, channels=["pigeon"])
    assert not Notification.objects.exists()
