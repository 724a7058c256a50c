"""Fixtures for transparency: the workflow fixtures of ``tests/permits`` (two
agencies, a four-step licence, officers, citizens), the city working
calendar, and a helper that walks an application to its outcome."""

import datetime as dt

from django.db import transaction
from django.utils import translation

import pytest
import time_machine

from accounts.choices import OfficerRole
from audit.bulk import audited_update
from permits.models import Application
from permits.services import (
    application_approve,
    application_reject,
    application_step_complete,
)
from tests.agencies.factories import CalendarFactory
from tests.permits.conftest import *  # noqa: F403  (workflow fixtures)
from tests.support.workflow import active_step, make_officer, make_user
from transparency.choices import ComplaintSubject
from transparency.services import complaint_file

WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _english_messages():
    """Service errors are matched in English (the source strings)."""
    with translation.override("en"):
        yield


@pytest.fixture
def city_calendar(db):
    """``kerja-kota``: Monday to Friday 08:00-15:00 WIB."""
    return CalendarFactory(code="kerja-kota", weekdays=True)


@pytest.fixture
def dinkes_supervisor(dinkes):
    return make_officer("spv", agency=dinkes, role=OfficerRole.SUPERVISOR)


def act(fn, application, officer, **kwargs):
    application.refresh_from_db()
    return fn(
        application=application,
        step=active_step(application),
        user=officer.user,
        seen_version=application.version,
        **kwargs,
    )


def issue(application, front_office, verifier, approver) -> Application:
    """Walk ``application`` through the licence's four steps to ``issued``."""
    act(application_step_complete, application, front_office)
    act(application_step_complete, application, verifier)
    act(application_approve, application, approver)
    act(application_step_complete, application, front_office)
    application.refresh_from_db()
    return application


def reject(application, front_office) -> Application:
    act(application_reject, application, front_office, reason="Berkas tidak sah.")
    application.refresh_from_db()
    return application


def set_due(application, due_at) -> None:
    """Overwrite ``due_at`` after the outcome (the SLA engine of issue 9 writes
    it on every transition), e.g. ``None`` for an unknown deadline."""
    with transaction.atomic():
        audited_update(
            Application.objects.filter(pk=application.pk),
            action="test.set_due",
            due_at=due_at,
        )


def at(*args) -> time_machine.travel:
    """Travel to a WIB wall-clock time, e.g. ``at(2026, 3, 2, 9)``."""
    return time_machine.travel(dt.datetime(*args, tzinfo=WIB), tick=False)


@pytest.fixture
def make_user_in_group(db):
    """A user in one of the staff groups (``accounts.roles``), e.g. auditor."""
    from django.contrib.auth.models import Group

    from accounts.roles import roles_sync

    def make(group: str):
        roles_sync()
        user = make_user(f"{group}-user")
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def complaint(submitted, citizen, city_calendar):
    """A complaint about ``submitted``, filed Friday 6 March 2026 after closing
    time (WIB)."""
    with at(2026, 3, 6, 16):  # Friday after closing time
        return complaint_file(
            citizen=citizen,
            kind=ComplaintSubject.APPLICATION,
            application=submitted,
            title="Lama sekali",
            description="Sudah dua minggu belum ada kabar.",
        )
