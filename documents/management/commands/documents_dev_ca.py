"""Create the development certificate authority and signatory certificate
used by ``documents.signing.LocalCASigner`` (also created on first use)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.signing import dev_ca_ensure


class Command(BaseCommand):
    help = "Create the development CA and signatory certificate under var/signing/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Replace existing files."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not getattr(
            settings, "DATA_GENERATOR_ENABLED", False
        ):
            raise CommandError(
                "Refusing outside development: production signs with a PSrE "
                "certificate (DOCUMENTS_SIGNER=documents.signing.Pkcs12Signer)."
            )
        ca, p12 = dev_ca_ensure(Path(settings.DOCUMENTS_SIGNING_DIR), force=force)
        self.stdout.write(f"CA certificate: {ca}\nSignatory key and certificate: {p12}")
