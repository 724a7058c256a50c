"""Fixtures for the catalogue: the real catalogue, loaded as ``make run`` does.

``catalogue`` loads it inside the test's transaction (for tests of the loader);
``loaded_catalogue`` loads it once per module, committed, and flushes the
database after the module's last test, so that reading tests share one load.
"""

from django.core.management import call_command

import pytest

from agencies.catalogue_loader import read_catalogue
from agencies.services import catalogue_apply
from audit.context import audit_actor

HOLIDAY_YEARS = (2026, 2027)


@pytest.fixture(scope="session")
def catalogue_plan():
    """The checked plan of ``agencies/data`` (pure; read once per session)."""
    return read_catalogue()


@pytest.fixture
def catalogue(db, catalogue_plan):
    """The real catalogue, offices, calendars and the 2026-2027 holidays."""
    with audit_actor(system="system:test_load"):
        return catalogue_apply(
            plan=catalogue_plan, reason="test load", holiday_years=HOLIDAY_YEARS
        )


@pytest.fixture(scope="module")
def loaded_catalogue(django_db_setup, django_db_blocker, catalogue_plan):
    """The real catalogue, committed for the whole module (tests still roll back
    their own changes); the database is flushed when the module is done."""
    with django_db_blocker.unblock():
        with audit_actor(system="system:test_load"):
            catalogue_apply(
                plan=catalogue_plan, reason="test load", holiday_years=HOLIDAY_YEARS
            )
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", password="pw-admin-1234", email="admin@example.invalid"
    )
