"""Fixtures for the workflow: two agencies, a practice-licence-like service
(front office -> Dinkes review -> signatory -> issuance), officers, citizens."""

import pytest

from accounts.choices import OfficerRole
from accounts.models import Officer, User
from agencies.choices import AgencyKind, ServiceCategory, StepKind
from agencies.models import Agency, Service, ServiceStep, ServiceVersion
from audit.context import audit_actor
from permits.services import application_create_draft, application_submit

VALID_FORM = {
    "full_name": "Dr. Siti Rahma",
    "nik": "3671051203850001",
    "phone": "081234567890",
    "str_number": "STR-123",
    "practice_place": "Klinik Sehat",
    "practice_address": "Jl. Merdeka 1, Tangerang",
    "licence_sequence": 1,
}


def make_service(
    *,
    code,
    agency,
    issuer,
    steps,
    category=ServiceCategory.PERMIT,
    name="",
    validity_text="",
):
    """A published service whose current version has ``steps``: a list of
    ``(kind, agency, role, parallel_group, external_system)``."""
    service = Service.objects.create(
        code=code,
        agency=agency,
        issuer_agency=issuer,
        category=category,
        applicant_type="individual",
    )
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        name=name or f"Layanan {code}",
        validity_text=validity_text,
        requirements=[{"code": "ktp", "name": "KTP-el", "name_en": "ID card"}],
        sla_value=5,
        sla_unit="working_days",
        sla_basis="tangerang_source",
        fee_type="free",
        confidence="high",
        origin="catalogue",
    )
    for order, (kind, step_agency, role, group, system) in enumerate(steps, 1):
        ServiceStep.objects.create(
            version=version,
            order=order,
            name=f"Tahap {order}",
            kind=kind,
            agency=step_agency,
            role=role,
            parallel_group=group,
            external_system=system,
        )
    service.current_version = version
    service.save(update_fields=["current_version"])
    return service


def make_user(username: str) -> User:
    return User.objects.create_user(username=username, password="pw-Rahasia-123")


def make_officer(username: str, *, agency, role) -> Officer:
    return Officer.objects.create(user=make_user(username), agency=agency, role=role)


@pytest.fixture(autouse=True)
def _audit_actor():
    with audit_actor(system="system:test"):
        yield


@pytest.fixture
def dpmptsp(db):
    return Agency.objects.create(code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS)


@pytest.fixture
def dinkes(db):
    return Agency.objects.create(code="DINKES", name="Dinkes", kind=AgencyKind.DINAS)


@pytest.fixture
def dinsos(db):
    return Agency.objects.create(code="DINSOS", name="Dinsos", kind=AgencyKind.DINAS)


@pytest.fixture
def licence(dpmptsp, dinkes):
    A = StepKind.AGENCY
    return make_service(
        code="sip-dokter",
        agency=dinkes,
        issuer=dpmptsp,
        steps=[
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
            (A, dinkes, OfficerRole.VERIFIER, "", ""),
            (A, dpmptsp, OfficerRole.APPROVER, "", ""),
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
        ],
    )


@pytest.fixture
def citizen(db):
    return make_user("warga")


@pytest.fixture
def other_citizen(db):
    return make_user("warga2")


@pytest.fixture
def front_office(dpmptsp):
    return make_officer("fo", agency=dpmptsp, role=OfficerRole.FRONT_OFFICE)


@pytest.fixture
def verifier(dinkes):
    return make_officer("verif", agency=dinkes, role=OfficerRole.VERIFIER)


@pytest.fixture
def approver(dpmptsp):
    return make_officer("ttd", agency=dpmptsp, role=OfficerRole.APPROVER)


@pytest.fixture
def dinkes_head(dinkes):
    return make_officer("kadis", agency=dinkes, role=OfficerRole.AGENCY_HEAD)


#: The building answers a PBG form requires (``forms_schema.BUILDING_PROPERTIES``).
BUILDING_FORM = {
    "building_address": "Jl. Merdeka 1, Tangerang",
    "floor_area_m2": 72.5,
    "building_function": "residential",
}


def valid_form_for(service) -> dict:
    """``VALID_FORM``, plus the building answers for a PBG service."""
    from permits.forms_schema import SERVICE_FAMILIES

    if SERVICE_FAMILIES.get(service.code) == "building":
        return {**VALID_FORM, **BUILDING_FORM}
    return dict(VALID_FORM)


def submit(service, applicant, form=None, key="k1"):
    draft = application_create_draft(
        applicant=applicant, service=service, form_data=form or valid_form_for(service)
    )
    application, code = application_submit(
        application=draft, applicant=applicant, idempotency_key=key
    )
    return application, code


@pytest.fixture
def submitted(licence, citizen):
    application, _code = submit(licence, citizen)
    return application


def active_step(application):
    return application.steps.get(status="active")


@pytest.fixture
def login(client):
    """Log ``user`` in; staff get a verified second factor (as after the code
    page). Returns the client."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def _login(user, c=None):
        c = c or client
        user = getattr(user, "user", user)  # an Officer logs in as its user
        c.force_login(user)
        if hasattr(user, "officer"):
            device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
            session = c.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return c

    return _login
