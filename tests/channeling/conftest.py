"""Fixtures: the real catalogue (BPJS services, kecamatan offices), a
kecamatan front office, BPJS Kesehatan officers, helpers to read the code."""

import re

from django.core import mail

import pytest

from accounts.choices import OfficerRole
from agencies.catalogue_loader import read_catalogue
from agencies.models import Agency, Office, Service
from agencies.services import catalogue_apply
from audit.context import audit_actor
from tests.accounts.conftest import deliver_all, make_staff  # noqa: F401

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NIK = "3671051203850001"  # born 12-03-1985 in Kota Tangerang
CORRECTION = {
    "participant_number": "0001234567890",
    "data_item": "nama",
    "old_value": "Siti Rahmah",
    "new_value": "Siti Rahma",
}


def code_sent_to(address: str) -> str:
    """Deliver the outbox and read the last six-digit code mailed to
    ``address`` (locmem mailer)."""
    deliver_all()
    for message in reversed(mail.outbox):
        if address in message.to:
            return re.search(r"\b(\d{6})\b", message.body).group(1)
    raise AssertionError(f"no e-mail to {address}")


@pytest.fixture(autouse=True)
def _audit_actor():
    with audit_actor(system="system:test"):
        yield


@pytest.fixture
def catalogue(db):
    catalogue_apply(plan=read_catalogue(), reason="tests", holiday_years=())


@pytest.fixture
def kecamatan(catalogue) -> Office:
    return Office.objects.get(code="kec-ciledug")


@pytest.fixture
def mpp(catalogue) -> Office:
    return Office.objects.get(code="mpp")


@pytest.fixture
def bpjskes(catalogue) -> Agency:
    return Agency.objects.get(code="BPJSKES")


@pytest.fixture
def correction_service(catalogue) -> Service:
    return Service.objects.get(code="bpjskes-ubah-data")


@pytest.fixture
def operator(make_staff, kecamatan):  # noqa: F811
    return make_staff(
        OfficerRole.FRONT_OFFICE,
        office=kecamatan,
        username="loket",
        full_name="Rina Wulandari",
    )


@pytest.fixture
def other_operator(make_staff, mpp):  # noqa: F811
    return make_staff(OfficerRole.FRONT_OFFICE, office=mpp, username="loketmpp")


@pytest.fixture
def bpjs_verifier(make_staff, bpjskes):  # noqa: F811
    return make_staff(OfficerRole.VERIFIER, agency=bpjskes, username="bpjsverif")


@pytest.fixture
def bpjs_officer(make_staff, bpjskes):  # noqa: F811
    return make_staff(OfficerRole.APPROVER, agency=bpjskes, username="bpjs")
