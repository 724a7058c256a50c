"""``manage.py seed_queue_demo``: a queue at the MPP for ``make run`` only.

Service groups A (permits and other services), B (civil registration, Dukcapil)
and C (BPJS), six counters, a counter officer ``loket1`` (counters 1-3) and the
office head ``kepala``, with the demo password of ``seed_demo``. Idempotent.
Refuses to run when ``DEBUG`` is off, and before ``load_catalogue``.

Also a demo service point (``DEMO_OFFICE``) whose service-hours calendar is
open every day 00:00-24:00 WIB (national holidays still close it), so the
walk-in queue can be tried on a weekend evening; its name says it is a demo.
Counter 1 there, operated by ``loket.demo``.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.management.commands.seed_demo import DEMO_PASSWORD
from accounts.models import Officer, User
from accounts.roles import FRONT_OFFICE, OFFICE_HEAD
from agencies.choices import CalendarKind, OfficeKind, Weekday
from agencies.models import Calendar, Office, Service, WeeklyInterval
from audit.context import audit_actor
from queueing.models import Counter, CounterOperator, ServiceGroup

GROUPS = [
    ("A", "Perizinan dan layanan lain", "Permits and other services", None),
    ("B", "Kependudukan (Dukcapil)", "Civil registration (Dukcapil)", ["DUKCAPIL"]),
    ("C", "BPJS", "BPJS", ["BPJSKES", "BPJSTK"]),
]
COUNTERS = [(1, "A"), (2, "A"), (3, "A"), (4, "B"), (5, "B"), (6, "C")]

#: The always-open demo service point (development only).
DEMO_OFFICE = "demo-24jam"
DEMO_CALENDAR = "demo-24jam"
#: The last instant a TimeField holds: the interval runs to midnight.
END_OF_DAY = dt.time(23, 59, 59, 999999)


class Command(BaseCommand):
    help = "Set up a demo queue at the MPP (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_queue_demo only runs with DEBUG on.")
        office = Office.objects.filter(code="mpp").first()
        if office is None:
            raise CommandError("Run load_catalogue first (no office 'mpp').")
        with audit_actor(system="system:seed_queue_demo"), transaction.atomic():
            self._seed(office)
            self._seed_always_open()

    def _seed(self, office: Office) -> None:
        groups = {}
        claimed: set[int] = set()
        for prefix, name, name_en, agencies in reversed(GROUPS):
            group, _ = ServiceGroup.objects.get_or_create(
                office=office,
                prefix=prefix,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "booking_capacity": 4,
                    "sort_order": ord(prefix),
                },
            )
            services = Service.objects.filter(is_published=True).exclude(pk__in=claimed)
            if agencies:
                services = services.filter(agency__code__in=agencies)
            group.services.set(services)
            claimed |= set(services.values_list("pk", flat=True))
            groups[prefix] = group
        officer = self._officer("loket1", "Petugas Loket 1", FRONT_OFFICE, office)
        for number, prefix in COUNTERS:
            counter, _ = Counter.objects.get_or_create(office=office, number=number)
            counter.service_groups.set([groups[prefix]])
            if number <= 3:
                CounterOperator.objects.get_or_create(counter=counter, officer=officer)
        # The office head reads the statistics by role; no supervisor row needed.
        self._officer("kepala", "Kepala MPP", OFFICE_HEAD, office)
        self.stdout.write(
            f"Queue demo at {office.code}: groups A, B, C; counters 1-6; "
            f"loket1 (counters 1-3) and kepala (statistics), password {DEMO_PASSWORD}."
        )

    def _seed_always_open(self) -> None:
        """The demo service point open every day, around the clock."""
        calendar, _ = Calendar.objects.get_or_create(
            code=DEMO_CALENDAR,
            defaults={
                "name": "DEMO: buka setiap hari 00.00-24.00",
                "name_en": "DEMO: open every day 00:00-24:00",
                "kind": CalendarKind.SERVICE_HOURS,
                "is_assumed": True,
                "note": "Development demo only (seed_queue_demo); not a real office.",
            },
        )
        for day in Weekday:
            WeeklyInterval.objects.get_or_create(
                calendar=calendar,
                weekday=day,
                opens_at=dt.time(0, 0),
                defaults={"closes_at": END_OF_DAY},
            )
        office, _ = Office.objects.get_or_create(
            code=DEMO_OFFICE,
            defaults={
                "name": "DEMO Loket 24 jam (bukan kantor sungguhan)",
                "name_en": "DEMO 24-hour counter (not a real office)",
                "kind": OfficeKind.MPP,
                "service_calendar": calendar,
                "address": "Hanya untuk demo pengembangan.",
            },
        )
        group, _ = ServiceGroup.objects.get_or_create(
            office=office,
            prefix="D",
            defaults={
                "name": "Semua layanan (demo)",
                "name_en": "All services (demo)",
                "booking_capacity": 4,
                "sort_order": ord("D"),
            },
        )
        group.services.set(Service.objects.filter(is_published=True))
        counter, _ = Counter.objects.get_or_create(office=office, number=1)
        counter.service_groups.set([group])
        officer = self._officer("loket.demo", "Yanti Susanti", FRONT_OFFICE, office)
        CounterOperator.objects.get_or_create(counter=counter, officer=officer)
        self.stdout.write(
            f"Demo service point {DEMO_OFFICE}: open every day 00:00-24:00 WIB, "
            f"counter 1, loket.demo, password {DEMO_PASSWORD}."
        )

    def _officer(self, username: str, full_name: str, role: str, office) -> Officer:
        """An officer of ``office`` with ``role``; the role group gives the
        queue permissions (``accounts.roles``)."""
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": f"{username}@demo.invalid"},
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        officer, _ = Officer.objects.get_or_create(
            user=user, defaults={"office": office, "role": role}
        )
        user.groups.add(Group.objects.get(name=officer.role))
        return officer
