"""Recompute every open SLA deadline from the current calendars (after a bulk
change made outside the portal, or when the broker was down)."""

from django.core.management.base import BaseCommand

from audit.context import audit_actor
from sla.services import sla_recompute


class Command(BaseCommand):
    help = "Recompute every open SLA deadline from the current calendars."

    def handle(self, *args, **options) -> None:
        with audit_actor(system="system:sla_recompute"):
            moved = sla_recompute()
        self.stdout.write(f"{moved} deadlines recomputed.")
