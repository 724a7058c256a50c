"""Celery tasks of the transparency app: thin wrappers over services; they
take ids and are safe to run twice."""

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from celery import shared_task

from audit.context import audit_actor

from .aggregates import stats_refresh
from .choices import ComplaintStatus
from .lapor import LaporRejected, LaporUnavailable
from .models import Complaint
from .services import (
    complaint_lapor_poll,
    complaint_lapor_submit,
    complaints_overdue_sweep,
    survey_invitations_sweep,
)


@shared_task
def stats_refresh_task() -> int:
    """Rebuild the dashboard's aggregate tables (beat, every 15 minutes)."""
    with audit_actor(system="system:stats_refresh_task"):
        result = stats_refresh()
    return result.month_rows


@shared_task
def survey_invitations_task() -> int:
    """Invite citizens to the survey after outcomes and visits (beat)."""
    with audit_actor(system="system:survey_invitations_task"):
        return survey_invitations_sweep()


@shared_task(autoretry_for=(LaporUnavailable,), retry_backoff=True, max_retries=8)
def complaint_lapor_submit_task(complaint_id: int) -> None:
    """Hand a forwarded complaint over to SP4N-LAPOR!; retries while LAPOR! is
    unavailable."""
    with audit_actor(system="system:complaint_lapor_submit_task"):
        complaint_lapor_submit(complaint_id=complaint_id)


@shared_task
def complaints_overdue_task() -> int:
    """Tell agency heads once about complaints past their deadline (beat)."""
    with audit_actor(system="system:complaints_overdue_task"):
        return complaints_overdue_sweep()


#: How long a forwarded complaint may wait for its first LAPOR! hand-over
#: before the sweep enqueues it again (the broker was down at commit, or the
#: task gave up its retries while LAPOR! was down).
LAPOR_REDRIVE_GRACE = dt.timedelta(minutes=10)


@shared_task
def complaints_lapor_redrive_task() -> int:
    """Beat sweep: enqueue again the forwarded complaints still without a
    LAPOR! tracking id ``LAPOR_REDRIVE_GRACE`` after the hand-over (the task
    is safe to run twice). Returns how many were enqueued."""
    ids = list(
        Complaint.objects.filter(
            status=ComplaintStatus.FORWARDED,
            lapor_tracking_id="",
            forwarded_at__lt=timezone.now() - LAPOR_REDRIVE_GRACE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        complaint_lapor_submit_task.delay(pk)
    return len(ids)


#: How often at most one complaint's LAPOR! status is asked again, and how many
#: a sweep asks about (the sweep runs every 30 minutes).
LAPOR_POLL_INTERVAL = dt.timedelta(hours=1)
LAPOR_POLL_BATCH = 200


@shared_task
def complaints_lapor_poll_task() -> int:
    """Beat sweep: ask LAPOR! for the status of the open handed-over
    complaints (forwarded, with a tracking id) not checked for
    ``LAPOR_POLL_INTERVAL``, the longest-unchecked first, at most
    ``LAPOR_POLL_BATCH``. Idempotent (an unchanged status changes nothing but
    the check time). Stops at the first ``LaporUnavailable``: the next sweep
    tries again. Returns how many statuses changed."""
    due = timezone.now() - LAPOR_POLL_INTERVAL
    ids = list(
        Complaint.objects.filter(
            status=ComplaintStatus.FORWARDED,
            lapor_tracking_id__gt="",
        )
        .filter(Q(lapor_checked_at__isnull=True) | Q(lapor_checked_at__lt=due))
        .order_by(F("lapor_checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:LAPOR_POLL_BATCH]
    )
    changed = 0
    with audit_actor(system="system:complaints_lapor_poll_task"):
        for pk in ids:
            try:
                changed += complaint_lapor_poll(complaint_id=pk)
            except LaporUnavailable:
                break
            except LaporRejected:
                continue  # an unknown tracking id: asked again next time
    return changed
