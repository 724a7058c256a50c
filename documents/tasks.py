"""Celery tasks of issued documents: thin, by id, safe to run twice.

Rendering is memory-hungry (WeasyPrint keeps font and layout caches); the
worker recycles a child after ``CELERY_WORKER_MAX_MEMORY_PER_CHILD`` KiB and
after ``CELERY_WORKER_MAX_TASKS_PER_CHILD`` tasks (settings).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from celery import shared_task

from audit.context import audit_actor

from .choices import RenderStatus
from .models import IssuedDocument
from .rendering import document_pdf
from .services import (
    document_render_failed,
    document_store_file,
    documents_due_for_reminder,
    renewal_reminder_send,
)
from .signing import SigningServiceUnavailable, documents_signer


def document_render(document_id: int) -> bool:
    """Render, sign and store the PDF of a pending document; ``False`` when
    there is nothing to do (gone, or already rendered)."""
    document = (
        IssuedDocument.objects.select_related(
            "application__service_version__service",
            "service__agency",
            "service__issuer_agency",
        )
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.render_status == RenderStatus.READY:
        return False
    pdf = document_pdf(document)
    signed = False
    if settings.DOCUMENTS_SIGNER:
        pdf = documents_signer().sign(
            pdf,
            signatory=document.signatory_name or "PTSP Kota Tangerang",
            reason=f"{document.get_kind_display()} {document.number}",
            location="Kota Tangerang",
        )
        signed = True
    with audit_actor(system="system:document_render"):
        return document_store_file(document_id=document.pk, pdf=pdf, signed=signed)


@shared_task(
    autoretry_for=(SigningServiceUnavailable,), retry_backoff=True, max_retries=5
)
def document_render_task(document_id: int) -> bool:
    try:
        return document_render(document_id)
    except SigningServiceUnavailable:
        raise  # transient: retried here, then by the sweep
    except Exception:
        # A broken template or key: mark it so the sweep stops retrying and
        # the register shows it; the error goes to the worker's log.
        with audit_actor(system="system:document_render"):
            document_render_failed(document_id=document_id)
        raise


@shared_task
def documents_render_pending_task() -> int:
    """Beat sweep: hand to the workers the documents still pending a few
    minutes after creation (the broker was down at commit, or a worker died)."""
    cutoff = timezone.now() - dt.timedelta(
        seconds=settings.DOCUMENTS_RENDER_GRACE_SECONDS
    )
    ids = list(
        IssuedDocument.objects.filter(
            render_status=RenderStatus.PENDING, created_at__lt=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        document_render_task.delay(pk)
    return len(ids)


@shared_task
def documents_renewal_reminders_task() -> int:
    """Beat sweep: remind holders of permits expiring within
    ``DOCUMENTS_RENEWAL_REMINDER_DAYS`` (once per permit)."""
    with audit_actor(system="system:documents_renewal_reminders"):
        return sum(
            renewal_reminder_send(document_id=pk)
            for pk in list(documents_due_for_reminder())
        )
