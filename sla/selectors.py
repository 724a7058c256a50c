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


def with_sla_clock(queryset: QuerySet, *, application: str = "pk") -> QuerySet:
    """``queryset`` annotated with the application's service clock, for the
    officer queues: ``sla_state`` (a ``TimerState`` value or ``None``) and
    ``sla_remaining`` (``timedelta`` of working time left, written by the
    engine when the clock stops: meaningful while ``paused``, when ``due_at``
    is empty). ``application`` names the application's primary key in the
    queryset (``"pk"`` for applications, ``"application_id"`` for steps).
    Two correlated subqueries on the unique (application, no step) timer,
    evaluated for the rows returned only; no extra round trip."""
    timers = SlaTimer.objects.filter(
        application_id=OuterRef(application), step__isnull=True
    )
    return queryset.annotate(
        sla_state=Subquery(timers.values("state")[:1]),
        sla_remaining=Subquery(timers.values("remaining")[:1]),
    )
