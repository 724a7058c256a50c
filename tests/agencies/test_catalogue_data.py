"""What the overlay makes of the raw catalogue: roles, kinds, fan-out, issuers,
provisional SLAs, English text, offices and calendars."""

import pytest

from agencies.choices import SlaBasis, StepKind, StepRole
from agencies.models import CalendarOverride, Office, Service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]


def _steps(code: str) -> list:
    service = Service.objects.get(code=code)
    return list(service.current_version.steps.select_related("agency"))


def test_pbg_umum_reviews_run_in_parallel_and_join_before_the_fee():
    """Disperkimtan's building review and DPUPR's spatial review share a parallel
    group; the compliance statement and then the levy come after both."""
    steps = _steps("pbg-umum")
    group = [s for s in steps if s.parallel_group]
    assert {(s.agency.code, s.role) for s in group} == {
        ("PERKIM", StepRole.TECHNICAL_REVIEWER),
        ("DPUPR", StepRole.TECHNICAL_REVIEWER),
    }
    assert [s.order for s in group] == [group[0].order, group[0].order + 1]
    fee = next(s for s in steps if "retribusi" in s.name.lower())
    assert fee.order > group[-1].order
    assert steps[0].kind == StepKind.APPLICANT
    assert steps[0].pauses_sla


def test_dinkes_practice_licence_walks_front_office_dinkes_signatory():
    """sip-dokter: DPMPTSP front office, Dinkes technical review, DPMPTSP
    signatory, DPMPTSP hand-over; issued by DPMPTSP, decided by Dinkes."""
    service = Service.objects.get(code="sip-dokter")
    assert (service.agency.code, service.issuer_agency.code) == ("DINKES", "DPMPTSP")
    assert [(s.agency.code, s.role) for s in _steps("sip-dokter")] == [
        ("DPMPTSP", StepRole.FRONT_OFFICE),
        ("DINKES", StepRole.TECHNICAL_REVIEWER),
        ("DPMPTSP", StepRole.APPROVER),
        ("DPMPTSP", StepRole.FRONT_OFFICE),
    ]


@pytest.mark.parametrize(
    ("code", "roles"),
    [
        ("bpjskes-ubah-data", [StepRole.VERIFIER, StepRole.APPROVER]),
        ("bpjstk-ubah-data", [StepRole.VERIFIER, StepRole.APPROVER]),
        ("bpjskes-pindah-fktp", [StepRole.APPROVER]),
    ],
)
def test_bpjs_corrections_start_with_the_applicant(code, roles):
    steps = _steps(code)
    assert steps[0].kind == StepKind.APPLICANT
    assert steps[0].pauses_sla
    assert [s.role for s in steps[1:]] == roles


def test_oss_step_is_an_external_system_and_issuer_maps():
    service = Service.objects.get(code="nib-oss")
    assert service.issuer_agency is None
    assert service.issuer_system == "OSS"
    oss = next(s for s in _steps("nib-oss") if s.kind == StepKind.EXTERNAL_SYSTEM)
    assert (oss.agency, oss.external_system, oss.pauses_sla) == (None, "OSS", False)


def test_assumed_sla_is_provisional_and_english_is_stored():
    version = Service.objects.get(code="duplikat-izin").current_version
    assert version.sla_basis == SlaBasis.ASSUMED
    assert version.sla_provisional
    kk = Service.objects.get(code="kk").current_version
    assert not kk.sla_provisional
    assert kk.fee_rule_en == (
        "All population administration services are free (UU 24/2013)"
    )


def test_mpp_hours_come_from_the_catalogue_and_kecamatan_are_assumed():
    mpp = Office.objects.get(code="mpp").service_calendar
    hours = {
        (i.weekday, i.opens_at.isoformat("minutes"), i.closes_at.isoformat("minutes"))
        for i in mpp.weekly_intervals.all()
    }
    assert (0, "08:00", "15:00") in hours
    assert (6, "09:00", "12:00") in hours
    assert len(hours) == 7
    kecamatan = Office.objects.get(code="kec-cipondoh")
    assert kecamatan.district.code == "36.71.05"
    assert kecamatan.service_calendar.is_assumed
    assert kecamatan.service_calendar.weekly_intervals.count() == 5
    ramadan = CalendarOverride.objects.get(code="ramadan-1445")
    assert ramadan.calendars.filter(code__in=["kerja-kota", "layanan-mpp"]).count() == 2
