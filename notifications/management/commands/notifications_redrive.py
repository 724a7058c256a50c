"""Hand pending, due and abandoned notifications to the broker now (what beat does
every minute), e.g. after restoring a broker."""

from django.core.management.base import BaseCommand

from audit.context import audit_actor
from notifications.services import notifications_redrive


class Command(BaseCommand):
    help = "Publish a send task for every notification that is due and not in a queue."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args, limit: int | None = None, **options) -> None:
        with audit_actor(system="system:notifications_redrive"):
            count = notifications_redrive(limit=limit)
        self.stdout.write(f"{count} notification(s) handed to the broker.")
