"""The queue pages: kiosk, my ticket, board, counter desk, bookings, statistics,
and who may see which (another office's desk or statistics is a 404)."""

import datetime as dt

import pytest
import time_machine

from queueing.choices import TicketChannel, TicketStatus
from queueing.models import QueueTicket
from queueing.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_start,
)

from .conftest import NIK_1
from .factories import (
    WEEKDAYS_8_TO_15,
    OfficeFactory,
    ServiceFactory,
    ServiceGroupFactory,
    ServiceHoursFactory,
    make_counter,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def test_kiosk_issues_and_redirects_to_the_ticket(client, office, group_a, permit):
    page = client.get(f"/antrian/{office.code}/kios/", headers=EN)
    assert page.status_code == 200
    assert "Persetujuan Bangunan Gedung" in page.text
    response = client.post(
        f"/antrian/{office.code}/kios/", {"nik": NIK_1, "service": permit.code}
    )
    ticket = QueueTicket.objects.get()
    assert response.status_code == 302
    assert response.url == f"/antrian/tiket/{ticket.uuid}/?baru=1"
    slip = client.get(response.url, headers=EN)
    assert "A001" in slip.text
    assert "You are next." in slip.text
    assert "<svg" in slip.text  # the QR code, drawn on the server


def test_kiosk_keeps_the_input_and_explains_a_refusal(client, office, group_a, permit):
    ticket_issue(office=office, service=permit, nik=NIK_1)
    response = client.post(
        f"/antrian/{office.code}/kios/",
        {"nik": NIK_1, "service": permit.code},
        headers=EN,
    )
    assert response.status_code == 400
    assert "already holds ticket A001" in response.text
    assert f'value="{NIK_1}"' in response.text
    assert QueueTicket.objects.count() == 1


def test_kiosk_shows_the_next_opening_when_closed(client, permit):
    office = OfficeFactory(service_calendar=ServiceHoursFactory(hours=WEEKDAYS_8_TO_15))
    ServiceGroupFactory(office=office, services=[permit])
    saturday = dt.datetime(2026, 5, 9, 3, tzinfo=dt.UTC)
    with time_machine.travel(saturday, tick=False):
        page = client.get(f"/antrian/{office.code}/kios/", headers=EN)
    assert "The office is closed today" in page.text
    assert "Monday, 11 May 2026 from 07:30 WIB" in page.text
    assert 'name="service"' not in page.text


def test_kiosk_networks_limit_anonymous_issuing(
    client, office, group_a, permit, settings
):
    settings.QUEUE_KIOSK_NETWORKS = ["10.20.0.0/16"]
    refused = client.post(
        f"/antrian/{office.code}/kios/", {"nik": NIK_1, "service": permit.code}
    )
    assert refused.status_code == 404
    allowed = client.post(
        f"/antrian/{office.code}/kios/",
        {"nik": NIK_1, "service": permit.code},
        REMOTE_ADDR="10.20.1.5",
    )
    assert allowed.status_code == 302


def test_reception_may_give_a_priority_without_nik(
    client, office, group_a, permit, counter_1, operator, elderly
):
    client.force_login(operator)
    page = client.get(f"/antrian/{office.code}/kios/", headers=EN)
    assert "Reception mode" in page.text
    client.post(
        f"/antrian/{office.code}/kios/",
        {"nik": "", "service": permit.code, "priority": "lansia"},
    )
    ticket = QueueTicket.objects.get()
    assert (ticket.channel, ticket.priority.code, ticket.nik_hash) == (
        TicketChannel.RECEPTION,
        "lansia",
        "",
    )


def test_board_shows_calls_and_speaks_indonesian(
    client, office, group_a, permit, counter_1, operator
):
    ticket_issue(office=office, service=permit, channel=TicketChannel.RECEPTION)
    ticket_call_next(counter=counter_1, user=operator)
    page = client.get(f"/antrian/{office.code}/papan/")
    assert 'hx-trigger="every 1s"' in page.text
    assert "django_htmx/htmx-2.min.js" in page.text
    assert "js/queue-board.js" in page.text
    partial = client.get(f"/antrian/{office.code}/papan/panggilan/")
    assert "A001" in partial.text
    assert 'data-speech="Nomor antrean A satu, silakan ke loket satu."' in partial.text
    assert "<html" not in partial.text


def test_counter_desk_walks_a_ticket(
    client, office, group_a, permit, counter_1, operator
):
    ticket_issue(office=office, service=permit, channel=TicketChannel.RECEPTION)
    client.force_login(operator)
    desk = f"/antrian/loket/{counter_1.pk}/"
    assert client.get(desk, headers=EN).status_code == 200
    for action in ("panggil", "mulai", "selesai"):
        assert client.post(f"{desk}{action}/").status_code == 302
    assert QueueTicket.objects.get().status == TicketStatus.DONE


def test_another_office_s_desk_is_a_404(
    client, django_user_model, office, group_a, permit, operator
):
    other = make_counter(
        ServiceGroupFactory(office=OfficeFactory(), services=[permit]), number=1
    )
    client.force_login(operator)
    assert client.get(f"/antrian/loket/{other.pk}/").status_code == 404
    assert client.post(f"/antrian/loket/{other.pk}/panggil/").status_code == 404


def test_statistics_count_served_tickets(
    client, django_user_model, office, group_a, permit, counter_1, operator
):
    for _ in range(2):
        ticket_issue(office=office, service=permit, channel=TicketChannel.RECEPTION)
    ticket_call_next(counter=counter_1, user=operator)
    ticket_start(counter=counter_1, user=operator)
    ticket_finish(counter=counter_1, user=operator)
    head = make_supervisor(django_user_model, office)
    client.force_login(head)
    page = client.get(f"/antrian/{office.code}/statistik/", headers=EN)
    assert page.status_code == 200
    assert '<dd data-stat="issued">2</dd>' in page.text
    assert '<dd data-stat="served">1</dd>' in page.text
    assert 'class="chart heat"' in page.text
    client.force_login(operator)  # an operator is not the office head
    assert client.get(f"/antrian/{office.code}/statistik/").status_code == 404


def test_booking_pages(client, django_user_model, office, group_a, permit):
    citizen = django_user_model.objects.create_user(username="warga", password="x" * 12)
    client.force_login(citizen)
    url = f"/antrian/{office.code}/janji-temu/"
    first = client.get(url, headers=EN)
    assert "Show free times" in first.text
    slots = client.get(url, {"service": permit.code, "day": "2026-05-05"}, headers=EN)
    assert "08:00-08:30 WIB (2 free)" in slots.text
    created = client.post(
        url,
        {
            "service": permit.code,
            "day": "2026-05-05",
            "slot": "2026-05-05T01:00:00+00:00",
            "nik": NIK_1,
        },
    )
    assert created.status_code == 302
    detail = client.get(created.url, headers=EN)
    assert "BK-" in detail.text
    other = django_user_model.objects.create_user(username="lain", password="x" * 12)
    client.force_login(other)
    assert client.get(created.url).status_code == 404


def test_booking_offers_a_service_queued_at_two_offices_once(
    client, django_user_model, office, group_a, permit
):
    """A service queued at the MPP and at a kecamatan point (both taking
    bookings, as ``make run``'s demo has): the booking page lists it once and
    shows its free times; a group without bookings at this office does not
    make another office's service bookable here."""
    other = OfficeFactory(name="Kecamatan Uji")
    ServiceGroupFactory(office=other, prefix="K", services=[permit], booking_capacity=3)
    civil = ServiceFactory(code="akta-uji", name="Akta Kelahiran")
    ServiceGroupFactory(office=office, prefix="C", services=[civil], booking_capacity=0)
    ServiceGroupFactory(office=other, prefix="C", services=[civil], booking_capacity=5)
    citizen = django_user_model.objects.create_user(username="warga", password="x" * 12)
    client.force_login(citizen)
    url = f"/antrian/{office.code}/janji-temu/"
    page = client.get(url, headers=EN)
    assert page.text.count(f'value="{permit.code}"') == 1
    assert f'value="{civil.code}"' not in page.text
    slots = client.get(url, {"service": permit.code, "day": "2026-05-05"}, headers=EN)
    assert slots.status_code == 200
    assert "08:00-08:30 WIB (2 free)" in slots.text  # this office's capacity


def test_office_list_links(client, office, group_a):
    page = client.get("/antrian/", headers=EN)
    assert f"/antrian/{office.code}/kios/" in page.text
    assert f"/antrian/{office.code}/papan/" in page.text


def test_office_head_reads_statistics_by_role(client, django_user_model, office):
    """One staff identity: the office head's officer profile (role group
    ``office_head``) opens the statistics without a supervisor row; the head of
    another office does not."""
    from django.contrib.auth.models import Group

    from accounts.models import Officer
    from tests.queueing.factories import OfficeFactory

    def head_of(place, username):
        user = django_user_model.objects.create_user(username=username)
        Officer.objects.create(user=user, office=place, role="office_head")
        user.groups.add(Group.objects.get(name="office_head"))
        return user

    client.force_login(head_of(office, "kepala"))
    assert client.get(f"/antrian/{office.code}/statistik/").status_code == 200
    client.force_login(head_of(OfficeFactory(), "kepala-lain"))
    assert client.get(f"/antrian/{office.code}/statistik/").status_code == 404


def test_board_is_a_bare_tv_page(client, office, group_a):
    page = client.get(f"/antrian/{office.code}/papan/")
    assert page.status_code == 200
    assert 'class="site-header"' not in page.text
    assert 'class="site-footer"' not in page.text
    assert "js/queue-board.js" in page.text


def test_queue_staff_find_their_desk_and_statistics_from_home(
    client, django_user_model, office, counter_1, operator
):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def verified(user):
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    verified(operator)
    home = client.get("/akun/petugas/").text
    assert f'href="/antrian/loket/{counter_1.pk}/"' in home
    assert "/statistik/" not in home
    verified(make_supervisor(django_user_model, office))
    home = client.get("/akun/petugas/").text
    assert f'href="/antrian/{office.code}/statistik/"' in home


def test_chart_numbers_follow_the_language(client, django_user_model, office):
    """The SVG bars say ``0,5 menit`` in Indonesian, like the tables."""
    from django.utils import translation

    from queueing.statistics import bar_chart

    with translation.override("id"):
        assert bar_chart([("A", 0.5)], unit="min").bars[0].text == "0,5 min"
        assert bar_chart([("A", 12.0)], unit="min").bars[0].text == "12 min"
    with translation.override("en"):
        assert bar_chart([("A", 0.5)], unit="min").bars[0].text == "0.5 min"
