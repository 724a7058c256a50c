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
