"""Fixtures shared by the workflow tests: two agencies, a citizen, the officers
of the practice-licence steps, and a staff login.

A plugin of the whole suite (``pytest_plugins`` in ``tests/conftest.py``): every
folder sees them and a folder's ``conftest.py`` may override one. The builders
they use live in ``tests.support.workflow``."""

import pytest

from accounts.choices import OfficerRole
from agencies.choices import AgencyKind
from agencies.models import Agency

from .workflow import make_officer, make_user


@pytest.fixture
def dpmptsp(db):
    return Agency.objects.create(code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS)


@pytest.fixture
def dinkes(db):
    return Agency.objects.create(code="DINKES", name="Dinkes", kind=AgencyKind.DINAS)


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
