"""A ticket that names an application: the counter officer calls it, opens the
application from the desk and invites the applicant to book a visit; the
applicant follows the link and finds the service and application filled in."""

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from accounts.models import Officer
from agencies.choices import AgencyKind, StepKind
from agencies.models import Agency
from audit.context import audit_actor
from notifications.models import Notification
from queueing.choices import TicketChannel
from queueing.models import CounterOperator
from queueing.services import ticket_issue
from tests.queueing.factories import OfficeFactory, ServiceGroupFactory, make_counter
from tests.support.workflow import make_service, make_user, submit

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, base, username, password, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.get_by_label("E-mail, nomor ponsel, atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi:", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_desk_opens_application_and_officer_invites_applicant(
    live_server, page, assert_page_ok
):
    office = OfficeFactory(code="mpp-uji", name="MPP Uji")  # open all day
    dpmptsp = Agency.objects.create(
        code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS
    )
    with audit_actor(system="system:test"):
        licence = make_service(
            code="sip-uji",
            agency=dpmptsp,
            issuer=dpmptsp,
            steps=[(StepKind.AGENCY, dpmptsp, OfficerRole.FRONT_OFFICE, "", "")],
        )
        application, _code = submit(licence, make_user("pemohon"))
    group = ServiceGroupFactory(
        office=office, prefix="A", services=[licence], booking_capacity=2
    )
    counter = make_counter(group, number=1)
    user = make_user("petugas")
    user.groups.add(Group.objects.get(name=OfficerRole.FRONT_OFFICE))
    officer = Officer.objects.create(
        user=user, agency=dpmptsp, office=office, role=OfficerRole.FRONT_OFFICE
    )
    CounterOperator.objects.create(counter=counter, officer=officer)
    ticket_issue(
        office=office,
        service=licence,
        channel=TicketChannel.RECEPTION,
        application_reference=application.reference,
    )
    base = live_server.url

    _log_in(page, base, "petugas", "pw-Rahasia-123", f"/antrian/loket/{counter.pk}/")
    page.get_by_role("button", name="Panggil berikutnya").click()
    expect(page.locator(".desk-number")).to_have_text("A001")
    page.get_by_role("link", name=f"Buka permohonan {application.reference}").click()
    expect(
        page.get_by_role("heading", name="Undang pemohon datang ke kantor")
    ).to_be_visible()
    assert_page_ok(page)
    page.get_by_label("Pesan untuk pemohon (opsional)").fill("Bawa KTP asli.")
    page.get_by_role("button", name="Kirim undangan").click()
    expect(page.get_by_text("Undangan sudah dikirim ke pemohon.")).to_be_visible()

    link = Notification.objects.get(
        event="appointment.invitation", channel="email"
    ).context["booking_url"]
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    _log_in(page, base, "pemohon", "pw-Rahasia-123", "/")
    page.goto(base + path)
    expect(
        page.get_by_text(f"Untuk permohonan {application.reference}.")
    ).to_be_visible()
    expect(page.get_by_label("Layanan")).to_have_value(licence.code)
    assert_page_ok(page)
