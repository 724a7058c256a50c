"""``manage.py audit_seal``: seal committed audit entries now (beat does it every
minute)."""

from django.core.management.base import BaseCommand

from audit.context import audit_actor
from audit.sealing import audit_seal, chain_head


class Command(BaseCommand):
    help = "Seal every committed audit entry into the hash chain."

    def handle(self, *args, **options):
        with audit_actor(system="system:audit_seal"):
            sealed = audit_seal()
        seq, head = chain_head()
        self.stdout.write(f"Sealed {sealed} entries; chain head #{seq} {head}")
