"""The runner's parts: interleaving, statistics, results and their report.

A scenario measures the portal's path (A) and a raw baseline doing the same
work (B) in one process run, alternating A B A B … for ``rounds`` rounds after
a warm-up round, so that a change in the machine's load hits both alike. It
returns an ``Outcome`` of ``Row``s; ``write_report`` renders them with the
machine's description into Markdown.
"""

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest
    ranks (NumPy's default); ``nan`` for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def interleave[T](
    portal: Callable[[], T],
    baseline: Callable[[], T],
    *,
    rounds: int,
    warmup: int = 1,
    on_round: Callable[[int, T, T], None] | None = None,
) -> tuple[list[T], list[T]]:
    """Run ``portal()`` then ``baseline()``, ``rounds`` times, after ``warmup``
    unrecorded rounds (connections, caches, imports); return both lists of
    samples in round order."""
    for _ in range(warmup):
        portal()
        baseline()
    a: list[T] = []
    b: list[T] = []
    for number in range(1, rounds + 1):
        a.append(portal())
        b.append(baseline())
        if on_round is not None:
            on_round(number, a[-1], b[-1])
    return a, b


def timed(function: Callable[[], Any]) -> float:
    """Seconds ``function()`` took (``perf_counter``)."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


@dataclass
class Row:
    """One figure: the portal's, the baseline's and how they compare.

    ``ratio`` is portal/baseline for costs (lower is better) and for rates
    alike; ``goal`` is the issue's wording and ``met`` whether this run met
    it (``None``: no goal, or not judged at smoke sizes).
    """

    metric: str
    portal: float
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    goal: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Outcome:
    """What one scenario found."""

    number: str
    title: str
    measures: str
    sizes: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: The ``--only`` name of the scenario (set by the runner).
    scenario: str = ""
    #: The run that measured it (set by the runner): ``at`` (ISO UTC),
    #: ``commit``, ``load`` (load averages before and after the scenario),
    #: ``dataset``; a report merging runs prints it under the section.
    run: dict = field(default_factory=dict)


def fmt(value: float | None, unit: str = "") -> str:
    """A figure for a table: 3 significant digits, thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "%":
        return f"{value:+.1f} %"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip() if unit and unit != "x" else text


def run_line(run: dict) -> str:
    """The line under a section naming the run that measured it."""
    load = run.get("load") or ["?", "?"]
    return (
        f"Measured {run.get('at', '?')[:16].replace('T', ' ')} UTC at commit "
        f"`{run.get('commit', '?')}`, {run.get('dataset', '')}; load average "
        f"(1/5/15 min) before {load[0]}, after {load[1]}."
    )


def outcome_markdown(outcome: Outcome, *, judged: bool) -> str:
    lines = [
        f"### {outcome.number}. {outcome.title}",
        "",
        f"{outcome.measures} Sizes: {outcome.sizes}. Took {outcome.seconds:.0f} s.",
        "",
        *([run_line(outcome.run), ""] if outcome.run else []),
        "| metric | portal | baseline | ratio | goal | met |",
        "|---|---:|---:|---:|---|:-:|",
    ]
    for row in outcome.rows:
        met = "-" if row.met is None or not judged else ("yes" if row.met else "**no**")
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        metric = row.metric + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {metric} | {fmt(row.portal, row.unit)} | "
            f"{fmt(row.baseline, row.unit)} | {ratio} | {row.goal or '-'} | {met} |"
        )
    if outcome.notes:
        lines.append("")
        lines.extend(f"- {note}" for note in outcome.notes)
    return "\n".join(lines)


#: Seconds a scenario waits for its Celery worker to consume tasks: start-up
#: took 13 s at a load average of 35 here, and the full run starts workers
#: after the heavier scenarios (``tests.support.processes.CeleryWorker``).
WORKER_START_TIMEOUT = 300.0


def worker_started_note(worker) -> str:
    """The report's line on how long ``worker`` (a started ``CeleryWorker``)
    took to become ready."""
    return f"The Celery worker was ready {worker.started_in:.0f} s after its start."
