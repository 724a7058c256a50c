"""Reads for other apps: the SLA state of applications, for sorting and
filtering officer queues (issue 9, "officers sort and filter their queues by due
time and SLA state")."""

from django.db.models import OuterRef, QuerySet, Subquery

from .models import SlaTimer


def with_sla_state(queryset: QuerySet) -> QuerySet:
    """``queryset`` of ``permits.Application`` annotated with ``sla_state`` (a
    ``TimerState`` value, ``None`` for drafts) and ``sla_provisional``; one
    subquery each, no extra round trip. Filter with
    ``.filter(sla_state="breached")``, sort on ``due_at``."""
    timers = SlaTimer.objects.filter(application_id=OuterRef("pk"), step__isnull=True)
    return queryset.annotate(
        sla_state=Subquery(timers.values("state")[:1]),
        sla_provisional=Subquery(timers.values("is_provisional")[:1]),
    )
