"""Fixtures for the accounts tests: agencies and offices, citizens, officers,
a logged-in staff client with its second factor, and the e-mailed codes."""

import itertools
import re

from django.core import mail

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import OfficerRole, StaffRole
from accounts.models import User
from accounts.services import staff_create
from agencies.choices import AgencyKind, CalendarKind, OfficeKind
from agencies.models import Agency, Calendar, District, Office
from notifications.models import Notification
from notifications.tasks import notification_send_task

_serials = itertools.count(1)


def make_nik(
    *,
    district: str = "05",
    day: int = 12,
    month: int = 3,
    year: int = 85,
    female: bool = False,
    serial: int | None = None,
) -> str:
    """A structurally valid Kota Tangerang NIK."""
    serial = next(_serials) if serial is None else serial
    day = day + 40 if female else day
    return f"3671{district}{day:02d}{month:02d}{year:02d}{serial:04d}"


@pytest.fixture
def service_calendar(db) -> Calendar:
    return Calendar.objects.create(
        code="layanan-uji", name="Jam layanan uji", kind=CalendarKind.SERVICE_HOURS
    )


@pytest.fixture
def dinkes(db) -> Agency:
    return Agency.objects.create(
        code="DINKES",
        name="Dinas Kesehatan",
        short_name="Dinkes",
        kind=AgencyKind.DINAS,
    )


@pytest.fixture
def dpmptsp(db) -> Agency:
    return Agency.objects.create(
        code="DPMPTSP",
        name="Dinas Penanaman Modal dan PTSP",
        short_name="DPMPTSP",
        kind=AgencyKind.DINAS,
    )


@pytest.fixture
def mpp(service_calendar, dpmptsp) -> Office:
    return Office.objects.create(
        code="mpp",
        name="Mal Pelayanan Publik",
        kind=OfficeKind.MPP,
        agency=dpmptsp,
        service_calendar=service_calendar,
    )


@pytest.fixture
def cipondoh(db) -> District:
    return District.objects.create(
        code="36.71.05", bps_code="3671020", nik_prefix="367105", name="Cipondoh"
    )


@pytest.fixture
def kec_cipondoh(service_calendar, cipondoh) -> Office:
    return Office.objects.create(
        code="kec-cipondoh",
        name="Kantor Kecamatan Cipondoh",
        kind=OfficeKind.KECAMATAN,
        district=cipondoh,
        service_calendar=service_calendar,
    )


_numbers = itertools.count(1)


@pytest.fixture
def make_citizen(db):
    """An active, verified citizen with a unique e-mail and NIK."""

    def make(**fields) -> User:
        number = next(_numbers)
        fields.setdefault("username", f"warga-{number}")
        fields.setdefault("full_name", f"Warga {number}")
        fields.setdefault("email", f"warga{number}@example.org")
        fields.setdefault("nik", make_nik())
        fields.setdefault("email_verified_at", "2026-01-01T00:00:00Z")
        password = fields.pop("password", "rahasia-sekali-2026")
        user = User(**fields)
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def citizen(make_citizen) -> User:
    return make_citizen(full_name="Budi Santoso")


@pytest.fixture
def make_staff(db):
    """A staff member through ``staff_create`` (no invitation), with a password."""

    def make(
        role: str,
        *,
        agency=None,
        office=None,
        password="petugas-rahasia-2026",  # noqa: S107
        **fields,
    ) -> User:
        number = next(_numbers)
        user = staff_create(
            username=fields.pop("username", f"petugas{number}"),
            full_name=fields.pop("full_name", f"Petugas {number}"),
            email=fields.pop("email", f"petugas{number}@tangerangkota.example"),
            role=role,
            agency=agency,
            office=office,
            invite=False,
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def verifier(make_staff, dinkes) -> User:
    return make_staff(OfficerRole.VERIFIER, agency=dinkes, full_name="Andi Verifikator")


@pytest.fixture
def auditor(make_staff) -> User:
    return make_staff(StaffRole.AUDITOR, full_name="Yuni Auditor")


def totp_now(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for ``device``."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


@pytest.fixture
def enrolled(db):
    """Give ``user`` a confirmed authenticator device; returns it."""

    def enrol(user: User) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    return enrol


@pytest.fixture
def staff_client(client, enrolled):
    """Log ``user`` in with a verified second factor (as after the code page)."""

    def login(user: User):
        device = enrolled(user)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


def deliver_all() -> None:
    """Run the send task for every queued notification (the worker's job)."""
    for pk in Notification.objects.filter(status="queued").values_list("pk", flat=True):
        notification_send_task(pk)


def last_code(address: str) -> str:
    """Deliver the outbox, then read the six-digit code of the last e-mail sent
    to ``address`` from the locmem mailer."""
    deliver_all()
    for message in reversed(mail.outbox):
        if address in message.to:
            return re.search(r"\b(\d{6})\b", message.body).group(1)
    raise AssertionError(f"no e-mail to {address}")
