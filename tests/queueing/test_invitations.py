"""Tickets and applications (issue 12): the counter desk opens the application
a ticket refers to when the counter officer may see it; an officer invites the
applicant to book a visit, and the link fills in the service and application."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import OfficerRole
from agencies.choices import AgencyKind, StepKind
from agencies.models import Agency
from audit.context import audit_actor
from audit.models import AuditEntry
from notifications.models import Notification
from queueing.choices import TicketChannel
from queueing.models import Booking
from queueing.services import ticket_call_next, ticket_issue
from tests.support.workflow import make_service, make_user, submit

from .conftest import NIK_1

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def dpmptsp(db):
    return Agency.objects.create(code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS)


@pytest.fixture
def licence(dpmptsp, group_a):
    with audit_actor(system="system:test"):
        service = make_service(
            code="sip-uji",
            agency=dpmptsp,
            issuer=dpmptsp,
            steps=[(StepKind.AGENCY, dpmptsp, OfficerRole.FRONT_OFFICE, "", "")],
        )
    group_a.services.add(service)
    return service


@pytest.fixture
def application(licence):
    with audit_actor(system="system:test"):
        application, _code = submit(licence, make_user("pemohon"))
    return application


def _verified(client, user):
    """Log in a staff user with a confirmed second factor."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _ticket_for(office, service, reference):
    return ticket_issue(
        office=office,
        service=service,
        channel=TicketChannel.RECEPTION,
        application_reference=reference,
    )


def test_counter_desk_opens_the_linked_application(
    client, office, licence, application, counter_1, operator, dpmptsp
):
    _ticket_for(office, licence, application.reference)
    ticket_call_next(counter=counter_1, user=operator)
    desk = f"/antrian/loket/{counter_1.pk}/"
    # The operator's officer profile has no agency: the reference is only text.
    page = _verified(client, operator).get(desk).content.decode()
    assert application.reference in page
    assert f"/permohonan/{application.uuid}/" not in page
    # Once the officer works for the agency with a step in it, a link.
    operator.officer.agency = dpmptsp
    operator.officer.save(update_fields=["agency"])
    page = client.get(desk).content.decode()
    assert f'href="/permohonan/{application.uuid}/"' in page
    assert client.get(f"/permohonan/{application.uuid}/").status_code == 200


def _officer(dpmptsp, office, username="fo-mpp"):
    from accounts.models import Officer

    user = make_user(username)
    Officer.objects.create(
        user=user, agency=dpmptsp, office=office, role=OfficerRole.FRONT_OFFICE
    )
    return user


def test_officer_invites_the_applicant_with_a_prefilled_booking_link(
    client, office, licence, application, dpmptsp
):
    officer = _officer(dpmptsp, office)
    c = _verified(client, officer)
    detail = c.get(f"/permohonan/{application.uuid}/").content.decode()
    assert f"/antrian/undang/{application.uuid}/" in detail
    response = c.post(
        f"/antrian/undang/{application.uuid}/",
        {"office": office.code, "note": "Bawa KTP asli."},
    )
    assert response.status_code == 302
    invitation = Notification.objects.get(
        event="appointment.invitation", channel="email"
    )
    assert invitation.recipient == application.applicant
    url = invitation.context["booking_url"]
    assert f"/antrian/{office.code}/janji-temu/?" in url
    assert f"permohonan={application.reference}" in url
    assert AuditEntry.objects.filter(action="application.invite_to_book").exists()

    # The applicant follows the link: the service is chosen, the application
    # carried, nothing marked as an error yet.
    c.force_login(application.applicant)
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = c.get("/" + path).content.decode()
    assert f'value="{licence.code}" selected' in page
    assert f'name="permohonan" value="{application.reference}"' in page
    assert "field-error" not in page
    c.post(
        f"/antrian/{office.code}/janji-temu/",
        {
            "service": licence.code,
            "day": "2026-05-05",
            "slot": "2026-05-05T01:00:00+00:00",
            "nik": NIK_1,
            "permohonan": application.reference,
        },
    )
    assert Booking.objects.get().application_reference == application.reference


def test_only_officers_who_see_the_application_invite(
    client, office, licence, application, dpmptsp
):
    other = Agency.objects.create(code="DINSOS", name="Dinsos", kind=AgencyKind.DINAS)
    stranger = _officer(other, office, "dinsos")
    c = _verified(client, stranger)
    assert "/antrian/undang/" not in c.get("/").content.decode()
    assert (
        c.post(
            f"/antrian/undang/{application.uuid}/", {"office": office.code}
        ).status_code
        == 404
    )
    c.force_login(application.applicant)  # the applicant cannot invite themself
    assert (
        "/antrian/undang/"
        not in c.get(f"/permohonan/{application.uuid}/").content.decode()
    )
    c.post(f"/antrian/undang/{application.uuid}/", {"office": office.code})
    assert not Notification.objects.filter(event="appointment.invitation").exists()


def test_a_booking_keeps_only_an_own_application_reference(
    client, office, licence, application
):
    c = client
    c.force_login(make_user("orang-lain"))
    c.post(
        f"/antrian/{office.code}/janji-temu/",
        {
            "service": licence.code,
            "day": "2026-05-05",
            "slot": "2026-05-05T01:00:00+00:00",
            "nik": NIK_1,
            "permohonan": application.reference,
        },
    )
    assert Booking.objects.get().application_reference == ""
