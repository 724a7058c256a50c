"""Tasks of the auditor workspace."""

from celery import shared_task

from .services import verification_run


@shared_task
def verification_run_task(run_id: int) -> str | None:
    """Run the pending verification ``run_id`` (enqueued after its request
    commits). Returns the status, or ``None`` when it already ran."""
    run = verification_run(run_id=run_id)
    return run.status if run is not None else None
