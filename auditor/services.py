"""Writes of the auditor workspace: asking for a verification, running it, and
the audited CSV export. None of them changes the trail."""

import csv
import json
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from audit.verification import audit_verify

from .models import VerificationRun, VerificationStatus
from .selectors import WIB, TrailFilter, trail_queryset

CSV_COLUMNS = (
    "id",
    "occurred_at_wib",
    "actor",
    "actor_username",
    "actor_role",
    "actor_agency",
    "action",
    "object_type",
    "object_id",
    "changes",
    "reason",
    "request_id",
    "seal_seq",
)
# Cells a spreadsheet would run as a formula (CWE-1236) get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@transaction.atomic(durable=True)
def verification_request(*, user, full: bool = False) -> VerificationRun:
    """Record a request to verify the chain and enqueue
    ``verification_run_task`` after commit. Returns the pending run; when one is
    already waiting, returns it instead of creating another, and enqueues it
    again (a broker outage may have lost the first enqueue; the task is safe
    to run twice)."""
    pending = (
        VerificationRun.objects.select_for_update()
        .filter(status=VerificationStatus.PENDING)
        .order_by("-id")
        .first()
    )
    from .tasks import verification_run_task

    if pending is None:
        pending = VerificationRun.objects.create(requested_by=user, full=full)
        audit_record(
            action="audit.verify_request", obj=pending, changes={"full": [None, full]}
        )
    # Enqueued again for a waiting run: its first enqueue may have been lost
    # with the broker (the task is safe to run twice). ``robust``: a broker
    # outage is logged, the request still succeeds.
    run_id = pending.pk
    transaction.on_commit(lambda: verification_run_task.delay(run_id), robust=True)
    return pending


def verification_run(*, run_id: int) -> VerificationRun | None:
    """Verify the chain for the pending run ``run_id`` and store the result;
    ``None`` when the run is gone or already finished (safe to run twice).

    The verification (``audit_verify``; from the latest checkpoint unless the
    run is ``full``) reads outside any transaction; only the result is written.
    An unexpected error is stored as ``failed`` with its message.
    """
    run = VerificationRun.objects.filter(
        pk=run_id, status=VerificationStatus.PENDING
    ).first()
    if run is None:
        return None
    try:
        result = audit_verify(since_checkpoint=not run.full)
    except Exception as exc:  # stored for the auditor, then re-raised
        _finish(run_id, status=VerificationStatus.FAILED, result={"error": str(exc)})
        raise
    return _finish(
        run_id,
        status=VerificationStatus.INTACT if result.ok else VerificationStatus.BROKEN,
        result=result.as_dict(),
        entries_checked=result.entries_checked,
        last_seq=result.last_seq,
        first_broken_entry=(
            result.first_broken.entry_id if result.first_broken is not None else None
        ),
    )


def _finish(run_id: int, **fields) -> VerificationRun | None:
    with transaction.atomic():
        run = VerificationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != VerificationStatus.PENDING:
            return None
        for name, value in fields.items():
            setattr(run, name, value)
        run.finished_at = timezone.now()
        run.save()
        return run


class _Echo:
    """A file-like object whose ``write`` returns the line (for streaming)."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def trail_csv_rows(filters: TrailFilter) -> Iterator[str]:
    """CSV lines (header first) of every entry matching ``filters``, oldest
    first, read with a server-side cursor in chunks of 2,000 (memory does not
    grow with the export). Times in WIB; ``changes`` as JSON."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    entries = trail_queryset(
        TrailFilter(**{**filters.__dict__, "ascending": True})
    ).values_list(
        "id",
        "occurred_at",
        "actor_label",
        "actor__username",
        "actor_role",
        "actor_agency",
        "action",
        "object_type",
        "object_id",
        "changes",
        "reason",
        "request_id",
        "seal__seq",
    )
    for row in entries.iterator(chunk_size=2000):
        values = list(row)
        values[1] = values[1].astimezone(WIB).isoformat()
        values[9] = json.dumps(values[9], ensure_ascii=False, sort_keys=True)
        yield writer.writerow([_cell(v) for v in values])


def trail_export(*, user, filters: TrailFilter) -> Iterator[str]:
    """Record ``audit.export`` (with the filters) in its own transaction, then
    return the CSV lines to stream. The entry is written before any row is
    sent, so an export that is cut short is still on record."""
    with transaction.atomic():
        audit_record(
            action="audit.export",
            object_type="audit.auditentry",
            changes={"filters": [None, filters.as_dict()]},
        )
    return trail_csv_rows(filters)
