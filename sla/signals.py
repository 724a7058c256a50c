"""Calendar and holiday changes recompute the open deadlines (issue 9).

Any save or delete of a holiday, a calendar's weekly hours, an override or its
intervals, a change of an agency's working-time calendar or of a service's SLA
policy (admin, import command or shell) schedules ``sla_recompute_task`` after
the commit; the task recomputes every open deadline set-based
(``sla.services.sla_recompute``). Connected in ``SlaConfig.ready``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from agencies.models import (
    Agency,
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


def _agency_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or kwargs.get("created"):
        return
    # Only a change of the working-time calendar matters; cheap to test.
    if instance.working_calendar_id != getattr(instance, "_sla_calendar_id", None):
        _changed(sender, **kwargs)


def _agency_loaded(sender, instance, **kwargs) -> None:
    instance._sla_calendar_id = instance.working_calendar_id


def connect() -> None:
    from django.db.models.signals import post_init

    from .models import SlaPolicy

    post_init.connect(_agency_loaded, sender=Agency, dispatch_uid="sla-agency-init")
    post_save.connect(_agency_changed, sender=Agency, dispatch_uid="sla-agency")
    post_save.connect(_changed, sender=SlaPolicy, dispatch_uid="sla-policy")
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
