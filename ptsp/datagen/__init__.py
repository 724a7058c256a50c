"""Realistic data at scale for benchmarks and load tests (``manage.py generate_data``).

Each kind of data has a *generator* registered here under a name, which becomes
the command's option (``audit`` gives ``--audit N``). Generators run in
registration order, each receiving the shared ``GenerationContext`` (seed, time
range, the catalogue's service weights, the database connection). Apps
register their own generators in a ``datagen`` module imported from the app's
``ready()``: ``permits/datagen.py`` (``--applications``) and
``queueing/datagen.py`` (``--tickets``); fees will add theirs::

    from ptsp.datagen import GenerationContext, register

    @register("applications", help="Applications spread over the catalogue.")
    def generate_applications(context: GenerationContext, count: int) -> str:
        service = context.weights.pick(context.rng)  # by catalogue volume
        ...
        return f"{count:,} applications"

Output is deterministic for a seed, sizes and ``until`` date (ids aside, which
the database assigns). Rows are bulk-loaded: ``COPY`` on PostgreSQL, batched
``INSERT`` on SQLite (``ptsp.datagen.loading``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from .context import GenerationContext

__all__ = ["GENERATORS", "GenerationContext", "Generator", "register"]


@dataclass(frozen=True)
class Generator:
    """One kind of generated data: ``run(context, count)`` writes ``count`` rows
    (of its main table) and returns a one-line summary."""

    name: str
    help: str
    run: Callable[[GenerationContext, int], str]


GENERATORS: dict[str, Generator] = {}


def register(name: str, *, help: str) -> Callable:
    """Decorator: register ``run(context, count) -> summary`` under ``name``
    (a lower-case word; it becomes ``--<name> N``). Raises ``ValueError`` for a
    name registered twice."""

    def decorate(run: Callable[[GenerationContext, int], str]):
        if name in GENERATORS:
            raise ValueError(f"A data generator named {name!r} already exists.")
        GENERATORS[name] = Generator(name=name, help=help, run=run)
        return run

    return decorate


# The audit generator lives here (every app writes audit entries); the apps'
# generators register from their ``ready()``.
from . import audit  # noqa: E402, F401
