"""``{% sla_expected application as sla %}``: the expected completion shown to
citizens on the timeline, the tracking page and the receipt (issue 9);
``{{ duration|sla_hours_minutes }}``: working time as whole hours and minutes
for the officer queues."""

import datetime as dt

from django import template
from django.utils import timezone

from sla.calendars import working_calendar
from sla.models import SlaTimer, TimerState

register = template.Library()


@register.simple_tag
def sla_expected(application) -> dict | None:
    """``{"state", "due_at", "left_hours", "left_minutes", "provisional"}`` for
    the application's service deadline, or ``None`` when there is nothing to
    show (draft, finished, clock not started). ``left_*`` is the working time
    left now (running) or when the clock stopped (paused), never negative."""
    if application is None or not getattr(application, "pk", None):
        return None
    timer = (
        SlaTimer.objects.filter(application_id=application.pk, step__isnull=True)
        .select_related("calendar")
        .first()
    )
    if timer is None or timer.state not in (
        TimerState.RUNNING,
        TimerState.PAUSED,
        TimerState.BREACHED,
    ):
        return None
    if timer.state == TimerState.PAUSED:
        left = timer.remaining
    else:
        left = working_calendar(timer.calendar).remaining(timezone.now(), timer.due_at)
    seconds = max(int(left.total_seconds()), 0) if left is not None else 0
    return {
        "state": timer.state,
        "due_at": timer.due_at,
        "left_hours": seconds // 3600,
        "left_minutes": seconds % 3600 // 60,
        "provisional": timer.is_provisional,
    }


@register.filter
def sla_hours_minutes(left: dt.timedelta | None) -> dict | None:
    """``{"hours", "minutes"}`` of a working-time ``timedelta`` (never
    negative, seconds dropped), ``None`` for ``None``: the template words it
    (``{% blocktranslate %}{{ hours }} h {{ minutes }} min{% endblocktranslate %}``)."""
    if left is None:
        return None
    seconds = max(int(left.total_seconds()), 0)
    return {"hours": seconds // 3600, "minutes": seconds % 3600 // 60}
