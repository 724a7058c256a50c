"""Deadline computations per second of ``sla.worktime`` (issue 9 asks for 100,000).

Runs without Django: ``python bench/worktime_bench.py`` from the project root;
``make bench`` runs it as part of scenario 3 (``bench.scenarios.sla``). Typical
SLAs (5 working days, 10 working hours, 3 working days with a pause) from starts
spread over 2026 on the city calendar with its 2026 holidays and a Ramadan
override. Each case runs ROUNDS rounds; the best round is the rate with the
least interference from other processes (as ``timeit`` advises), the median shows
the spread. Prints one line per case; asserts nothing about speed.
"""

import random
import statistics
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sla.worktime import ScheduleOverride, WorkingCalendar

HOLIDAYS_2026 = [
    # Libur nasional and cuti bersama 2026 (catalogue.json "calendar", holidays 0.99)
    *(date(2026, m, d) for m, d in [(1, 1), (1, 16), (2, 17), (3, 19), (3, 21)]),
    *(date(2026, m, d) for m, d in [(4, 3), (5, 1), (5, 14), (5, 27), (5, 31)]),
    *(date(2026, m, d) for m, d in [(6, 1), (6, 16), (8, 17), (8, 25), (12, 25)]),
    *(date(2026, m, d) for m, d in [(2, 16), (3, 18), (3, 20), (3, 23), (3, 24)]),
    *(date(2026, m, d) for m, d in [(5, 15), (5, 28), (12, 24)]),
]
RAMADAN = ScheduleOverride(
    date(2026, 2, 18), date(2026, 3, 19), {wd: [(time(8), time(14))] for wd in range(5)}
)


ROUNDS = 7


def measure(n: int = 50_000, rounds: int = ROUNDS) -> dict[str, list[float]]:
    """Computations per second of each case, one rate per round (``rounds`` of
    ``n`` computations each), in case order."""
    calendar = WorkingCalendar(
        overrides=[RAMADAN], closed_dates=HOLIDAYS_2026, confirmed_through=2026
    )
    rng = random.Random(9)
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    starts = [origin + timedelta(seconds=rng.randrange(330 * 86_400)) for _ in range(n)]
    # Inputs are built before the clock runs, so only the calendar is timed.
    plus_3_days = [start + timedelta(days=3) for start in starts]
    pauses = [
        [(start + timedelta(hours=30), start + timedelta(hours=60))] for start in starts
    ]
    cases = {
        "add_working_days(start, 5)": lambda i: calendar.add_working_days(starts[i], 5),
        "add_working_hours(start, 10)": lambda i: calendar.add_working_hours(
            starts[i], 10
        ),
        "elapsed(start, start + 3 days)": lambda i: calendar.elapsed(
            starts[i], plus_3_days[i]
        ),
        "deadline(start, days=3, one pause)": lambda i: calendar.deadline(
            starts[i], days=3, pauses=pauses[i]
        ),
    }
    calendar.add_working_days(origin, 400)  # build the tables outside the timing
    loop = range(n)
    out: dict[str, list[float]] = {}
    for name, compute in cases.items():
        rates = []
        for _ in range(rounds):
            began = clock.perf_counter()
            for i in loop:
                compute(i)
            rates.append(n / (clock.perf_counter() - began))
        out[name] = rates
    return out


def main(n: int = 50_000) -> None:
    heading = f"per second ({ROUNDS} rounds of {n:,})"
    print(f"{heading:36} {'best':>10} {'median':>10}")
    for name, rates in measure(n).items():
        print(f"{name:36} {max(rates):>10,.0f} {statistics.median(rates):>10,.0f}")


if __name__ == "__main__":
    main()
