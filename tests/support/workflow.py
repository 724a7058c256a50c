"""Builders shared by the workflow tests (permits, SLA, payments, documents,
auditor, transparency ...) and the benchmarks: a published service with its
steps, users and officers, valid answers, a submitted application."""

from accounts.models import Officer, User
from agencies.choices import ServiceCategory
from agencies.models import Service, ServiceStep, ServiceVersion
from permits.services import application_create_draft, application_submit

#: The one requirement ``make_service`` gives a version unless told otherwise.
KTP_REQUIREMENT = {"code": "ktp", "name": "KTP-el", "name_en": "ID card"}

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
    name_en="",
    step_names_en=(),
    validity_text="",
    requirements=None,
):
    """A published service whose current version has ``steps``: a list of
    ``(kind, agency, role, parallel_group, external_system)``, and
    ``requirements`` (``[{"code", "name", "name_en"}]``, default: the KTP).
    Steps are named "Tahap 1", "Tahap 2"…, in English ``step_names_en`` in
    order (missing: no English name)."""
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
        name_en=name_en,
        validity_text=validity_text,
        requirements=requirements or [KTP_REQUIREMENT],
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
            name_en=step_names_en[order - 1] if order <= len(step_names_en) else "",
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


def active_step(application):
    return application.steps.get(status="active")


#: The smallest file the upload sniffing takes for a PDF.
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def draft_with_ktp(service, applicant, content: bytes = PDF):
    """A draft of ``service`` with ``VALID_FORM`` and ``content`` uploaded for
    its KTP requirement: ``(draft, document)``. Set ``MEDIA_ROOT`` first."""
    from permits.services import document_upload

    draft = application_create_draft(
        applicant=applicant, service=service, form_data=dict(VALID_FORM)
    )
    document = document_upload(
        owner=applicant,
        requirement_code="ktp",
        content=content,
        original_name="ktp.pdf",
        application=draft,
    )
    return draft, document
