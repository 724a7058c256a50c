"""Serve the fake payment gateway on loopback for the development portal."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from payments.gateways.fake import FakeGateway


class Command(BaseCommand):
    help = (
        "Run the fake payment gateway on 127.0.0.1 (development only: it pays "
        "without money and signs callbacks with PAYMENTS_GATEWAY_SECRET)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8199)
        parser.add_argument("--portal", default="http://127.0.0.1:8000")

    def handle(self, *args, port: int, portal: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The fake gateway runs only with DEBUG on.")
        if not settings.PAYMENTS_GATEWAY_SECRET:
            raise CommandError("Set PAYMENTS_GATEWAY_SECRET first.")
        gateway = FakeGateway(
            portal_url=portal, secret=settings.PAYMENTS_GATEWAY_SECRET, port=port
        ).start()
        self.stdout.write(f"Fake gateway on {gateway.url}, portal {portal}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            gateway.stop()
