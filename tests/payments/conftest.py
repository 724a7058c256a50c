"""Fixtures for fees and payments: a building-approval-like service whose
Disperkimtan review is followed by the levy assessment (SKRD) at DPMPTSP, the
applicant's payment step (pausing the SLA) and the issuance; officers of
Perkim, DPMPTSP and Bapenda; a citizen; helpers that sign gateway messages."""

import datetime as dt
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.choices import OfficerRole
from agencies.choices import AgencyKind, ServiceCategory, StepKind
from agencies.models import Agency, Service, ServiceStep, ServiceVersion
from audit.context import audit_actor
from payments.gateways.protocol import signed_headers
from payments.services import bill_issue
from permits.services import application_step_complete
from tests.support.workflow import (  # noqa: F401  (used here or by tests)
    VALID_FORM,
    make_officer,
    make_user,
    submit,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _audit_actor():
    with audit_actor(system="system:test"):
        yield


def make_pbg_service(
    *, perkim, dpmptsp, code="pbg-uji", exemptions=None, clock_start="submitted"
):
    service = Service.objects.create(
        code=code,
        agency=perkim,
        issuer_agency=dpmptsp,
        category=ServiceCategory.PERMIT,
        applicant_type="individual",
    )
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        name="PBG uji",
        requirements=[{"code": "ktp", "name": "KTP-el", "name_en": "ID card"}],
        sla_value=10,
        sla_unit="working_hours",
        sla_basis="tangerang_source",
        fee_type="retribusi",
        fee_amount=None,
        fee_rule="Retribusi PBG dihitung dari luas lantai dan indeks.",
        fee_exemptions=exemptions
        if exemptions is not None
        else [{"text": "Masyarakat Berpenghasilan Rendah (MBR)", "text_en": ""}],
        confidence="high",
        origin="catalogue",
        sla_clock_start=clock_start,
    )
    A, P = StepKind.AGENCY, StepKind.APPLICANT
    steps = [
        (A, perkim, OfficerRole.TECHNICAL_REVIEWER, False, "Verifikasi teknis"),
        (A, dpmptsp, OfficerRole.VERIFIER, False, "Penetapan retribusi (SKRD)"),
        (P, None, "", True, "Pembayaran retribusi"),
        (A, dpmptsp, OfficerRole.APPROVER, False, "Penerbitan PBG"),
    ]
    for order, (kind, agency, role, pauses, name) in enumerate(steps, 1):
        ServiceStep.objects.create(
            version=version,
            order=order,
            name=name,
            kind=kind,
            agency=agency,
            role=role,
            pauses_sla=pauses,
        )
    service.current_version = version
    service.save(update_fields=["current_version"])
    return service


@pytest.fixture
def perkim(db):
    return Agency.objects.create(code="PERKIM", name="Perkim", kind=AgencyKind.DINAS)


@pytest.fixture
def dpmptsp(db):
    return Agency.objects.create(code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS)


@pytest.fixture
def bapenda(db):
    return Agency.objects.create(code="BAPENDA", name="Bapenda", kind=AgencyKind.BADAN)


@pytest.fixture
def pbg(perkim, dpmptsp):
    return make_pbg_service(perkim=perkim, dpmptsp=dpmptsp)


@pytest.fixture
def reviewer(perkim):
    return make_officer("perkim", agency=perkim, role=OfficerRole.TECHNICAL_REVIEWER)


@pytest.fixture
def assessor(dpmptsp):
    return make_officer("skrd", agency=dpmptsp, role=OfficerRole.VERIFIER)


@pytest.fixture
def cashier(bapenda):
    return make_officer("kasir", agency=bapenda, role=OfficerRole.VERIFIER)


@pytest.fixture
def treasurer(bapenda):
    return make_officer("bendahara", agency=bapenda, role=OfficerRole.APPROVER)


@pytest.fixture
def at_fee_step(pbg, citizen, reviewer):
    """An application whose Disperkimtan review is done: the SKRD step is
    active."""
    application, _ = submit(pbg, citizen)
    application_step_complete(
        application=application,
        step=application.steps.get(order=1),
        user=reviewer.user,
        seen_version=application.version,
    )
    application.refresh_from_db()
    return application


def issue(application, assessor, *, area="72", function="residential", exemption=""):
    return bill_issue(
        application=application,
        step=application.steps.get(order=2),
        user=assessor.user,
        seen_version=application.version,
        floor_area_m2=area,
        building_function=function,
        exemption=exemption,
    )


@pytest.fixture
def bill(at_fee_step, assessor):
    return issue(at_fee_step, assessor)


def message(bill, **overrides) -> dict:
    return {
        "transaction_id": "TRX-0001",
        "billing_code": bill.billing_code,
        "amount": bill.amount,
        "paid_at": timezone.now().isoformat(),
        "channel": "teller",
        **overrides,
    }


def post_callback(client, payload, *, secret=None, now=None, raw=None):
    body = raw if raw is not None else json.dumps(payload, default=str).encode()
    headers = signed_headers(
        settings.PAYMENTS_GATEWAY_SECRET if secret is None else secret, body, now=now
    )
    return client.post(
        reverse("api:payments-api:gateway-callback"),
        data=body,
        content_type="application/json",
        headers=headers,
    )


def an_hour_ago():
    return timezone.now() - dt.timedelta(hours=1)
