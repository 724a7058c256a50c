"""The machine a run measured: CPU, memory, load, PostgreSQL and disk flushes."""

import glob
import os
import platform
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection

PG_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "synchronous_commit",
    "fsync",
    "wal_sync_method",
    "max_connections",
    "random_page_cost",
    "jit",
)


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else "unknown"


def memory_gib() -> float:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return float("nan")
    kib = int(re.search(r"^MemTotal:\s*(\d+)", text, re.MULTILINE).group(1))
    return kib / 1024 / 1024


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def postgres() -> dict[str, str]:
    out = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        out["version"] = cursor.fetchone()[0]
        for name in PG_SETTINGS:
            cursor.execute(f"SHOW {name}")
            out[name] = cursor.fetchone()[0]
    return out


def pg_test_fsync_path() -> str | None:
    found = shutil.which("pg_test_fsync")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_test_fsync"))
    return candidates[-1] if candidates else None


def flush_speed(workdir: Path, seconds: int = 1) -> list[str]:
    """The "one 8kB write" section of ``pg_test_fsync -s seconds`` (each sync
    method's flushes per second), or a line saying why it is missing."""
    program = pg_test_fsync_path()
    if program is None:
        return ["pg_test_fsync not found (it ships with PostgreSQL's server package)."]
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "pg_test_fsync.tmp"
    try:
        result = subprocess.run(
            [program, "-s", str(seconds), "-f", str(target)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        target.unlink(missing_ok=True)
    lines, keep = [], False
    for line in result.stdout.splitlines():
        if line.startswith("Compare file sync methods using one 8kB write"):
            keep = True
            continue
        if keep and line.startswith("Compare file sync methods using two"):
            break
        if keep and "ops/sec" in line:
            lines.append(" ".join(line.split()))
    return lines or [f"pg_test_fsync gave no figures: {result.stderr.strip()[:200]}"]


def describe(workdir: Path, *, fsync: bool = True) -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgres": postgres(),
        "fsync": flush_speed(workdir) if fsync else ["not measured (smoke run)"],
    }
