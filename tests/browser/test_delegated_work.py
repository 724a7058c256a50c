"""A substitute opens the work list during a colleague's leave and sees the
colleague's task marked as delegated. The page passes the accessibility and
360 px gates."""

import datetime as dt

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from accounts.choices import DelegationKind, OfficerRole
from accounts.models import Delegation, User
from agencies.choices import AgencyKind, StepKind
from agencies.models import Agency
from audit.context import audit_actor
from permits.services import application_create_draft, application_submit
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)
from tests.support.workflow import VALID_FORM, make_service

from .test_applications import PASSWORD, _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_substitute_sees_the_absent_colleagues_task(
    live_server,
    page,
    assert_page_ok,
    make_staff,  # noqa: F811
):
    dpmptsp = Agency.objects.create(
        code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS
    )
    absent = make_staff(
        OfficerRole.FRONT_OFFICE, agency=dpmptsp, username="fo", full_name="Fajar"
    )
    substitute = make_staff(OfficerRole.APPROVER, agency=dpmptsp, username="ttd")
    now = timezone.now()
    with audit_actor(system="system:test"):
        service = make_service(
            code="sip-dokter",
            agency=dpmptsp,
            issuer=dpmptsp,
            steps=[(StepKind.AGENCY, dpmptsp, OfficerRole.FRONT_OFFICE, "", "")],
        )
        citizen = User.objects.create_user(username="warga", password="x-Rahasia-1")
        draft = application_create_draft(
            applicant=citizen, service=service, form_data=dict(VALID_FORM)
        )
        application, _code = application_submit(
            application=draft, applicant=citizen, idempotency_key="k1"
        )
        # A dated row: a leave that began yesterday, as recorded then.
        Delegation.objects.create(
            kind=DelegationKind.TASKS,
            delegator=absent.officer,
            delegate=substitute.officer,
            starts_at=now - dt.timedelta(days=1),
            ends_at=now + dt.timedelta(days=3),
            reason="Cuti tahunan",
            created_by=absent,
        )
    _log_in(page, live_server.url, "ttd", PASSWORD, "/permohonan/tugas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar tugas")
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    expect(page.get_by_test_id("delegated-from")).to_have_text("Dilimpahkan dari Fajar")
    assert_page_ok(page)
