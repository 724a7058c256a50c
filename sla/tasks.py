"""Celery tasks of the SLA engine: thin, safe to run twice or concurrently."""

from celery import shared_task

from audit.context import audit_actor

from .services import sla_recompute, sla_sweep


@shared_task
def sla_sweep_task() -> dict:
    """Beat, every minute: fire the warnings and breaches that came due."""
    with audit_actor(system="system:sla_sweep"):
        report = sla_sweep()
    return {
        "checked": report.checked,
        "warnings": report.warnings,
        "breaches": report.breaches,
    }


@shared_task
def sla_recompute_task() -> int:
    """After a calendar or holiday change: recompute every open deadline."""
    with audit_actor(system="system:sla_recompute"):
        return sla_recompute()
