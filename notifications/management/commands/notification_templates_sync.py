"""Create the missing notification templates from the events' defaults (``migrate``
does this too); ``--reset`` restores every template to its default text."""

from django.core.management.base import BaseCommand

from notifications.services import notification_templates_sync


class Command(BaseCommand):
    help = "Create missing notification templates; --reset restores the defaults."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, reset: bool = False, **options) -> None:
        count = notification_templates_sync(reset=reset)
        self.stdout.write(f"{count} template(s) written.")
