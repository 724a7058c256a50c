"""The in-app inbox on the web and over the API: own notifications only, unread
counts, mark as read; another user's notification is a 404 on every verb."""

import pytest

from notifications.choices import Channel
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db


def _deliver_in_app(user, number: int) -> Notification:
    row = notify(
        event="queue.turn_near",
        recipient=user,
        context={"ticket_number": f"A-{number:03d}", "office": "MPP", "ahead": 2},
        channels=[Channel.IN_APP],
    )[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    return row


@pytest.fixture
def citizen(make_user):
    return make_user()


@pytest.fixture
def neighbour(make_user):
    return make_user()


def test_inbox_page_lists_own_notifications_with_an_unread_badge(
    client, citizen, neighbour
):
    mine = _deliver_in_app(citizen, 1)
    _deliver_in_app(neighbour, 2)
    client.force_login(citizen)
    page = client.get("/notifikasi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert mine.subject in html
    assert "A-002" not in html
    assert '<span class="badge">1<span class="visually-hidden">' in html

    response = client.post(f"/notifikasi/{mine.uuid}/dibaca/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert '<span class="badge">' not in client.get("/").content.decode()


def test_marking_someone_elses_notification_is_a_404(client, citizen, neighbour):
    theirs = _deliver_in_app(neighbour, 3)
    client.force_login(citizen)
    assert client.post(f"/notifikasi/{theirs.uuid}/dibaca/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_needs_a_login(client):
    response = client.get("/notifikasi/")
    assert response.status_code == 302
    assert "/akun/" in response["Location"]


def test_api_lists_counts_and_marks_only_own(
    client, citizen, neighbour, django_assert_max_num_queries
):
    first = _deliver_in_app(citizen, 1)
    second = _deliver_in_app(citizen, 2)
    theirs = _deliver_in_app(neighbour, 3)
    client.force_login(citizen)

    with django_assert_max_num_queries(4):
        listing = client.get("/api/v1/notifications/").json()
    assert [item["uuid"] for item in listing["results"]] == [
        str(second.uuid),
        str(first.uuid),
    ]
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}

    read = client.post(f"/api/v1/notifications/{first.uuid}/read/").json()
    assert read["is_read"] is True
    unread = client.get("/api/v1/notifications/?unread=true").json()["results"]
    assert [item["uuid"] for item in unread] == [str(second.uuid)]

    for verb, url in [
        ("get", f"/api/v1/notifications/{theirs.uuid}/"),
        ("post", f"/api/v1/notifications/{theirs.uuid}/read/"),
    ]:
        assert getattr(client, verb)(url).status_code == 404

    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_api_needs_a_login(client):
    assert client.get("/api/v1/notifications/").status_code in (401, 403)


def test_undelivered_and_email_rows_are_not_in_the_inbox(client, citizen):
    notify(
        event="queue.turn_near",
        recipient=citizen,
        context={"ticket_number": "A-009", "office": "MPP", "ahead": 1},
        channels=[Channel.IN_APP],
    )  # still queued
    notify(event="account.otp", recipient=citizen, context={"code": "1"})
    client.force_login(citizen)
    assert client.get("/api/v1/notifications/").json()["results"] == []


def _reminder_in_app(user) -> Notification:
    """An appointment reminder for 5 March 2026 14:00 WIB, delivered in-app."""
    import datetime as dt

    row = notify(
        event="appointment.reminder",
        recipient=user,
        context={
            "booking_code": "BK-7Q2M",
            "service": "Persetujuan Bangunan Gedung",
            "office": "MPP",
            "starts_at": dt.datetime(2026, 3, 5, 7, tzinfo=dt.UTC),
        },
        channels=[Channel.IN_APP],
    )[0]
    notification_send_task(row.pk)
    row.refresh_from_db()
    return row


@pytest.mark.parametrize(
    ("sent_in", "page_in", "subject", "when"),
    [
        ("id", "en", "Appointment reminder BK-7Q2M", "5 March 2026, 14:00 WIB"),
        ("en", "id", "Pengingat janji temu BK-7Q2M", "5 Maret 2026, 14:00 WIB"),
        ("id", "id", "Pengingat janji temu BK-7Q2M", "5 Maret 2026, 14:00 WIB"),
        ("en", "en", "Appointment reminder BK-7Q2M", "5 March 2026, 14:00 WIB"),
    ],
)
def test_inbox_shows_each_notice_in_the_readers_language(
    client, make_user, settings, sent_in, page_in, subject, when
):
    """The row keeps the event, its variables and the language its message
    went out in; the inbox renders it again in the page's language (dates in
    WIB), over the web and the API."""
    user = make_user(preferred_language=sent_in)
    row = _reminder_in_app(user)
    assert row.language == sent_in
    assert row.subject.startswith(
        "Pengingat" if sent_in == "id" else "Appointment"
    )  # as sent
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page_in
    html = client.get("/notifikasi/").content.decode()
    assert subject in html
    assert when in html
    other = "Appointment reminder" if page_in == "id" else "Pengingat janji temu"
    assert other not in html
    api = client.get("/api/v1/notifications/").json()["results"][0]
    assert api["subject"] == subject
    assert when in api["body"]
    single = client.get(f"/api/v1/notifications/{row.uuid}/").json()
    assert single["subject"] == subject


def test_inbox_uses_the_admins_template_of_the_readers_language(
    client, make_user, settings
):
    from notifications.models import NotificationTemplate

    user = make_user(preferred_language="id")
    row = _reminder_in_app(user)
    NotificationTemplate.objects.update_or_create(
        event="appointment.reminder",
        channel=Channel.IN_APP,
        language="en",
        defaults={"subject": "See you soon ({{ booking_code }})", "body": "At MPP."},
    )
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/notifikasi/").content.decode()
    assert "See you soon (BK-7Q2M)" in html
    assert row.subject not in html


def test_a_row_of_a_retired_event_keeps_its_stored_text(client, make_user, settings):
    """Rows written before (or for an event since removed) still show: the
    text stored at delivery is the fallback."""
    user = make_user(preferred_language="id")
    row = _deliver_in_app(user, 7)
    Notification.objects.filter(pk=row.pk).update(event="retired.event")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert row.subject in client.get("/notifikasi/").content.decode()


def test_inbox_queries_do_not_grow_with_the_notices(
    client, make_user, settings, django_assert_num_queries
):
    user = make_user(preferred_language="id")
    for number in range(3):
        _deliver_in_app(user, number)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/notifikasi/")  # warm the session
    with django_assert_num_queries(6) as few:
        client.get("/notifikasi/")
    for number in range(3, 10):
        _deliver_in_app(user, number)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/notifikasi/")
