"""The benchmark runner's own logic (the scenarios run in `make bench-smoke`)."""

import dataclasses
import math

import pytest

from bench import __main__ as bench_main
from bench import database
from bench.harness import Outcome, Row, fmt, interleave, outcome_markdown, percentile
from bench.machine import PG_SETTINGS


def test_percentile_interpolates_between_ranks():
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile(values, 100) == 5.0
    assert math.isnan(percentile([], 95))


def test_interleave_alternates_after_a_warm_up():
    calls = []
    a, b = interleave(
        lambda: calls.append("A") or len(calls),
        lambda: calls.append("B") or len(calls),
        rounds=3,
    )
    assert calls == ["A", "B"] * 4  # one unrecorded warm-up round, then 3
    assert a == [3, 5, 7]
    assert b == [4, 6, 8]


def test_a_row_renders_with_its_ratio_and_verdict():
    outcome = Outcome(
        "5a",
        "Audit queries",
        "What it measures.",
        "1,000 entries",
        rows=[Row("p95", 3.0, "ms", 2.0, 1.5, goal="p95 ≤ 1.5x raw", met=True)],
    )
    judged = outcome_markdown(outcome, judged=True)
    assert "| p95 | 3.00 ms | 2.00 ms | 1.50x | p95 ≤ 1.5x raw | yes |" in judged
    assert "| - |" in outcome_markdown(outcome, judged=False)  # smoke: no verdict
    assert fmt(123_456.7, "/s") == "123,457 /s"


@pytest.mark.parametrize(
    ("url", "smoke", "expected"),
    [
        ("postgres://u@h:5432/ptsp", False, "postgres://u@h:5432/ptsp_bench"),
        ("postgres://u@h:5432/ptsp_bench", False, "postgres://u@h:5432/ptsp_bench"),
        (
            "postgres://u@h:5432/ptsp_ci",
            True,
            "postgres://u@h:5432/ptsp_ci_bench_smoke",
        ),
    ],
)
def test_the_benchmarks_work_in_a_database_of_their_own(
    monkeypatch, url, smoke, expected
):
    monkeypatch.setenv("DATABASE_URL", url)
    assert database.bench_url(smoke=smoke) == expected


def test_only_a_benchmark_database_is_ever_dropped():
    with pytest.raises(SystemExit, match="not a benchmark database"):
        database.recreate("postgres://u@127.0.0.1:1/ptsp")


def test_the_benchmarks_refuse_sqlite(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/ptsp.sqlite3")
    with pytest.raises(SystemExit, match="need PostgreSQL"):
        database.bench_url(smoke=False)


def _saved(scenarios: dict[str, float], *, at: str, commit: str, failed=()) -> dict:
    """Results as ``python -m bench`` saves them: one row per scenario."""
    outcomes = []
    for name, value in scenarios.items():
        outcome = Outcome(
            name[0],
            name.title(),
            "What it measures.",
            "small",
            rows=[Row("p95", value, "ms")],
            scenario=name,
            run={
                "at": at,
                "commit": commit,
                "load": ["1.00 / 1.00 / 1.00", "2.00 / 2.00 / 2.00"],
                "dataset": "3,000 audit entries (seed 2026)",
            },
        )
        outcomes.append(dataclasses.asdict(outcome))
    return {
        "argv": ["--only", ",".join(scenarios)],
        "info": {
            "cpu": "a CPU",
            "cores": 2,
            "memory_gib": 24.0,
            "os": "Linux",
            "python": "3.13",
            "postgres": dict.fromkeys(["version", *PG_SETTINGS], "x"),
            "fsync": [],
        },
        "described": {"audit": 3000, "seed": 2026},
        "outcomes": outcomes,
        "failed": list(failed),
        "load": ["1.00 / 1.00 / 1.00", "2.00 / 2.00 / 2.00"],
        "seconds": 60.0,
        "commit": commit,
        "at": at,
    }


def test_merge_replaces_only_the_scenarios_run_again_and_says_when():
    full = _saved(
        {"submission": 1.0, "officer-queue": 2.0, "pages": 3.0},
        at="2026-11-29T14:15:00+00:00",
        commit="aaaaaaa",
        failed=["notifications"],
    )
    again = _saved(
        {"officer-queue": 9.0, "notifications": 4.0},
        at="2026-11-29T16:00:00+00:00",
        commit="bbbbbbb",
    )
    order = ["submission", "officer-queue", "pages", "notifications"]
    merged = bench_main._merged(full, again, order)
    assert [(o["scenario"], o["rows"][0]["portal"]) for o in merged["outcomes"]] == [
        ("submission", 1.0),
        ("officer-queue", 9.0),
        ("pages", 3.0),
        ("notifications", 4.0),
    ]
    assert merged["failed"] == []  # measured now
    assert merged["commit"] == "aaaaaaa"  # the full run's header stays
    assert merged["merges"][0]["scenarios"] == ["officer-queue", "notifications"]
    # Each section names its own run; the header lists the merge.
    report = bench_main._report_from(merged)
    sections = {s.split(".", 1)[1].split("\n")[0]: s for s in report.split("### ")[1:]}
    assert "at commit `aaaaaaa`" in sections[" Pages"]
    assert "at commit `bbbbbbb`" in sections[" Officer-Queue"]
    assert "Sections measured again later" in report
    assert "officer-queue, notifications at 2026-11-29 16:00 UTC" in report


def test_merge_keeps_the_old_section_of_a_scenario_that_failed_again():
    full = _saved({"submission": 1.0}, at="2026-11-29T14:15:00+00:00", commit="aaaaaaa")
    again = _saved(
        {}, at="2026-11-29T16:00:00+00:00", commit="bbbbbbb", failed=["submission"]
    )
    merged = bench_main._merged(full, again, ["submission"])
    assert [o["rows"][0]["portal"] for o in merged["outcomes"]] == [1.0]
    assert merged["failed"] == []  # it has a section, the earlier run's
    assert "submission failed (its earlier section kept)" in bench_main._report_from(
        merged
    )


def test_the_dataset_sizes_include_applications_and_tickets():
    full = bench_main._arguments([])
    assert (full.audit, full.applications, full.tickets) == (
        1_000_000,
        1_000_000,
        200_000,
    )
    smoke = bench_main._arguments(["--smoke", "--applications", "50000"])
    assert (smoke.audit, smoke.applications, smoke.tickets) == (3_000, 2_000, 2_000)
    described = {"seed": 7, "audit": 10, "applications": 20, "tickets": 30}
    assert bench_main._dataset_text(described) == (
        "10 audit entries, 20 applications, 30 tickets (seed 7)"
    )
