"""The benchmark database: its name, creation and data.

The runner never touches the database ``DATABASE_URL`` names unless that name
ends in ``bench``; otherwise it works in ``<name>_bench`` (so ``ptsp`` gives
``ptsp_bench``). Smoke runs use ``<that>_smoke``, recreated each time. A dataset
is generated once per seed and size and reused by later runs: a marker file in
``var/bench/`` records what the database holds.
"""

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ptsp"
VAR = Path(__file__).resolve().parent.parent / "var" / "bench"


def bench_url(*, smoke: bool) -> str:
    """The URL of the database the benchmarks may create and fill."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(
            "The benchmarks need PostgreSQL: set DATABASE_URL=postgres://… "
            f"(got {parts.scheme or 'nothing'})."
        )
    name = parts.path.lstrip("/") or "ptsp"
    if not name.endswith("bench"):
        name += "_bench"
    if smoke:
        name += "_smoke"
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


@contextmanager
def _maintenance(url: str) -> Iterator:
    """A cursor on the server's ``postgres`` database, outside any transaction
    (``CREATE DATABASE`` refuses to run in one)."""
    connection = psycopg2.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def recreate(url: str) -> None:
    """Drop and create the benchmark database (its name ends in ``bench`` or
    ``bench_smoke``; refuses any other)."""
    name = database_name(url)
    if not name.endswith(("bench", "bench_smoke")):
        raise SystemExit(f"Refusing to drop {name!r}: not a benchmark database.")
    with _maintenance(url) as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    marker(url).unlink(missing_ok=True)


def ensure_exists(url: str) -> None:
    name = database_name(url)
    with _maintenance(url) as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def marker(url: str) -> Path:
    return VAR / f"{database_name(url)}.json"


def dataset(url: str) -> dict | None:
    """What the marker says the database holds, if the database agrees: the
    last generated entry and the seed's first administrator are there (entries
    are never deleted; scenarios may add more)."""
    path = marker(url)
    if not path.exists():
        return None
    recorded = json.loads(path.read_text())
    from accounts.models import User
    from audit.models import AuditEntry

    held = (
        AuditEntry.objects.filter(id=recorded.get("last_entry_id")).exists()
        and User.objects.filter(username=f"gen{recorded.get('seed')}-admin-1").exists()
    )
    return recorded if held else None


def prepare(
    url: str, *, seed: int, audit: int, applications: int = 0, tickets: int = 0, stdout
) -> dict:
    """Migrate, load the catalogue and generate the dataset (``audit`` entries,
    ``applications`` and queue ``tickets``) unless the database already holds
    it; a database holding other sizes is recreated. Return the dataset's
    description."""
    from django.core.management import call_command

    from audit.models import AuditEntry

    wanted = {
        "seed": seed,
        "audit": audit,
        "applications": applications,
        "tickets": tickets,
    }
    call_command("migrate", verbosity=0, interactive=False)  # new indexes too
    current = dataset(url)
    # A marker written before a size existed holds none of it (0).
    if current is not None and all(current.get(k, 0) == v for k, v in wanted.items()):
        stdout.write(f"Reusing the dataset in {database_name(url)}: {current}\n")
        return current
    if current is not None or marker(url).exists() or _has_entries():
        stdout.write(
            f"Recreating {database_name(url)} for seed {seed}: {audit:,} audit "
            f"entries, {applications:,} applications, {tickets:,} tickets.\n"
        )
        from django.db import connections

        connections.close_all()
        recreate(url)
        call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    call_command("load_catalogue", stdout=_Quiet())
    call_command(
        "generate_data",
        audit=audit,
        applications=applications,
        tickets=tickets,
        seed=seed,
        stdout=stdout,
        no_progress=False,
    )
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    described = {
        **wanted,
        "last_entry_id": last,
        "generated_in_seconds": round(time.perf_counter() - started),
    }
    VAR.mkdir(parents=True, exist_ok=True)
    marker(url).write_text(json.dumps(described))
    return described


def _has_entries() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('audit_auditentry') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT EXISTS (SELECT 1 FROM audit_auditentry)")
        return cursor.fetchone()[0]


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
