"""The world the route authorization test runs in: two citizens, officers of
two agencies and an office, an auditor and an admin, a submitted application
of citizen A with a PDF document and an internal note, and a draft of A."""

import dataclasses

from django.test import Client

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import OfficerRole, StaffRole
from accounts.models import Officer, User
from agencies.choices import AgencyKind, CalendarKind, OfficeKind, StepKind
from agencies.models import Agency, Calendar, Office
from audit.context import audit_actor
from permits.services import (
    application_create_draft,
    application_submit,
    document_upload,
)
from tests.support.workflow import VALID_FORM, make_service
from tests.workspace.conftest import pdf_bytes
from workspace.models import InternalNote

from . import rules as r


@dataclasses.dataclass
class World:
    users: dict
    application: object
    draft: object
    document: object
    step: object
    service: object
    office: object

    def client(self, actor: str) -> Client:
        client = Client()
        user = self.users.get(actor)
        if user is None:
            return client
        client.force_login(user)
        if hasattr(user, "officer") or user.is_staff or user.groups.exists():
            device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client


def _staff(username, role, *, agency=None, office=None, groups=()):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username=username, password="pw-Rahasia-123")
    if role:
        Officer.objects.create(user=user, role=role, agency=agency, office=office)
        groups = (*groups, role)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def build_world() -> World:
    with audit_actor(system="system:test"):
        a = Agency.objects.create(code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS)
        dinkes = Agency.objects.create(
            code="DINKES", name="Dinkes", kind=AgencyKind.DINAS
        )
        b = Agency.objects.create(code="DINSOS", name="Dinsos", kind=AgencyKind.DINAS)
        calendar = Calendar.objects.create(
            code="layanan", name="Layanan", kind=CalendarKind.SERVICE_HOURS
        )
        office = Office.objects.create(
            code="mpp",
            name="MPP",
            kind=OfficeKind.MPP,
            agency=a,
            service_calendar=calendar,
        )
        A = StepKind.AGENCY
        service = make_service(
            code="sip-dokter",
            agency=dinkes,
            issuer=a,
            steps=[
                (A, a, OfficerRole.FRONT_OFFICE, "", ""),
                (A, dinkes, OfficerRole.VERIFIER, "", ""),
                (A, a, OfficerRole.APPROVER, "", ""),
            ],
        )
        service.is_published = True
        service.save(update_fields=["is_published"])
        users = {
            r.CITIZEN_A: User.objects.create_user(
                username="warga-a", password="pw-Rahasia-123"
            ),
            r.CITIZEN_B: User.objects.create_user(
                username="warga-b", password="pw-Rahasia-123"
            ),
            r.OFFICER_A: _staff("fo-a", OfficerRole.FRONT_OFFICE, agency=a),
            r.SUPERVISOR_A: _staff("spv-a", OfficerRole.SUPERVISOR, agency=a),
            r.OFFICER_B: _staff("fo-b", OfficerRole.FRONT_OFFICE, agency=b),
            r.OFFICE_STAFF: _staff("fo-mpp", OfficerRole.FRONT_OFFICE, office=office),
            r.AUDITOR: _staff("auditor", "", groups=(StaffRole.AUDITOR,)),
            r.ADMIN: User.objects.create_superuser(
                username="admin", password="pw-Rahasia-123", email="a@example.org"
            ),
        }
        citizen = users[r.CITIZEN_A]
        draft = application_create_draft(
            applicant=citizen, service=service, form_data=dict(VALID_FORM)
        )
        document = document_upload(
            owner=citizen,
            requirement_code="ktp",
            content=pdf_bytes(1),
            original_name="ktp.pdf",
            application=draft,
        )
        application, _code = application_submit(
            application=draft, applicant=citizen, idempotency_key="w1"
        )
        other_draft = application_create_draft(
            applicant=citizen, service=service, form_data=dict(VALID_FORM)
        )
        InternalNote.objects.create(
            application=application,
            author=users[r.OFFICER_A],
            agency=a,
            body="Catatan internal",
        )
    return World(
        users=users,
        application=application,
        draft=other_draft,
        document=document,
        step=application.steps.get(status="active"),
        service=service,
        office=office,
    )
