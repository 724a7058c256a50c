"""One connected day at the one-stop office, on the real catalogue.

``office_day`` loads the published catalogue (11 agencies, their services and
offices) and the day's staff; each persona's test builds the rest of what it
needs, so every test runs alone. ``same_origin`` records every request the
browser makes and fails the test if one left the live server (issue 18: no
external requests; a test may allow one more origin, e.g. the payment gateway).
"""

from types import SimpleNamespace

from django.contrib.auth.models import Group

import pytest

from accounts.choices import OfficerRole
from accounts.models import User
from agencies.catalogue_loader import read_catalogue
from agencies.models import Agency, Office, Service
from agencies.services import catalogue_apply
from audit.context import audit_actor
from payments.services import bill_issue
from permits.choices import ApplicationStatus
from permits.services import application_resubmit, application_step_complete
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)
from tests.documents.conftest import act
from tests.permits.conftest import BUILDING_FORM, submit
from tests.support.browser import RequestLog, origin

STAFF_PASSWORD = "petugas-rahasia-2026"  # make_staff's default
CITIZEN_PASSWORD = "warga-rahasia-2026"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def office_day(make_staff, settings, tmp_path):  # noqa: F811
    """The catalogue and the staff on duty: DPMPTSP front office, verifier and
    signatory, a Dinkes reviewer, Disperkimtan's reviewer, the Ciledug
    kecamatan front office, BPJS Kesehatan's verifier and approver, and an
    auditor. Returns them by role name; ``pdf`` is an upload on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with audit_actor(system="system:test"):
        catalogue_apply(plan=read_catalogue(), reason="e2e day", holiday_years=())
    agency = {a.code: a for a in Agency.objects.all()}
    staff = SimpleNamespace(
        fo=make_staff(
            OfficerRole.FRONT_OFFICE, agency=agency["DPMPTSP"], username="fo"
        ),
        skrd=make_staff(
            OfficerRole.VERIFIER, agency=agency["DPMPTSP"], username="skrd"
        ),
        ttd=make_staff(OfficerRole.APPROVER, agency=agency["DPMPTSP"], username="ttd"),
        dinkes=make_staff(
            OfficerRole.TECHNICAL_REVIEWER, agency=agency["DINKES"], username="dinkes"
        ),
        perkim=make_staff(
            OfficerRole.TECHNICAL_REVIEWER, agency=agency["PERKIM"], username="perkim"
        ),
        loket=make_staff(
            OfficerRole.FRONT_OFFICE,
            office=Office.objects.get(code="kec-ciledug"),
            username="loket",
        ),
        bpjsverif=make_staff(
            OfficerRole.VERIFIER, agency=agency["BPJSKES"], username="bpjsverif"
        ),
        bpjs=make_staff(
            OfficerRole.APPROVER, agency=agency["BPJSKES"], username="bpjs"
        ),
    )
    staff.auditor = User.objects.create_user(username="audit", password=STAFF_PASSWORD)
    staff.auditor.groups.add(Group.objects.get_or_create(name="auditor")[0])
    upload = tmp_path / "ktp.pdf"
    upload.write_bytes(PDF)
    return SimpleNamespace(agency=agency, staff=staff, pdf=upload)


@pytest.fixture
def same_origin(live_server, context):
    """The set of allowed origins (the live server's, add more in the test);
    at teardown, asserts no request of the browser context went elsewhere."""
    allowed = {origin(live_server.url)}
    log = RequestLog(context)
    yield allowed
    assert log.urls, "the journey made no request at all"
    assert not log.foreign(allowed), f"external requests: {log.foreign(allowed)}"


def pbg_billed(office_day, citizen):
    """``citizen``'s simple-house building approval (PBG, real catalogue)
    verified by Disperkimtan and billed by DPMPTSP for 72 m² residential
    (the levy rule gives Rp 270.000). Returns ``(application, bill)``."""
    staff = office_day.staff
    with audit_actor(system="system:test"):
        application, _code = submit(
            Service.objects.get(code="pbg-rts-10jam"),
            citizen,
            form={
                "full_name": citizen.full_name,
                "nik": "3671051203850001",
                "phone": "081234567890",
                **BUILDING_FORM,
                "floor_area_m2": 72,
            },
        )
        if application.status == ApplicationStatus.WAITING_FOR_APPLICANT:
            application_resubmit(application=application, applicant=citizen)
        act(
            application_step_complete,
            application,
            staff.perkim.officer,
            external_reference="SIMBG-123",
        )
        bill = act(
            bill_issue,
            application,
            staff.skrd.officer,
            floor_area_m2=72,
            building_function="residential",
        )
    application.refresh_from_db()
    return application, bill
