"""Holidays from the ``holidays`` package: import, decrees win, admin warning."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

import pytest
import time_machine

from agencies.choices import HolidayCategory, HolidaySource
from agencies.models import Holiday
from agencies.selectors import holiday_coverage_warning
from agencies.services import holidays_import
from audit.models import AuditEntry
from tests.agencies.factories import HolidayFactory

pytestmark = pytest.mark.django_db


def test_import_adds_national_holidays_and_cuti_bersama():
    """2027: public holidays and cuti bersama, both closing working time and
    service hours; estimated Islamic dates are provisional without the mark."""
    report = holidays_import(years=[2027], reason="yearly import")
    assert report.created == Holiday.objects.count() > 20
    cuti = Holiday.objects.filter(category=HolidayCategory.GOVERNMENT)
    assert cuti.filter(date=dt.date(2027, 12, 24)).exists()
    assert all(h.closes_working_time and h.closes_service_hours for h in cuti)
    eid = Holiday.objects.get(date=dt.date(2027, 3, 10), category="public")
    assert (eid.name, eid.is_provisional) == ("Hari Raya Idul Fitri", True)
    assert eid.name_en == "Eid al-Fitr"
    assert eid.source == HolidaySource.PACKAGE
    assert eid.source_reference.startswith("holidays ")
    new_year = Holiday.objects.get(date=dt.date(2027, 1, 1))
    assert not new_year.is_provisional
    assert AuditEntry.objects.filter(action="holiday.create").count() == report.created


def test_reimport_changes_nothing_and_keeps_admin_flags():
    holidays_import(years=[2027], reason="first")
    Holiday.objects.filter(date=dt.date(2027, 12, 24)).audited_update(
        action="test.arrange", reason="test set-up", closes_service_hours=False
    )
    audit_before = AuditEntry.objects.count()
    report = holidays_import(years=[2027], reason="again")
    assert (report.created, report.updated, report.removed) == (0, 0, 0)
    assert AuditEntry.objects.count() == audit_before
    assert not Holiday.objects.get(date=dt.date(2027, 12, 24)).closes_service_hours


def test_decree_wins_over_the_package_and_stale_estimates_go():
    """A row an admin marked as decree is never touched; a package row the
    package no longer lists (a moved estimate) is removed, with an audit entry."""
    holidays_import(years=[2027], reason="first")
    Holiday.objects.filter(date=dt.date(2027, 3, 10), category="public").audited_update(
        action="test.arrange",
        reason="test set-up",
        source=HolidaySource.DECREE,
        name="Idul Fitri 1448 H (SKB 3 Menteri)",
        is_provisional=False,
    )
    stale = HolidayFactory(date=dt.date(2027, 7, 7), name="Perkiraan lama")
    report = holidays_import(years=[2027], reason="package upgrade")
    assert report.kept_decree == 1
    assert report.removed == 1
    assert not Holiday.objects.filter(pk=stale.pk).exists()
    decree = Holiday.objects.get(date=dt.date(2027, 3, 10), category="public")
    assert decree.name == "Idul Fitri 1448 H (SKB 3 Menteri)"
    assert AuditEntry.objects.filter(
        action="holiday.delete", object_id=stale.pk, reason="package upgrade"
    ).exists()


def test_yearly_command_imports_the_requested_year():
    out = StringIO()
    call_command("import_holidays", "--year", "2027", stdout=out)
    assert "Holidays 2027:" in out.getvalue()
    assert Holiday.objects.filter(date__year=2027).exists()
    assert AuditEntry.objects.filter(actor_label="system:import_holidays").exists()


def test_warning_from_1_november_when_next_year_is_missing():
    assert holiday_coverage_warning(dt.date(2026, 10, 31)) is None
    assert "2027" in holiday_coverage_warning(dt.date(2026, 11, 1))
    HolidayFactory(date=dt.date(2027, 1, 1))
    assert "cuti bersama" in holiday_coverage_warning(dt.date(2026, 11, 1)).lower()
    HolidayFactory(date=dt.date(2027, 12, 24), category=HolidayCategory.GOVERNMENT)
    assert holiday_coverage_warning(dt.date(2026, 11, 1)) is None


@time_machine.travel(dt.datetime(2026, 11, 2, 3, tzinfo=dt.UTC), tick=False)
def test_admin_sees_the_warning_on_the_index_and_holiday_list(client, admin_user):
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/agencies/holiday/"):
        response = client.get(url, headers={"accept-language": "en"})
        assert response.status_code == 200
        assert "The holidays of 2027 are missing" in response.text
