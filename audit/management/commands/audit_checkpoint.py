"""``manage.py audit_checkpoint``: seal, sign a checkpoint of the chain's head and
print it as JSON, ready to publish (beat does this daily at 00:05 WIB).

``--show`` prints the latest checkpoint without making one; ``--all`` prints every
checkpoint, one JSON object per line, for an archive kept outside the portal
(``audit_verify --published FILE`` checks the trail against such an archive).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import checkpoint_as_dict, checkpoint_create
from audit.models import AuditCheckpoint
from audit.sealing import audit_seal


class Command(BaseCommand):
    help = "Sign (or show) a checkpoint of the audit chain and print it as JSON."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--show", action="store_true", help="Print the latest; make none."
        )
        group.add_argument(
            "--all", action="store_true", help="Print every checkpoint (JSON lines)."
        )

    def handle(self, *args, show: bool, **options):
        if options["all"]:
            for checkpoint in AuditCheckpoint.objects.order_by("number").iterator():
                self.stdout.write(json.dumps(checkpoint_as_dict(checkpoint)))
            return
        if show:
            checkpoint = AuditCheckpoint.objects.order_by("-number").first()
            if checkpoint is None:
                raise CommandError("No checkpoint yet: run audit_checkpoint.")
        else:
            audit_seal()
            checkpoint = checkpoint_create()
        self.stdout.write(json.dumps(checkpoint_as_dict(checkpoint), indent=2))
