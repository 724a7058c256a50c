"""Queue API: kiosk, counter and board endpoints; counters are scoped to their
operators (another office's counter is a 404 on every verb)."""

import pytest

from queueing.choices import TicketChannel, TicketStatus
from queueing.models import QueueTicket
from queueing.services import ticket_issue

from .conftest import NIK_1
from .factories import OfficeFactory, ServiceGroupFactory, make_counter, make_operator

pytestmark = pytest.mark.django_db

COUNTER_ACTIONS = ["call-next", "recall", "start", "finish", "park", "transfer"]


def test_kiosk_issues_a_ticket_with_a_nik(client, office, group_a, permit):
    response = client.post(
        f"/api/v1/queue/offices/{office.code}/tickets/",
        {"service": permit.code, "nik": NIK_1},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["status"], body["ahead"]) == ("A001", "waiting", 0)
    assert body["wait_minutes"] == 10  # one ahead-or-next x 10 min / 1 counter
    assert "nik" not in body
    again = client.post(
        f"/api/v1/queue/offices/{office.code}/tickets/",
        {"service": permit.code, "nik": NIK_1},
        headers={"accept-language": "en"},
    )
    assert again.status_code == 400
    assert "already holds ticket A001" in again.json()["detail"]


def test_kiosk_refuses_a_bad_nik_and_an_unknown_service(
    client, office, group_a, permit
):
    bad = client.post(
        f"/api/v1/queue/offices/{office.code}/tickets/",
        {"service": permit.code, "nik": "123"},
    )
    assert bad.status_code == 400
    unknown = client.post(
        f"/api/v1/queue/offices/{office.code}/tickets/",
        {"service": "tidak-ada", "nik": NIK_1},
    )
    assert unknown.status_code == 400
    assert not QueueTicket.objects.exists()


def test_office_state_lists_groups(client, office, group_a, group_b):
    body = client.get(f"/api/v1/queue/offices/{office.code}/").json()
    assert body["issuing"] is True
    assert sorted(body["groups"]) == ["A", "B"]
    assert sorted(body["groups"]["A"]) == ["pbg-uji", "slf-uji"]


def test_counter_flow_and_board(client, office, group_a, permit, counter_1, operator):
    ticket = ticket_issue(
        office=office, service=permit, channel=TicketChannel.RECEPTION
    )
    client.force_login(operator)
    base = f"/api/v1/queue/counters/{counter_1.pk}"
    called = client.post(f"{base}/call-next/")
    assert called.status_code == 200
    assert called.json()["number"] == "A001"
    board = client.get(f"/api/v1/queue/offices/{office.code}/board/").json()
    assert board[0]["number"] == "A001"
    assert board[0]["speech"] == "Nomor antrean A satu, silakan ke loket satu."
    assert client.post(f"{base}/start/").json()["status"] == "serving"
    assert client.post(f"{base}/finish/").json()["status"] == "done"
    assert client.post(f"{base}/call-next/").status_code == 204
    finish_again = client.post(f"{base}/finish/")
    assert finish_again.status_code == 409
    mine = client.get(f"/api/v1/queue/tickets/{ticket.uuid}/").json()
    assert mine["status"] == "done"


def test_counters_are_scoped_to_their_operators(
    client, django_user_model, office, group_a, permit, counter_1, operator
):
    other_group = ServiceGroupFactory(office=OfficeFactory(), services=[permit])
    elsewhere = make_counter(other_group, number=1)
    make_operator(django_user_model, elsewhere, "petugas-lain")
    ticket_issue(
        office=other_group.office, service=permit, channel=TicketChannel.RECEPTION
    )
    client.force_login(operator)
    listed = client.get("/api/v1/queue/counters/").json()["results"]
    assert [c["id"] for c in listed] == [counter_1.pk]
    assert client.get(f"/api/v1/queue/counters/{elsewhere.pk}/").status_code == 404
    for action in COUNTER_ACTIONS:
        response = client.post(f"/api/v1/queue/counters/{elsewhere.pk}/{action}/")
        assert response.status_code == 404, action
    assert not QueueTicket.objects.exclude(status=TicketStatus.WAITING).exists()


def test_anonymous_users_cannot_reach_counters(client, counter_1):
    assert client.get("/api/v1/queue/counters/").status_code == 403
    assert (
        client.post(f"/api/v1/queue/counters/{counter_1.pk}/call-next/").status_code
        == 403
    )


def test_staff_without_an_operator_link_sees_no_counter(
    client, django_user_model, counter_1
):
    from .factories import grant

    user = django_user_model.objects.create_user(username="staf", password="x" * 12)
    grant(user, "operate_counter")
    client.force_login(user)
    assert client.get("/api/v1/queue/counters/").json()["results"] == []
    assert (
        client.post(f"/api/v1/queue/counters/{counter_1.pk}/call-next/").status_code
        == 404
    )


def test_board_query_count(
    client, office, group_a, permit, counter_1, counter_2, django_assert_max_num_queries
):
    for _ in range(3):
        ticket_issue(office=office, service=permit, channel=TicketChannel.RECEPTION)
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/queue/offices/{office.code}/board/")
    assert len(response.json()) == 2


def test_bookings_are_the_user_s_own(
    client, django_user_model, office, group_a, permit
):
    import datetime as dt

    owner = django_user_model.objects.create_user(username="a", password="x" * 12)
    stranger = django_user_model.objects.create_user(username="b", password="x" * 12)
    client.force_login(owner)
    slots = client.get(
        f"/api/v1/queue/offices/{office.code}/slots/",
        {"service": permit.code, "date": "2026-05-05"},
    ).json()
    assert slots[0]["free"] == 2
    created = client.post(
        "/api/v1/queue/bookings/",
        {
            "office": office.code,
            "service": permit.code,
            "slot_starts_at": slots[0]["starts_at"],
            "nik": NIK_1,
        },
    )
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    assert dt.datetime.fromisoformat(created.json()["slot_starts_at"])
    client.force_login(stranger)
    assert client.get(f"/api/v1/queue/bookings/{uuid}/").status_code == 404
    assert client.post(f"/api/v1/queue/bookings/{uuid}/cancel/").status_code == 404
    assert client.get("/api/v1/queue/bookings/").json()["results"] == []


def test_kiosk_networks_apply_to_the_api(client, office, group_a, permit, settings):
    settings.QUEUE_KIOSK_NETWORKS = ["10.20.0.0/16"]
    url = f"/api/v1/queue/offices/{office.code}/tickets/"
    data = {"service": permit.code, "nik": NIK_1}
    assert client.post(url, data).status_code == 404
    assert client.post(url, data, REMOTE_ADDR="10.20.3.4").status_code == 201
