"""Fixtures for the workflow: two agencies, a practice-licence-like service
(front office -> Dinkes review -> signatory -> issuance), officers, citizens.

The shared fixtures and builders live in ``tests.support``; the builders are
imported here too, for the modules (``bench``, the e2e day) that still import
them from this file."""

import pytest

from accounts.choices import OfficerRole
from agencies.choices import AgencyKind, StepKind
from agencies.models import Agency
from audit.context import audit_actor
from tests.support.workflow import (  # noqa: F401  (re-exported)
    BUILDING_FORM,
    VALID_FORM,
    active_step,
    make_officer,
    make_service,
    make_user,
    submit,
    valid_form_for,
)


@pytest.fixture(autouse=True)
def _audit_actor():
    with audit_actor(system="system:test"):
        yield


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
def submitted(licence, citizen):
    application, _code = submit(licence, citizen)
    return application
