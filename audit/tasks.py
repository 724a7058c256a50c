"""Beat tasks of the audit trail (schedules in ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from .checkpoints import checkpoint_create
from .sealing import audit_seal


@shared_task
def audit_seal_task() -> int:
    """Seal every committed entry (every minute). Safe to run twice or at once."""
    return audit_seal()


@shared_task
def audit_checkpoint_task() -> int:
    """Seal, then sign a checkpoint of the chain's head (daily, 00:05 WIB).

    Returns the checkpoint's number; idempotent when nothing new was sealed.
    """
    audit_seal()
    return checkpoint_create().number
