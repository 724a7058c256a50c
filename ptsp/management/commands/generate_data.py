"""``manage.py generate_data --audit 1000000 --applications 1000000 --tickets
200000 [--seed 2026]``: realistic data at scale for benchmarks (see
``ptsp.datagen``, ``permits.datagen``, ``queueing.datagen``).

Each registered generator adds an option ``--<name> N`` (0 skips it). Refused
unless ``DATA_GENERATOR_ENABLED`` is true (dev, test and the benchmark settings;
never production: generated audit entries could not be removed again).
"""

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils import timezone

from ptsp.datagen import GENERATORS, GenerationContext


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}.") from None


class Command(BaseCommand):
    help = "Generate realistic data at scale (benchmarks, load tests)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Same seed, same data (default 2026).",
        )
        parser.add_argument(
            "--until",
            type=_date,
            default=None,
            help="Last day of generated time, UTC (default: today).",
        )
        parser.add_argument(
            "--years", type=float, default=2.0, help="Length of the time range."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bars."
        )
        for generator in GENERATORS.values():
            parser.add_argument(
                f"--{generator.name}",
                type=int,
                default=0,
                metavar="N",
                help=generator.help,
            )

    def handle(self, *args, **options):
        if not getattr(settings, "DATA_GENERATOR_ENABLED", False):
            raise CommandError(
                "generate_data is disabled in these settings (DATA_GENERATOR_ENABLED):"
                " generated audit entries can never be removed from a real trail."
            )
        sizes = {name: options[name] for name in GENERATORS if options[name]}
        if any(n < 0 for n in sizes.values()):
            raise CommandError("Sizes must be positive.")
        if not sizes:
            names = ", ".join(f"--{name} N" for name in GENERATORS)
            raise CommandError(f"Nothing to generate: give at least one of {names}.")
        until_day = options["until"] or timezone.now().date()
        until = dt.datetime.combine(until_day, dt.time(), tzinfo=dt.UTC)
        context = GenerationContext(
            seed=options["seed"],
            since=until - dt.timedelta(days=round(365 * options["years"])),
            until=until,
            progress=not options["no_progress"],
        )
        for name, count in sizes.items():
            started = time.perf_counter()
            try:
                summary = GENERATORS[name].run(context, count)
            except IntegrityError as exc:
                raise CommandError(
                    f"{name}: the database already holds data of seed "
                    f"{context.seed} ({exc}). Use another --seed or a fresh database."
                ) from exc
            except (LookupError, TimeoutError) as exc:
                raise CommandError(f"{name}: {exc}") from exc
            self.stdout.write(
                f"{name}: {summary} ({time.perf_counter() - started:.1f} s)."
            )
