"""``python -m bench``: prepare the benchmark database, run the scenarios, write
the report. ``--smoke`` runs every scenario at tiny sizes and judges nothing.

    python -m bench                       # make bench: 1,000,000 audit entries,
                                          # 1,000,000 applications, 200,000 tickets
    python -m bench --smoke               # make bench-smoke (CI)
    python -m bench --only audit-queries,pages --rounds 7
    python -m bench --only notifications,documents --merge   # into BENCHMARKS.md

``--merge`` replaces the named scenarios' sections in the last full run's
results (``var/bench/results.json``) and rewrites ``BENCHMARKS.md``; every
section states the run that measured it (time, commit, load average).
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
    parser.add_argument(
        "--applications",
        type=int,
        default=1_000_000,
        help="Generated applications (with steps, history and documents).",
    )
    parser.add_argument(
        "--tickets", type=int, default=200_000, help="Generated queue tickets."
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds (≥ 5).")
    parser.add_argument("--only", default="", help="Comma-separated scenario names.")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="With --only: put these scenarios' results into the last full run's "
        "(var/bench/results.json) and rewrite BENCHMARKS.md; each section "
        "states its own run.",
    )
    parser.add_argument(
        "--queue-sizes",
        default="1000000,5000000",
        help="Officer-queue scenario: comma-separated numbers of applications, "
        "measured in this order (the table grows, or shrinks back, between "
        "them); the growth of p95 from the first to the last is judged.",
    )
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
    if args.merge and (not args.only or args.smoke):
        parser.error("--merge: only with --only, and not with --smoke.")
    try:
        args.queue_sizes = [int(n) for n in str(args.queue_sizes).split(",") if n]
    except ValueError:
        parser.error("--queue-sizes: comma-separated whole numbers.")
    if args.smoke:
        args.audit, args.rounds = min(args.audit, 3_000), 1
        args.applications = min(args.applications, 2_000)
        args.tickets = min(args.tickets, 2_000)
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
    full = database.VAR / "results.json"
    if args.report_only:
        return _report_again(args, saved)
    if args.merge and not full.exists():
        print(f"Nothing to merge into ({full}): run the full benchmarks first.")
        return 2

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
        url,
        seed=args.seed,
        audit=args.audit,
        applications=args.applications,
        tickets=args.tickets,
        stdout=sys.stdout,
    )
    context = Context(
        smoke=args.smoke,
        rounds=args.rounds,
        audit=args.audit,
        port=int(os.environ.get("PTSP_PORT", "8000")),
        workdir=workdir,
        database_url=url,
        redis_url=os.environ["REDIS_URL"],
        queue_sizes=args.queue_sizes,
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
        at, load = dt.datetime.now(dt.UTC), machine.load_average()
        try:
            outcome = run(context)
        except Exception:
            traceback.print_exc()
            failures.append(name)
            continue
        outcome.scenario = name
        outcome.run = {
            "at": at.isoformat(),
            "commit": commit,
            "load": [load, machine.load_average()],
            "dataset": _dataset_text(described),
        }
        outcomes.append(outcome)
        print(outcome_markdown(outcome, judged=not args.smoke), flush=True)
    load_after = machine.load_average()
    info = machine.describe(workdir, fsync=not args.smoke)
    data = {
        "argv": argv,
        "info": info,
        "described": described,
        "outcomes": [dataclasses.asdict(o) for o in outcomes],
        "failed": failures,
        "load": [load_before, load_after],
        "seconds": time.perf_counter() - began,
        "commit": commit,
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    saved.write_text(json.dumps(data))
    output = args.output or _default_output(args)
    if args.merge:
        data = _merged(json.loads(full.read_text()), data, list(available))
        full.write_text(json.dumps(data))
        output = args.output or ROOT / "BENCHMARKS.md"
    output.write_text(_report_from(data))
    print(f"\nWrote {output}")
    if failures:
        print(f"FAILED scenarios: {', '.join(failures)}")
        return 1
    return 0


def _dataset_text(described: dict) -> str:
    return (
        f"{described.get('audit', 0):,} audit entries, "
        f"{described.get('applications', 0):,} applications, "
        f"{described.get('tickets', 0):,} tickets (seed {described.get('seed')})"
    )


def _merged(base: dict, new: dict, order: list[str]) -> dict:
    """``base`` (a full run's results) with the sections of ``new`` (an
    ``--only`` run) in place of the same scenarios' (sections are matched by
    scenario name, or by number and title for results saved before names
    were); the report keeps the scenarios' order. A scenario that failed in
    ``new`` keeps its old section."""

    def key(item: dict) -> str:
        return item.get("scenario") or f"{item['number']}. {item['title']}"

    fresh = {key(item): item for item in new["outcomes"]}
    titles = {f"{i['number']}. {i['title']}": key(i) for i in new["outcomes"]}
    kept = [
        item
        for item in base["outcomes"]
        if key(item) not in fresh and titles.get(key(item)) not in fresh
    ]
    rank = {name: n for n, name in enumerate(order)}
    outcomes = sorted(
        kept + list(fresh.values()), key=lambda item: rank.get(key(item), len(rank))
    )
    shown = {key(item) for item in kept} | set(fresh)
    failed = [
        name for name in [*base.get("failed", []), *new["failed"]] if name not in shown
    ]
    merges = [
        *base.get("merges", []),
        {
            "at": new["at"],
            "commit": new["commit"],
            "argv": new["argv"],
            "scenarios": list(fresh),
            "failed": new["failed"],
        },
    ]
    return {
        **base,
        "outcomes": outcomes,
        "failed": sorted(set(failed), key=failed.index),
        "merges": merges,
    }


def _default_output(args) -> Path:
    from bench import database

    if args.output:
        return args.output
    if args.only:  # a partial run never replaces the full report
        return database.VAR / "only.md"
    return database.VAR / "smoke.md" if args.smoke else ROOT / "BENCHMARKS.md"


def _report_again(args, saved: Path) -> int:
    if not saved.exists():
        print(f"No results to report from ({saved}): run the benchmarks first.")
        return 2
    output = _default_output(args)
    output.write_text(_report_from(json.loads(saved.read_text())))
    print(f"Wrote {output} from {saved}")
    return 0


def _report_from(data: dict) -> str:
    """The Markdown report of saved results (``main``'s ``data``)."""
    from bench.harness import Outcome, Row

    outcomes = []
    for item in data["outcomes"]:
        item = dict(item)
        rows = [Row(**row) for row in item.pop("rows")]
        outcomes.append(Outcome(**item, rows=rows))
    return _report(
        _arguments(data["argv"]),
        data["argv"],
        data["info"],
        data["described"],
        outcomes,
        *data["load"],
        data["seconds"],
        commit=data["commit"],
        at=dt.datetime.fromisoformat(data["at"]),
        failed=data.get("failed", []),
        merges=data.get("merges", []),
    )


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
    failed=(),
    merges=(),
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
        *(
            [
                "",
                "Sections measured again later and merged in (`--only … --merge`): "
                + "; ".join(
                    f"{', '.join(m['scenarios']) or 'none'} at "
                    f"{m['at'][:16].replace('T', ' ')} UTC, commit `{m['commit']}`"
                    + "".join(
                        f", {name} failed (its earlier section kept)"
                        for name in m.get("failed", [])
                    )
                    for m in merges
                )
                + ". Each section names the run that measured it.",
            ]
            if merges
            else []
        ),
        *(
            [
                "",
                f"Failed (no section; see the run's console log): {', '.join(failed)}.",
            ]
            if failed
            else []
        ),
        "",
        "## Commands",
        "",
        "```sh",
        f".venv/bin/{command}",
        f"# {made} runs python -m bench with the Makefile's sizes (BENCH_*)",
        "# dataset: manage.py generate_data "
        f"--audit {described.get('audit', args.audit)} "
        f"--applications {described.get('applications', 0)} "
        f"--tickets {described.get('tickets', 0)} "
        f"--seed {described.get('seed', args.seed)}"
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
        "(the machine may be shared with other jobs; each section "
        "gives its own) |",
        f"| dataset | {_dataset_text(described)} |",
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
