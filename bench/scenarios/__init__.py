"""The scenarios, in the order of the report. Each is ``run(context) -> Outcome``.

Issue 17 numbers them 1-8; all eight are here. A new scenario is a
``bench/scenarios/<name>.py`` with a ``run``, added to ``_scenarios``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import Outcome


@dataclass
class Context:
    """What every scenario gets. ``smoke``: tiny sizes, nothing judged.
    ``audit`` is the dataset's number of audit entries; ``port`` the loopback
    port for servers the scenario starts; ``workdir`` is for logs.
    ``queue_calls`` overrides the calls per counter of the queue scenarios
    (``None``: their own sizes)."""

    smoke: bool
    rounds: int
    audit: int
    port: int
    workdir: Path
    database_url: str
    redis_url: str
    #: Officer-queue scenario: numbers of applications, measured in order.
    queue_sizes: list[int] = field(default_factory=lambda: [1_000_000, 5_000_000])
    queue_calls: int | None = None

    def log(self, text: str) -> None:
        print(text, flush=True)


def _scenarios() -> dict[str, Callable[[Context], Outcome]]:
    from . import (
        audit,
        documents,
        notifications,
        officer_queue,
        pages,
        queue,
        sla,
        sla_sweep,
        submission,
    )

    return {
        "submission": submission.run,
        "officer-queue": officer_queue.run,
        "sla": sla.run,
        "sla-sweep": sla_sweep.run,
        "queue-call-next": queue.run,
        "queue-call-next-http": queue.run_http,
        "audit-queries": audit.run_queries,
        "audit-verify": audit.run_verification,
        "audit-write": audit.run_write,
        "pages": pages.run,
        "notifications": notifications.run,
        "documents": documents.run,
    }


def scenarios() -> dict[str, Callable[[Context], Outcome]]:
    """``{name: run}`` in report order."""
    return _scenarios()


def drop_queued_tasks(redis_url: str, queue: str = "celery") -> int:
    """Delete the tasks waiting in ``queue`` on the Redis broker at
    ``redis_url`` (kombu's list ``queue`` and its priority lists
    ``queue\\x06\\x16N``); return how many were dropped.

    The scenarios before the worker scenarios run no worker, yet the portal
    paths they drive enqueue tasks (receipts, notifications): over a full run
    thousands wait in the queue (8,164 after one), and a worker started for
    scenario 7 or 8 drains that backlog before its own batch, which timed both
    out. Only the queue's lists are removed, nothing else in that database.
    """
    import redis

    client = redis.Redis.from_url(redis_url)
    dropped = 0
    for key in [queue.encode(), *client.scan_iter(match=f"{queue}\x06\x16*")]:
        if client.type(key) == b"list":
            dropped += client.llen(key)
            client.delete(key)
    client.close()
    return dropped
