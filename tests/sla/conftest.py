"""Fixtures of the SLA engine tests: the city calendar as database rows (Mon-Fri
08:00-15:00 WIB, the 2026 holidays and cuti bersama, Ramadan 08:00-14:00), two
agencies, a 5-working-day service, the PBG 10-hour service, officers."""

import datetime as dt

import pytest
import time_machine

from accounts.choices import OfficerRole
from agencies.choices import (
    CalendarKind,
    HolidayCategory,
    ServiceCategory,
    SlaUnit,
    StepKind,
)
from agencies.models import (
    Agency,
    Calendar,
    CalendarOverride,
    Holiday,
    OverrideInterval,
    Service,
    ServiceStep,
    ServiceVersion,
    WeeklyInterval,
)
from audit.context import audit_actor
from permits.services import application_create_draft, application_submit
from tests.support.workflow import make_officer, make_service, valid_form_for

from .calendars import CUTI_BERSAMA_2026, NATIONAL_HOLIDAYS_2026, RAMADAN_2026


@pytest.fixture(autouse=True)
def _audit_actor():
    with audit_actor(system="system:test"):
        yield


@pytest.fixture
def city_calendar(db):
    calendar = Calendar.objects.create(
        code="kerja-kota", name="Kalender kerja kota", kind=CalendarKind.WORKING_TIME
    )
    for weekday in range(5):
        WeeklyInterval.objects.create(
            calendar=calendar,
            weekday=weekday,
            opens_at=dt.time(8),
            closes_at=dt.time(15),
        )
    for day in NATIONAL_HOLIDAYS_2026:
        Holiday.objects.create(
            date=day, name=f"Libur {day}", category=HolidayCategory.PUBLIC
        )
    for day in CUTI_BERSAMA_2026:
        Holiday.objects.create(
            date=day, name=f"Cuti bersama {day}", category=HolidayCategory.GOVERNMENT
        )
    ramadan = CalendarOverride.objects.create(
        code="ramadan-2026",
        name="Ramadan 1447 H",
        date_from=RAMADAN_2026.first_day,
        date_to=RAMADAN_2026.last_day,
    )
    ramadan.calendars.add(calendar)
    for weekday in range(5):
        OverrideInterval.objects.create(
            override=ramadan,
            weekday=weekday,
            opens_at=dt.time(8),
            closes_at=dt.time(14),
        )
    return calendar


@pytest.fixture
def perkim(db):
    return Agency.objects.create(code="PERKIM", name="Disperkimtan", kind="dinas")


@pytest.fixture
def licence(city_calendar, dpmptsp, dinkes):
    """5 working days; front office (DPMPTSP) -> verifier (Dinkes) -> approver."""
    A = StepKind.AGENCY
    return make_service(
        code="sip-dokter",
        agency=dinkes,
        issuer=dpmptsp,
        steps=[
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
            (A, dinkes, OfficerRole.VERIFIER, "", ""),
            (A, dpmptsp, OfficerRole.APPROVER, "", ""),
        ],
    )


def make_sla_service(*, code, agency, issuer, value, unit, steps):
    """A published permit service with SLA ``value`` ``unit`` (clock starts at
    submission) and ``steps``: ``(kind, agency, role, pauses_sla, step_hours)``."""
    service = Service.objects.create(
        code=code,
        agency=agency,
        issuer_agency=issuer,
        category=ServiceCategory.PERMIT,
        applicant_type="individual",
    )
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        name=f"Layanan {code}",
        requirements=[{"code": "ktp", "name": "KTP-el", "name_en": "ID card"}],
        sla_value=value,
        sla_unit=unit,
        sla_basis="tangerang_source",
        fee_type="free",
        confidence="high",
        origin="catalogue",
    )
    for order, (kind, step_agency, role, pauses, hours) in enumerate(steps, 1):
        ServiceStep.objects.create(
            version=version,
            order=order,
            name=f"Tahap {order}",
            kind=kind,
            agency=step_agency,
            role=role,
            pauses_sla=pauses,
            sla_value=hours,
            sla_unit=SlaUnit.WORKING_HOURS if hours else "",
        )
    service.current_version = version
    service.save(update_fields=["current_version"])
    return service


@pytest.fixture
def pbg(city_calendar, dpmptsp, perkim):
    """PBG 10-hour service (catalogue ``pbg-rts-10jam``): Disperkimtan verifies
    (5 h), DPMPTSP sets the levy, the applicant pays (pauses the clock), DPMPTSP
    issues (5 h); the clock starts at submission (issue 9)."""
    A, P = StepKind.AGENCY, StepKind.APPLICANT
    return make_sla_service(
        code="pbg-rts-10jam",
        agency=perkim,
        issuer=dpmptsp,
        value=10,
        unit=SlaUnit.WORKING_HOURS,
        steps=[
            (A, perkim, OfficerRole.VERIFIER, False, 5),
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, False, None),
            (P, None, "", True, None),
            (A, dpmptsp, OfficerRole.APPROVER, False, 5),
        ],
    )


@pytest.fixture
def supervisor(dpmptsp):
    return make_officer("spv", agency=dpmptsp, role=OfficerRole.SUPERVISOR)


@pytest.fixture
def dpmptsp_head(dpmptsp):
    return make_officer("kadpm", agency=dpmptsp, role=OfficerRole.AGENCY_HEAD)


def submit_at(service, applicant, at: dt.datetime, key: str = "k1"):
    """Create and submit an application with the clock frozen at ``at``."""
    with time_machine.travel(at, tick=False):
        draft = application_create_draft(
            applicant=applicant, service=service, form_data=valid_form_for(service)
        )
        application, _code = application_submit(
            application=draft, applicant=applicant, idempotency_key=key
        )
    return application
