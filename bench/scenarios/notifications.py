"""Scenario 7: e-mails delivered per second by one worker, and enqueue-to-send.

A real Celery worker (prefork, one child, Redis broker) delivers the outbox's
rows to a loopback SMTP sink (aiosmtpd, ``tests.support.smtp``, in a process of
its own); the portal's path is ``notify()`` for M recipients in one committed
transaction, then the worker's claim, render, send and record for each. The
baseline sends the same M rendered messages with a plain ``smtplib`` loop, one
connection per message as Django's SMTP backend opens. Enqueue-to-send is
measured apart, at a steady trickle below the worker's capacity, as the time
from the row's insert to its delivery.
"""

import itertools
import os
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import formatdate

from django.conf import settings
from django.db import transaction

from accounts.models import User
from audit.context import audit_actor
from bench.harness import (
    WORKER_START_TIMEOUT,
    Outcome,
    Row,
    interleave,
    median,
    percentile,
    worker_started_note,
)
from bench.scenarios import drop_queued_tasks
from notifications.channels import message_id_domain
from notifications.choices import DeliveryStatus
from notifications.models import Notification
from notifications.services import notify
from tests.support.processes import CeleryWorker, port_answers, wait_for
from tests.support.smtp import free_port

EVENT = "application.approved"


class _Sink:
    def __init__(self, context) -> None:
        self.port = free_port()
        self.log = context.workdir / "smtp-sink.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "_Sink":
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.support.smtp", "--port", str(self.port)],
                cwd=settings.BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: port_answers(self.port), timeout=20, what="the SMTP sink")
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _worker(context, sink: _Sink) -> CeleryWorker:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": context.database_url,
        "REDIS_URL": context.redis_url,
        "CELERY_BROKER_URL": context.redis_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "LOG_LEVEL": "WARNING",
    }
    return CeleryWorker(
        env,
        context.workdir / "celery-worker.log",
        options=["--pool=prefork", "--concurrency=1", "--queues=celery"],
    )


def _delivered(keys: list[str]) -> int:
    return Notification.objects.filter(
        dedupe_key__in=keys, status=DeliveryStatus.DELIVERED
    ).count()


def _enqueue(users, keys: list[str]) -> None:
    with audit_actor(system="system:bench"), transaction.atomic():
        for user, key in zip(users, keys, strict=True):
            notify(
                event=EVENT,
                recipient=user,
                context={
                    "reference": f"PTSP-2026-{key[-6:]}",
                    "service": "Surat Izin Praktik Dokter",
                    "url": "https://ptsp.example.org/permohonan/x/",
                },
                channels=["email"],
                dedupe_key=key,
            )


def run(context) -> Outcome:
    started = time.perf_counter()
    size = 20 if context.smoke else 300
    trickle = 10 if context.smoke else 100
    users = list(
        User.objects.filter(username__contains="-warga-").order_by("pk")[:size]
    )
    run_id = time.time_ns()
    numbers = itertools.count(1)
    outcome = Outcome(
        number="7",
        title="Notifications (e-mail)",
        measures=(
            "E-mails per second: one Celery worker (prefork, 1 child, Redis "
            "broker) draining M notifications committed at once, from the commit "
            "to the last delivery, vs a plain smtplib loop sending the same M "
            "rendered messages (a connection each); both to an aiosmtpd sink in "
            "its own process. Enqueue-to-send: row insert to delivery, at a "
            "steady trickle (one per transaction) below the worker's capacity."
        ),
        sizes=f"M = {len(users)} per round, {context.rounds} rounds; trickle of "
        f"{trickle}",
    )
    with _Sink(context) as sink:
        dropped = drop_queued_tasks(context.redis_url)
        context.log(f"Dropped {dropped} tasks left in the broker by earlier scenarios.")
        worker = _worker(context, sink)
        worker.start(timeout=WORKER_START_TIMEOUT)
        outcome.notes.append(worker_started_note(worker))
        try:

            def portal() -> float:
                keys = [f"bench-{run_id}-{next(numbers):06d}" for _ in users]
                began = time.perf_counter()
                _enqueue(users, keys)
                wait_for(
                    lambda: _delivered(keys) == len(keys),
                    timeout=300,
                    step=0.05,
                    what="the worker to deliver the batch",
                )
                seconds = time.perf_counter() - began
                portal.last_keys = keys
                return len(keys) / seconds

            def baseline() -> float:
                rows = list(
                    Notification.objects.filter(dedupe_key__in=portal.last_keys)
                    .order_by("pk")
                    .values("address", "subject", "body", "uuid", "event")
                )
                messages = [_message(row) for row in rows]
                began = time.perf_counter()
                for message in messages:
                    with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as smtp:
                        smtp.send_message(message)
                return len(messages) / (time.perf_counter() - began)

            a, b = interleave(portal, baseline, rounds=context.rounds)
            rate, raw = median(a), median(b)
            outcome.rows.append(
                Row(
                    "e-mails delivered per second",
                    rate,
                    "/s",
                    raw,
                    rate / raw,
                    goal="(report)",
                )
            )
            latencies = _trickle(users, run_id, trickle, interval=1 / max(rate / 2, 1))
        finally:
            worker.stop()
    outcome.rows += [
        Row("enqueue-to-send: median", median(latencies), "ms"),
        Row("enqueue-to-send: p95", percentile(latencies, 95), "ms", goal="(report)"),
        Row("enqueue-to-send: p99", percentile(latencies, 99), "ms"),
    ]
    outcome.notes.append(
        "Per e-mail the worker claims the row (SELECT … FOR UPDATE SKIP LOCKED, "
        "lease, attempt row), renders the template, sends over a new SMTP "
        "connection and records the outcome: two committed transactions and one "
        "SMTP session; the smtplib loop does only the SMTP session."
    )
    outcome.seconds = time.perf_counter() - started
    return outcome


def _message(row: dict) -> EmailMessage:
    key = str(row["uuid"])
    message = EmailMessage()
    message["Subject"] = row["subject"]
    message["From"] = settings.DEFAULT_FROM_EMAIL
    message["To"] = row["address"]
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = f"<{key}@{message_id_domain()}>"
    message["X-Idempotency-Key"] = key
    message["X-PTSP-Event"] = row["event"]
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row["body"])
    return message


def _trickle(users, run_id: int, count: int, *, interval: float) -> list[float]:
    """Enqueue ``count`` notifications one per transaction every ``interval``
    seconds; return each one's insert-to-delivery time in milliseconds."""
    keys = [f"trickle-{run_id}-{n:06d}" for n in range(count)]
    for n, key in enumerate(keys):
        _enqueue([users[n % len(users)]], [key])
        time.sleep(interval)
    wait_for(
        lambda: _delivered(keys) == count,
        timeout=120,
        step=0.1,
        what="the trickle to be delivered",
    )
    rows = Notification.objects.filter(dedupe_key__in=keys).values_list(
        "created_at", "delivered_at"
    )
    return [(done - made).total_seconds() * 1000 for made, done in rows]
