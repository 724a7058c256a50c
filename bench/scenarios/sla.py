"""Scenario 3 (in part): due-date computations per second of ``sla.worktime``.

The sweep at 1 M open steps waits for the SLA engine; this part reuses
``bench/worktime_bench.py``. No raw baseline: the goal is an absolute rate.
"""

import time

from bench.harness import Outcome, Row, median
from bench.worktime_bench import measure

GOAL = 100_000


def run(context) -> Outcome:
    started = time.perf_counter()
    n = 2_000 if context.smoke else 50_000
    rounds = context.rounds if context.smoke else max(context.rounds, 5)
    rates = measure(n, rounds=rounds)
    outcome = Outcome(
        number="3",
        title="SLA calculator (the sweep waits for the SLA engine)",
        measures=(
            "Due-date computations per second of `sla.worktime` on the city "
            "calendar with 2026 holidays and a Ramadan override, one process; "
            "the median round and the best (least disturbed) round."
        ),
        sizes=f"{rounds} rounds of {n:,} computations per case",
    )
    for name, values in rates.items():
        best, middle = max(values), median(values)
        full = name.startswith("deadline")
        outcome.rows.append(
            Row(
                metric=name,
                portal=middle,
                unit="/s",
                goal="" if full else "≥ 100,000/s",
                met=None if full else middle >= GOAL,
                note=f"best {best:,.0f}/s",
            )
        )
    outcome.notes.append(
        "`deadline()` with a pause is a full recomputation (pause carried over); "
        "the goal is about plain due dates."
    )
    outcome.seconds = time.perf_counter() - started
    return outcome
