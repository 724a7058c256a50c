"""Beat tasks of the privacy app (schedule in ``CELERY_BEAT_SCHEDULE``)."""

from dataclasses import asdict

from celery import shared_task

from .retention import retention_apply


@shared_task
def privacy_retention_task() -> dict:
    """Apply the retention rules (daily, 01:30 WIB). Safe to run twice."""
    return asdict(retention_apply())
