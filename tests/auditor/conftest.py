"""The workflow fixtures of tests/permits (agencies, a licence, officers,
citizens, a submitted application), plus an auditor."""

import pytest

from accounts.choices import StaffRole
from accounts.models import User
from accounts.roles import roles_sync
from accounts.services import staff_create
from tests.permits.conftest import *  # noqa: F403  (fixtures)


@pytest.fixture
def auditor_user(db):
    """An auditor made as an admin would (group with every view permission)."""
    roles_sync()
    user = staff_create(
        username="auditor1",
        full_name="Yuni Auditor",
        email="auditor1@tangerangkota.example",
        role=StaffRole.AUDITOR,
        invite=False,
    )
    return User.objects.get(pk=user.pk)
