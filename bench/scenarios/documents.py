"""Scenario 8: PDFs per second by one worker, and the worker's memory after 500.

A real Celery worker (prefork, one child, Redis broker) renders M issued
permits committed at once: WeasyPrint HTML to PDF, PAdES signature with the
local development CA, SHA-256 and storage under a row lock, as
``documents.tasks.document_render_task`` does in production. The baseline
renders the same documents' HTML to PDF with WeasyPrint in a plain loop in this
process (no broker, database, signature or storage). Memory: the worker's child
renders 500 documents in a row; its resident set size is sampled throughout
(``/proc``), with the production recycling settings in force.
"""

import os
import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Service
from audit.context import audit_actor
from bench.harness import (
    WORKER_START_TIMEOUT,
    Outcome,
    Row,
    interleave,
    median,
    worker_started_note,
)
from bench.scenarios import drop_queued_tasks
from documents.choices import RenderStatus
from documents.models import IssuedDocument
from documents.rendering import document_html
from documents.services import _document_issue
from documents.tasks import document_render_task
from permits.choices import ApplicationStatus
from permits.models import Application
from tests.support.processes import CeleryWorker, wait_for


def _worker(context) -> CeleryWorker:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": context.database_url,
        "REDIS_URL": context.redis_url,
        "CELERY_BROKER_URL": context.redis_url,
        "DOCUMENTS_SIGNER": "documents.signing.LocalCASigner",
        "DOCUMENTS_SIGNING_DIR": str(context.workdir / "signing"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(context.workdir / "media"),
        "LOG_LEVEL": "WARNING",
    }
    return CeleryWorker(
        env,
        context.workdir / "celery-worker-documents.log",
        options=["--pool=prefork", "--concurrency=1", "--queues=celery"],
    )


def _issue(count: int, run_id: int) -> list[int]:
    """``count`` issued applications of a permit service with their permits,
    committed at once (the permits' render tasks are published on commit)."""
    service = (
        Service.objects.filter(
            category="permit", is_published=True, current_version__isnull=False
        )
        .order_by("pk")
        .first()
    )
    applicant = User.objects.filter(username__contains="-warga-").first()
    if applicant is None:
        applicant = User.objects.create_user(username=f"bench-docs-{run_id}")
    now = timezone.now()
    ids = []
    with audit_actor(system="system:bench"), transaction.atomic():
        for n in range(count):
            application = Application.objects.create(
                service=service,
                service_version_id=service.current_version_id,
                applicant=applicant,
                reference=f"B{run_id % 10**12:012d}{n:05d}",
                status=ApplicationStatus.ISSUED,
                submitted_at=now,
                decided_at=now,
                form_data={
                    "full_name": f"Pemohon Bench {n}",
                    "nik": "3671051203850001",
                    "practice_place": "Klinik Bench",
                },
            )
            ids.append(_document_issue(application).pk)
    return ids


def _ready(ids: list[int]) -> int:
    return IssuedDocument.objects.filter(
        pk__in=ids, render_status=RenderStatus.READY
    ).count()


def _rerender(ids: list[int]) -> None:
    """Send the same documents through the worker again: back to pending (raw
    SQL on benchmark rows, outside the audited path on purpose), then enqueue."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_issueddocument SET render_status = %s, sha256 = '' "
            "WHERE id = ANY(%s)",
            [RenderStatus.PENDING.value, ids],
        )
    for pk in ids:
        document_render_task.delay(pk)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(context) -> Outcome:
    started = time.perf_counter()
    size = 5 if context.smoke else 50
    total = 20 if context.smoke else 500
    run_id = time.time_ns()
    from django.conf import settings

    outcome = Outcome(
        number="8",
        title="PDFs (issued documents)",
        measures=(
            "PDFs per second: one Celery worker (prefork, 1 child, Redis broker) "
            "rendering, signing (PAdES, local CA) and storing M permits committed "
            "at once, from the commit to the last stored file, vs WeasyPrint "
            "rendering the same M documents' HTML in a plain loop in-process. "
            "Memory: the child's resident set while it renders N in a row."
        ),
        sizes=f"M = {size} per round, {context.rounds} rounds; N = {total}",
    )
    dropped = drop_queued_tasks(context.redis_url)
    context.log(f"Dropped {dropped} tasks left in the broker by earlier scenarios.")
    worker = _worker(context)
    ids = _issue(size, run_id)
    worker.start(timeout=WORKER_START_TIMEOUT)
    outcome.notes.append(worker_started_note(worker))
    try:
        wait_for(lambda: _ready(ids) == size, timeout=600, step=0.1, what="warm-up")
        documents = list(
            IssuedDocument.objects.filter(pk__in=ids).select_related(
                "application__service_version__service",
                "service__agency",
                "service__issuer_agency",
            )
        )

        def portal() -> float:
            began = time.perf_counter()
            _rerender(ids)
            wait_for(
                lambda: _ready(ids) == size,
                timeout=600,
                step=0.05,
                what="the worker to render the batch",
            )
            return size / (time.perf_counter() - began)

        def baseline() -> float:
            from weasyprint import HTML

            pages = [document_html(d) for d in documents]
            began = time.perf_counter()
            for html in pages:
                HTML(string=html).write_pdf()
            return size / (time.perf_counter() - began)

        a, b = interleave(portal, baseline, rounds=context.rounds)
        rate, raw = median(a), median(b)
        outcome.rows.append(
            Row("PDFs per second (one worker)", rate, "/s", raw, rate / raw)
        )
        samples: list[float] = []
        done = 0
        while done < total:
            _rerender(ids)
            while _ready(ids) < size:
                samples += [_rss_mb(c) for c in _children(worker.process.pid)]
                time.sleep(0.05)
            done += size
        after = [_rss_mb(c) for c in _children(worker.process.pid)]
    finally:
        worker.stop()
    outcome.rows += [
        Row(f"worker child RSS after {done} PDFs", max(after or [0.0]), "MB"),
        Row(f"worker child RSS peak over {done} PDFs", max(samples or [0.0]), "MB"),
    ]
    outcome.notes.append(
        "Per PDF the worker loads the document (one query), renders the "
        "Indonesian template with its QR code, signs it with pyHanko, writes the "
        "file and updates the row with its audit entry in one transaction; "
        "fonts and the stylesheet are built once per child. Recycling: "
        f"max {settings.CELERY_WORKER_MAX_TASKS_PER_CHILD} tasks or "
        f"{settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD // 1024} MB per child."
    )
    outcome.seconds = time.perf_counter() - started
    return outcome
