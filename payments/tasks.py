"""Celery tasks of payments: thin, by id, safe to run twice."""

from django.utils import timezone

from celery import shared_task

from .choices import BillStatus
from .models import Bill
from .services import bill_cancel_if_orphaned, bill_expire


@shared_task
def bills_expire_task() -> int:
    """Beat sweep: expire every open bill whose due time has passed."""
    ids = list(
        Bill.objects.filter(status=BillStatus.OPEN, due_at__lt=timezone.now())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(bill_expire(bill_id=pk) for pk in ids)


@shared_task
def bills_cancel_orphaned_task() -> int:
    """Beat sweep: cancel open bills of applications that ended unpaid
    (withdrawn or lapsed)."""
    from permits.workflow import FINAL

    ids = list(
        Bill.objects.filter(status=BillStatus.OPEN, application__status__in=FINAL)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(bill_cancel_if_orphaned(bill_id=pk) for pk in ids)
