"""Calendar and holiday changes recompute the open deadlines (issue 9).

Any save or delete of a holiday, a calendar's weekly hours, an override or its
intervals (admin, import command or shell) schedules ``sla_recompute_task`` after
the commit; the task recomputes every open deadline set-based
(``sla.services.sla_recompute``). Connected in ``SlaConfig.ready``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from agencies.models import (
    CalendarOverride,
    Holiday,
    OverrideInterval,
    WeeklyInterval,
)


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures
    from .services import sla_recompute_later

    sla_recompute_later()


def connect() -> None:
    for model in (Holiday, CalendarOverride, OverrideInterval, WeeklyInterval):
        post_save.connect(_changed, sender=model, dispatch_uid=f"sla-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"sla-del-{model.__name__}"
        )
    m2m_changed.connect(
        _changed,
        sender=CalendarOverride.calendars.through,
        dispatch_uid="sla-override-calendars",
    )
