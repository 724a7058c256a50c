"""The workflow fixtures of tests/permits (agencies, a licence, officers,
citizens, a submitted application), plus an auditor."""

from django.contrib.auth.models import Group

import pytest

from tests.permits.conftest import *  # noqa: F403  (fixtures)
from tests.permits.conftest import make_user


@pytest.fixture
def auditor_user(db):
    user = make_user("auditor1")
    user.groups.add(Group.objects.get_or_create(name="auditor")[0])
    return user
