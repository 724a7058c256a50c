"""Admin: every queue page opens; a service sits in one group per office; changes
are audited; tickets are read-only."""

import pytest

from audit.models import AuditEntry
from queueing.choices import TicketChannel
from queueing.services import ticket_issue

pytestmark = pytest.mark.django_db

PAGES = [
    "servicegroup",
    "counter",
    "prioritygroup",
    "officesupervisor",
    "queueticket",
    "booking",
]


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        username="admin", password="pw-admin-1234", email="admin@example.invalid"
    )
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", PAGES)
def test_every_page_opens(admin_client, office, group_a, permit, counter_1, model):
    ticket_issue(office=office, service=permit, channel=TicketChannel.RECEPTION)
    assert admin_client.get(f"/admin/queueing/{model}/").status_code == 200
    assert admin_client.get(f"/admin/queueing/{model}/add/").status_code in (200, 403)


def test_a_service_is_in_one_group_per_office(admin_client, office, group_a, permit):
    response = admin_client.post(
        "/admin/queueing/servicegroup/add/",
        {
            "office": office.pk,
            "prefix": "Z",
            "name": "Lain",
            "services": [permit.pk],
            "booking_slot_minutes": 30,
            "booking_capacity": 0,
            "average_service_minutes": 10,
            "sort_order": 0,
            "is_active": "on",
        },
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert "Already in another group of this office: pbg-uji." in response.text


def test_creating_a_group_is_audited(admin_client, office, civil):
    response = admin_client.post(
        "/admin/queueing/servicegroup/add/",
        {
            "office": office.pk,
            "prefix": "B",
            "name": "Dukcapil",
            "services": [civil.pk],
            "booking_slot_minutes": 30,
            "booking_capacity": 4,
            "average_service_minutes": 10,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"queue.servicegroup.create", "queue.servicegroup.services"} <= actions


def test_tickets_cannot_be_edited(admin_client, office, group_a, permit):
    ticket = ticket_issue(
        office=office, service=permit, channel=TicketChannel.RECEPTION
    )
    page = admin_client.get(f"/admin/queueing/queueticket/{ticket.pk}/change/")
    assert page.status_code == 200
    assert "nik_hash" not in page.text
    assert (
        admin_client.post(
            f"/admin/queueing/queueticket/{ticket.pk}/delete/"
        ).status_code
        == 403
    )
