"""Create the missing fee rules from the catalogue (never overwrites)."""

from django.core.management.base import BaseCommand

from audit.context import audit_actor
from payments.services import fee_rules_sync


class Command(BaseCommand):
    help = "Create each service's fee rule from its catalogue fee entry if missing."

    def handle(self, *args, **options) -> None:
        with audit_actor(system="system:seed_fee_rules"):
            created = fee_rules_sync()
        self.stdout.write(f"{created} fee rules created.")
