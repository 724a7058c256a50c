"""Celery tasks of the channeling app: thin, by id, safe to run twice."""

from celery import shared_task

from .choices import HandoverStatus
from .selectors import handovers_open
from .services import bpjs_handover_poll, bpjs_handover_send


@shared_task
def bpjs_handover_send_task(handover_id: int) -> None:
    """Send one hand-over (enqueued after the commit that created it)."""
    bpjs_handover_send(handover_id=handover_id)


@shared_task
def bpjs_handovers_poll_task() -> int:
    """Beat sweep: send pending hand-overs again, ask BPJS about sent ones.
    Returns how many were looked at."""
    count = 0
    for pk, status in handovers_open().values_list("pk", "status"):
        if status == HandoverStatus.PENDING:
            bpjs_handover_send(handover_id=pk)
        else:
            bpjs_handover_poll(handover_id=pk)
        count += 1
    return count
