"""``manage.py load_catalogue``: load the service catalogue, offices, calendars and
holidays from ``agencies/data/`` (catalogue.json + catalogue.overrides.json).

Idempotent (a second run changes nothing) and atomic (a malformed file or overlay
loads nothing; the error names the file, record and field). Holidays of this
year and the next are imported from the ``holidays`` package.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agencies.catalogue_loader import (
    CATALOGUE_PATH,
    OVERLAY_PATH,
    CatalogueError,
    read_catalogue,
)
from agencies.services import catalogue_apply
from audit.context import audit_actor


class Command(BaseCommand):
    help = "Load the service catalogue, offices, calendars and holidays (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--catalogue", type=Path, default=CATALOGUE_PATH)
        parser.add_argument("--overrides", type=Path, default=OVERLAY_PATH)
        parser.add_argument(
            "--no-holidays",
            action="store_true",
            help="Do not import this year's and next year's holidays.",
        )

    def handle(self, *args, **options):
        catalogue, overlay = options["catalogue"], options["overrides"]
        self.stdout.write(f"Checking {catalogue.name} and {overlay.name} ...")
        try:
            plan = read_catalogue(catalogue, overlay)
        except CatalogueError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        for warning in plan.warnings:
            self.stderr.write(f"  warning: {warning}")
        year = timezone.localdate().year
        years = [] if options["no_holidays"] else [year, year + 1]
        try:
            with audit_actor(system="system:load_catalogue"):
                report = catalogue_apply(
                    plan=plan,
                    reason=f"load_catalogue from {catalogue.name} + {overlay.name}",
                    holiday_years=years,
                    progress=lambda line: self.stdout.write(f"  {line}"),
                )
        except CatalogueError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        changed = report.changed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue loaded: {changed} change(s)."
                if changed
                else "Catalogue already up to date: nothing changed."
            )
        )
