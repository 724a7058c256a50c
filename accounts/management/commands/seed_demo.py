"""``manage.py seed_demo``: one demo account per role, for ``make run`` only.

Idempotent: existing accounts keep their data, their password is reset to the
printed one. Refuses to run when ``DEBUG`` is off, so it can never seed production.
Besides the named accounts, every agency and role that a step of a published
service needs gets a demo officer (``<role>.<agency>``, e.g. ``teknis.perkim``
for PBG's technical review, ``verifikator.dpmptsp`` for its levy assessment),
so each catalogue journey can be walked to its end; they carry Indonesian
names (``DEMO_OFFICER_NAMES``), like the named accounts.
Loads the catalogue first when no agency exists (officers need agencies and
offices). Demo staff log in without a second factor because the dev settings
turn ``PTSP_STAFF_2FA_REQUIRED`` off.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from accounts.choices import BusinessRole, StaffRole
from accounts.models import Business, BusinessMembership, Officer, User
from accounts.services.staff import _groups_set
from agencies.models import Agency, Office

DEMO_PASSWORD = "demo-ptsp-2026"  # noqa: S105  (printed on purpose; DEBUG only)

# (username, full name, role, agency code, office code, NIK). Role "" = citizen.
DEMO_ACCOUNTS = [
    ("warga", "Budi Santoso", "", None, None, "3671051203850001"),
    ("pengusaha", "Siti Rahayu", "", None, None, "3671074507900002"),
    ("fo.mpp", "Rina Wulandari", StaffRole.FRONT_OFFICE, "DPMPTSP", "mpp", ""),
    ("verifikator.dinkes", "dr. Andi Pratama", StaffRole.VERIFIER, "DINKES", None, ""),
    # The practice licences' Dinkes step needs a technical reviewer (overlay).
    (
        "teknis.dinkes",
        "drg. Sari Wahyuni",
        StaffRole.TECHNICAL_REVIEWER,
        "DINKES",
        None,
        "",
    ),
    ("penyetuju.dpmptsp", "Hendra Gunawan", StaffRole.APPROVER, "DPMPTSP", None, ""),
    ("supervisor.dpmptsp", "Dewi Lestari", StaffRole.SUPERVISOR, "DPMPTSP", None, ""),
    ("kepala.dinkes", "dr. Maria Ulfa", StaffRole.AGENCY_HEAD, "DINKES", None, ""),
    ("fo.cipondoh", "Agus Setiawan", StaffRole.FRONT_OFFICE, None, "kec-cipondoh", ""),
    # BPJS Kesehatan corrections: the evidence check, then the data update.
    ("verifikator.bpjskes", "Lina Marlina", StaffRole.VERIFIER, "BPJSKES", None, ""),
    ("petugas.bpjskes", "Rudi Hartono", StaffRole.APPROVER, "BPJSKES", None, ""),
    ("auditor", "Yuni Kartika", StaffRole.AUDITOR, None, None, ""),
    ("admin", "Admin Portal", StaffRole.ADMIN, None, None, ""),
]


#: Indonesian names of the generated demo officers, handed out in the order of
#: ``step_roles_needed`` (stable for a given catalogue; names may repeat when
#: the catalogue needs more officers than the list holds).
DEMO_OFFICER_NAMES = (
    "Ahmad Fauzi",
    "Nur Aini",
    "Bambang Sutrisno",
    "Fitri Handayani",
    "Joko Susilo",
    "Ratna Sari",
    "Hadi Wijaya",
    "Wulan Puspitasari",
    "Eko Prasetyo",
    "Indah Permatasari",
    "Slamet Riyadi",
    "Yuliana Putri",
    "Dedi Kurniawan",
    "Sri Mulyani",
    "Teguh Santoso",
    "Kartika Dewi",
    "Rahmat Hidayat",
    "Ayu Lestari",
    "Wahyu Nugroho",
    "Siti Nurhaliza",
    "Irfan Maulana",
    "Novi Anggraini",
    "Budi Hartono",
    "Lestari Wulandari",
)

#: The name the generated officers had before they got Indonesian ones
#: (``Demo <role> <agency>``): a re-seed renames them.
OLD_GENERATED_NAME_PREFIX = "Demo "

#: Username prefix of a generated demo officer, per step role.
ROLE_PREFIX = {
    StaffRole.FRONT_OFFICE: "fo",
    StaffRole.VERIFIER: "verifikator",
    StaffRole.TECHNICAL_REVIEWER: "teknis",
    StaffRole.APPROVER: "penyetuju",
}


def step_roles_needed() -> list[tuple[str, str]]:
    """``[(agency code, role)]`` of the agency steps of every published
    service's current version, sorted."""
    from agencies.models import ServiceStep

    return sorted(
        set(
            ServiceStep.objects.filter(
                version__service__is_published=True,
                version__service__current_version=F("version"),
                agency__isnull=False,
            )
            .exclude(role="")
            .values_list("agency__code", "role")
        )
    )


class Command(BaseCommand):
    help = "Create one demo account per role (development only) and print them."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on (development).")
        if not Agency.objects.exists():
            self.stdout.write("No catalogue yet: loading it for the demo officers.")
            call_command("load_catalogue", "--no-holidays", stdout=self.stdout)
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        translation.activate("en")  # the console speaks English
        for username, full_name, role, agency, office, nik in DEMO_ACCOUNTS:
            with transaction.atomic():
                where = self._seed(username, full_name, role, agency, office, nik)
            label = StaffRole(role).label if role else "citizen"
            if username == "pengusaha":
                label = "citizen, business representative"
            self.stdout.write(f"  {username:<20} {label}{where}")
        covered = {(a, r) for _u, _n, r, a, _o, _k in DEMO_ACCOUNTS if a and r}
        covered.add(("DPMPTSP", StaffRole.FRONT_OFFICE))  # fo.mpp
        generated = [
            (agency, role)
            for agency, role in step_roles_needed()
            if (agency, role) not in covered and role in ROLE_PREFIX
        ]
        for n, (agency, role) in enumerate(generated):
            username = f"{ROLE_PREFIX[role]}.{agency.lower()}"
            full_name = DEMO_OFFICER_NAMES[n % len(DEMO_OFFICER_NAMES)]
            with transaction.atomic():
                where = self._seed(username, full_name, role, agency, None, "")
            self.stdout.write(f"  {username:<20} {StaffRole(role).label}{where}")

    def _seed(self, username, full_name, role, agency_code, office_code, nik) -> str:
        now = timezone.now()
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "email": f"{username}@demo.invalid",
                "nik": nik,
                "email_verified_at": now,
            },
        )
        if user.full_name.startswith(OLD_GENERATED_NAME_PREFIX):
            user.full_name = full_name  # an English placeholder of an older seed
        user.is_active = True
        user.is_superuser = role == StaffRole.ADMIN
        user.is_staff = role in (StaffRole.ADMIN, StaffRole.AUDITOR)
        user.set_password(DEMO_PASSWORD)
        user.save()
        if not role:
            if username == "pengusaha":
                business, _new = Business.objects.get_or_create(
                    nib="9120001234567",
                    defaults={
                        "name": "CV Maju Jaya",
                        "npwp": "012345678901000",
                        "created_by": user,
                    },
                )
                BusinessMembership.objects.get_or_create(
                    business=business,
                    user=user,
                    ended_at=None,
                    defaults={
                        "role": BusinessRole.DIRECTOR,
                        "confirmed_at": now,
                        "confirmed_by": user,
                    },
                )
                return f" ({business.name})"
            return ""
        _groups_set(user, role)
        if role in (StaffRole.AUDITOR, StaffRole.ADMIN):
            return ""
        agency = (
            Agency.objects.filter(code=agency_code).first() if agency_code else None
        )
        office = (
            Office.objects.filter(code=office_code).first() if office_code else None
        )
        Officer.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "agency": agency,
                "office": office,
                "is_active": True,
            },
        )
        places = [
            p
            for p in (agency.code if agency else "", str(office) if office else "")
            if p
        ]
        return f" ({', '.join(places)})"
