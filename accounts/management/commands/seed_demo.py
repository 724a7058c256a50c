"""``manage.py seed_demo``: one demo account per role, for ``make run`` only.

Idempotent: existing accounts keep their data, their password is reset to the
printed one. Refuses to run when ``DEBUG`` is off, so it can never seed production.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User

# (username, full name, staff, superuser). Later issues add officer roles here.
DEMO_ACCOUNTS = [
    ("admin", "Admin Portal", True, True),
    ("warga", "Budi Santoso", False, False),
]
DEMO_PASSWORD = "demo-ptsp-2026"  # noqa: S105  (printed on purpose; DEBUG only)


class Command(BaseCommand):
    help = "Create one demo account per role (development only) and print them."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on (development).")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, full_name, staff, superuser in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "email": f"{username}@demo.invalid"},
            )
            user.is_staff = staff
            user.is_superuser = superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            role = "superuser" if superuser else ("staff" if staff else "citizen")
            self.stdout.write(f"  {username:<12} {role}")
