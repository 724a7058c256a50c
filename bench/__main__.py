"""``python -m bench``: prepare the benchmark database, run the scenarios, write
the report. ``--smoke`` runs every scenario at tiny sizes and judges nothing.

    python -m bench                       # make bench: 1,000,000 audit entries
    python -m bench --smoke               # make bench-smoke (CI)
    python -m bench --only audit-queries,pages --rounds 7
"""

import argparse
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="Tiny sizes, no goals.")
    parser.add_argument("--audit", type=int, default=1_000_000, help="Audit entries.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds (≥ 5).")
    parser.add_argument("--only", default="", help="Comma-separated scenario names.")
    parser.add_argument(
        "--queue-calls",
        type=int,
        default=None,
        help="Calls per counter and phase of the queue scenarios (default: "
        "enough for 100,000 checked calls; smoke: 3).",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="Write the report again from the last run's results (after editing "
        "bench/findings.md); measures nothing.",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="Report file (default BENCHMARKS.md; --smoke: var/bench/smoke.md; "
        "--only: var/bench/only.md).",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.audit, args.rounds = min(args.audit, 3_000), 1
    elif args.rounds < 5:
        parser.error("--rounds: at least 5 rounds outside --smoke.")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _arguments(argv)
    from bench import database

    saved = database.VAR / (
        "results-only.json"
        if args.only
        else "results-smoke.json"
        if args.smoke
        else "results.json"
    )
    if args.report_only:
        return _report_again(args, saved)

    url = database.bench_url(smoke=args.smoke)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    database.ensure_exists(url)
    commit = _commit()  # the code measured, before anyone commits more

    import django

    django.setup()
    from bench import machine
    from bench.harness import outcome_markdown
    from bench.scenarios import Context, scenarios

    workdir = database.VAR
    workdir.mkdir(parents=True, exist_ok=True)
    load_before = machine.load_average()
    print(f"Benchmark database {database.database_name(url)}; load {load_before}")
    began = time.perf_counter()
    described = database.prepare(
        url, seed=args.seed, audit=args.audit, stdout=sys.stdout
    )
    context = Context(
        smoke=args.smoke,
        rounds=args.rounds,
        audit=args.audit,
        port=int(os.environ.get("PTSP_PORT", "8000")),
        workdir=workdir,
        database_url=url,
        redis_url=os.environ["REDIS_URL"],
        queue_calls=args.queue_calls,
    )
    chosen = {n.strip() for n in args.only.split(",") if n.strip()}
    available = scenarios()
    unknown = chosen - set(available)
    if unknown:
        print(f"Unknown scenarios {sorted(unknown)}; known: {', '.join(available)}")
        return 2
    outcomes, failures = [], []
    for name, run in available.items():
        if chosen and name not in chosen:
            continue
        print(f"\n== {name}", flush=True)
        try:
            outcome = run(context)
        except Exception:
            traceback.print_exc()
            failures.append(name)
            continue
        outcomes.append(outcome)
        print(outcome_markdown(outcome, judged=not args.smoke), flush=True)
    load_after = machine.load_average()
    info = machine.describe(workdir, fsync=not args.smoke)
    report = _report(
        args,
        argv,
        info,
        described,
        outcomes,
        load_before,
        load_after,
        time.perf_counter() - began,
        commit=commit,
    )
    output = args.output or _default_output(args)
    output.write_text(report)
    saved.write_text(
        json.dumps(
            {
                "argv": argv,
                "info": info,
                "described": described,
                "outcomes": [dataclasses.asdict(o) for o in outcomes],
                "load": [load_before, load_after],
                "seconds": time.perf_counter() - began,
                "commit": commit,
                "at": dt.datetime.now(dt.UTC).isoformat(),
            }
        )
    )
    print(f"\nWrote {output}")
    if failures:
        print(f"FAILED scenarios: {', '.join(failures)}")
        return 1
    return 0


def _default_output(args) -> Path:
    from bench import database

    if args.output:
        return args.output
    if args.only:  # a partial run never replaces the full report
        return database.VAR / "only.md"
    return database.VAR / "smoke.md" if args.smoke else ROOT / "BENCHMARKS.md"


def _report_again(args, saved: Path) -> int:
    from bench.harness import Outcome, Row

    if not saved.exists():
        print(f"No results to report from ({saved}): run the benchmarks first.")
        return 2
    data = json.loads(saved.read_text())
    outcomes = []
    for item in data["outcomes"]:
        rows = [Row(**row) for row in item.pop("rows")]
        outcomes.append(Outcome(**item, rows=rows))
    run_args = _arguments(data["argv"])
    report = _report(
        run_args,
        data["argv"],
        data["info"],
        data["described"],
        outcomes,
        *data["load"],
        data["seconds"],
        commit=data["commit"],
        at=dt.datetime.fromisoformat(data["at"]),
    )
    output = _default_output(args)
    output.write_text(report)
    print(f"Wrote {output} from {saved}")
    return 0


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _report(
    args,
    argv,
    info,
    described,
    outcomes,
    load_before,
    load_after,
    seconds,
    *,
    commit=None,
    at=None,
):
    from bench.harness import outcome_markdown

    pg = info["postgres"]
    command = "python -m bench" + ("" if not argv else " " + " ".join(argv))
    made = "make bench-smoke" if args.smoke else "make bench"
    findings = ROOT / "bench" / "findings.md"
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python -m bench` (issue 17); do not edit by hand: the "
        "findings come from `bench/findings.md`. Each scenario runs the portal's "
        "path (A) and a raw baseline doing the same work (B) in one run, "
        "interleaved A B A B … after a warm-up round; medians (and p95/p99 where "
        "latency matters) over the rounds; ratio = portal / baseline.",
        "",
        f"Run {at or dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"`{commit or _commit()}`, "
        f"{seconds / 60:.0f} min in all"
        + (" (smoke sizes: nothing judged)." if args.smoke else "."),
        "",
        "## Commands",
        "",
        "```sh",
        f"{made}    # = .venv/bin/{command}",
        f"# dataset: manage.py generate_data --audit {args.audit} --seed {args.seed}"
        " (run by the command above when the benchmark database lacks it)",
        "```",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {info['cpu']}, {info['cores']} cores |",
        f"| memory | {info['memory_gib']:.1f} GiB |",
        f"| system | {info['os']}, Python {info['python']} |",
        f"| PostgreSQL | {pg['version']}: shared_buffers {pg['shared_buffers']}, "
        f"work_mem {pg['work_mem']}, effective_cache_size "
        f"{pg['effective_cache_size']}, synchronous_commit "
        f"{pg['synchronous_commit']}, fsync {pg['fsync']}, wal_sync_method "
        f"{pg['wal_sync_method']}, max_connections {pg['max_connections']}, "
        f"random_page_cost {pg['random_page_cost']}, jit {pg['jit']} |",
        f"| load average (1/5/15 min) | before {load_before}; after {load_after} "
        "(a shared machine: other jobs ran beside this one) |",
        f"| dataset | {described.get('audit', 0):,} audit entries, seed "
        f"{described.get('seed')} |",
        "",
        "Disk flushes (`pg_test_fsync -s 1`, one 8 kB write per flush):",
        "",
        *[f"    {line}" for line in info["fsync"]],
        "",
        "## Results",
        "",
    ]
    for outcome in outcomes:
        lines += [outcome_markdown(outcome, judged=not args.smoke), ""]
    if findings.exists():
        lines += [findings.read_text().rstrip(), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
