"""``manage.py import_holidays --year 2027``: add a year's Indonesian national
holidays and cuti bersama from the ``holidays`` package.

Run it every year before 1 November (admins are warned in the admin from then
on when next year is missing), after upgrading the package, then check the rows
against the SKB 3 Menteri and mark confirmed or changed days as decrees.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from agencies.services import holidays_import
from audit.context import audit_actor


class Command(BaseCommand):
    help = "Import Indonesian holidays and cuti bersama from the holidays package."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="Year to import (repeatable). Default: next year.",
        )

    def handle(self, *args, **options):
        years = options["year"] or [timezone.localdate().year + 1]
        with audit_actor(system="system:import_holidays"):
            report = holidays_import(
                years=years, reason=f"import_holidays {', '.join(map(str, years))}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Holidays {', '.join(map(str, report.years))}: "
                f"{report.created} added, {report.updated} updated, "
                f"{report.removed} removed, {report.kept_decree} kept (decree)."
            )
        )
