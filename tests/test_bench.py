"""The benchmark runner's own logic (the scenarios run in `make bench-smoke`)."""

import math

import pytest

from bench import database
from bench.harness import Outcome, Row, fmt, interleave, outcome_markdown, percentile


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
