"""Reads of the audit trail: an object's history and an actor's actions.

Both are keyset pages, newest first, one query each (the actor joined), served
by an index whatever the size of the trail: no COUNT, no OFFSET. Scoping (who
may read whose entries) is the caller's: auditors see everything, an officer
only what their agency's objects allow.
"""

from datetime import datetime

from django.db.models import Q, QuerySet

from .models import AuditEntry

PAGE_SIZE = 50


def audit_entries_for_object(
    *,
    object_type: str,
    object_id: str | int,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> QuerySet[AuditEntry]:
    """The entries about one object (``object_type`` ``"permits.application"``,
    ``object_id`` its pk), newest first, at most ``limit``; for the next page
    pass the last entry's ``id`` as ``before_id``.

    Index ``audit_by_object`` (object_type, object_id, id) serves the filter and
    the order, so the cost does not grow with the trail.
    """
    entries = AuditEntry.objects.filter(
        object_type=object_type, object_id=str(object_id)
    )
    if before_id is not None:
        entries = entries.filter(id__lt=before_id)
    return entries.select_related("actor").order_by("-id")[:limit]


def audit_entries_by_actor(
    *,
    actor_label: str,
    since: datetime,
    until: datetime,
    before: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
) -> QuerySet[AuditEntry]:
    """What ``actor_label`` (``"user:12"``, ``"system:<task>"``) did in
    ``[since, until)`` (aware datetimes), newest first (by ``occurred_at``, then
    ``id``), at most ``limit``. For the next page pass the last entry's
    ``(occurred_at, id)`` as ``before``.

    Index ``audit_by_actor_time`` (actor_label, occurred_at, id) serves filter
    and order: the query reads ``limit`` entries however many the actor has in
    the range or outside it (an officer has thousands a year).
    """
    entries = AuditEntry.objects.filter(
        actor_label=actor_label, occurred_at__gte=since, occurred_at__lt=until
    )
    if before is not None:
        at, before_id = before
        entries = entries.filter(
            Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=before_id)
        )
    return entries.select_related("actor").order_by("-occurred_at", "-id")[:limit]
