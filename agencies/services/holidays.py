"""Holiday import from the ``holidays`` package (vacanza/holidays)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

import holidays

from agencies.choices import HolidayCategory, HolidaySource
from agencies.models import Holiday

from .records import record_change, record_deletion

ESTIMATE_MARKS = (" (perkiraan)", " (estimated)")


@dataclass
class HolidayImportReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept_decree: int = 0
    years: list[int] = field(default_factory=list)


def package_holidays(year: int) -> dict[tuple[dt.date, str], dict]:
    """The package's Indonesian holidays of ``year``, keyed by ``(date,
    category)``: ``{"name", "name_en", "is_provisional"}``. Estimated dates (the
    package appends "(perkiraan)") are provisional, with the mark removed."""
    out: dict[tuple[dt.date, str], dict] = {}
    for category in (HolidayCategory.PUBLIC, HolidayCategory.GOVERNMENT):
        names_id = holidays.country_holidays(
            "ID", years=year, categories=(category.value,), language="id"
        )
        names_en = holidays.country_holidays(
            "ID", years=year, categories=(category.value,), language="en_US"
        )
        for day in sorted(names_id):
            name_id = "; ".join(names_id.get_list(day))
            name_en = "; ".join(names_en.get_list(day))
            provisional = any(mark in name_id for mark in ESTIMATE_MARKS)
            for mark in ESTIMATE_MARKS:
                name_id = name_id.replace(mark, "")
                name_en = name_en.replace(mark, "")
            out[(day, category.value)] = {
                "name": name_id[:200],
                "name_en": name_en[:200],
                "is_provisional": provisional,
            }
    return out


def _holidays_import(*, years: Iterable[int], reason: str) -> HolidayImportReport:
    """Bring the holiday table in line with the package for ``years``, inside
    the caller's transaction.

    New dates are added (closing working time and service hours); rows from the
    package get its current name and estimate flag, but their closing flags, which
    admins set, are kept; rows whose ``source`` is ``decree`` are never touched;
    package rows the package no longer lists (an estimate that moved) are
    removed. Every change is audited with ``reason``.
    """
    report = HolidayImportReport(years=sorted(set(years)))
    reference = f"holidays {holidays.__version__}"
    for year in report.years:
        wanted = package_holidays(year)
        existing = {
            (h.date, h.category): h
            for h in Holiday.objects.select_for_update()
            .filter(date__year=year)
            .order_by("date", "category")
        }
        for key, values in wanted.items():
            row = existing.get(key)
            if row is None:
                row = Holiday.objects.create(
                    date=key[0],
                    category=key[1],
                    source=HolidaySource.PACKAGE,
                    source_reference=reference,
                    **values,
                )
                record_change(obj=row, before=None, reason=reason)
                report.created += 1
                continue
            if row.source == HolidaySource.DECREE:
                report.kept_decree += 1
                continue
            if all(getattr(row, k) == v for k, v in values.items()):
                continue
            before = Holiday.objects.get(pk=row.pk)
            for name, value in values.items():
                setattr(row, name, value)
            row.source_reference = reference
            row.save()
            record_change(obj=row, before=before, reason=reason)
            report.updated += 1
        for key, row in existing.items():
            if key not in wanted and row.source == HolidaySource.PACKAGE:
                record_deletion(obj=row, reason=reason)
                row.delete()
                report.removed += 1
    return report


@transaction.atomic(durable=True)
def holidays_import(*, years: Iterable[int], reason: str) -> HolidayImportReport:
    """Entry point for :func:`_holidays_import`."""
    return _holidays_import(years=years, reason=reason)
