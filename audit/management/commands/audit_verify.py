"""``manage.py audit_verify``: verify the whole seal chain and its checkpoints.

Exit status 0 when intact, 1 when broken (the first broken entry is named).
``--published FILE`` adds checkpoints archived outside the portal (JSON lines from
``audit_checkpoint --all`` or objects from the public endpoint); ``--json`` prints
the full result.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.verification import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's seal chain and signed checkpoints."

    def add_arguments(self, parser):
        parser.add_argument(
            "--published",
            type=Path,
            help="File of published checkpoints, one JSON object per line.",
        )
        parser.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="Start at the latest signed checkpoint instead of the first seal.",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, published, since_checkpoint, **options):
        archive = self._read(published) if published else []
        result = audit_verify(since_checkpoint=since_checkpoint, published=archive)
        as_json = options["json"]
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
        else:
            self.stdout.write(
                f"Checked {result.entries_checked} entries "
                f"(#{result.start_seq + 1}..#{result.last_seq}) and "
                f"{result.checkpoints_checked} checkpoints in "
                f"{result.seconds:.2f} s ({result.rate:,.0f} entries/s); "
                f"head {result.head_hash}; {result.unsealed} not sealed yet."
            )
            for problem in result.problems:
                self.stderr.write(f"BROKEN [{problem.kind}] {problem.message}")
            if result.first_broken is not None:
                broken = result.first_broken
                self.stderr.write(
                    f"First broken entry: id {broken.entry_id} (seal #{broken.seq})."
                )
        if not result.ok:
            raise CommandError("The audit trail is broken.", returncode=1)
        if not as_json:
            self.stdout.write(self.style.SUCCESS("The audit trail is intact."))

    @staticmethod
    def _read(path: Path) -> list[dict]:
        text = path.read_text()
        try:
            if text.lstrip().startswith("["):
                return json.loads(text)
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as exc:
            raise CommandError(f"{path}: not JSON lines ({exc}).") from exc
