"""``seed_demo`` gives every catalogue journey an officer for each of its
agency steps, e.g. PBG's Disperkimtan technical review and DPMPTSP levy
assessment (SKRD)."""

from django.core.management import call_command

import pytest

from accounts.management.commands.seed_demo import step_roles_needed
from accounts.models import Officer
from agencies.catalogue_loader import read_catalogue
from agencies.services import catalogue_apply
from audit.context import audit_actor

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_every_step_role_of_the_catalogue_has_a_demo_officer(settings):
    with audit_actor(system="system:test"):
        catalogue_apply(plan=read_catalogue(), reason="tests", holiday_years=())
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)  # idempotent
    have = set(
        Officer.objects.filter(is_active=True, agency__isnull=False).values_list(
            "agency__code", "role"
        )
    )
    needed = step_roles_needed()
    assert ("PERKIM", "technical_reviewer") in needed
    assert ("DPMPTSP", "verifier") in needed
    assert set(needed) <= have
    assert Officer.objects.get(user__username="teknis.perkim").agency.code == "PERKIM"
    skrd = Officer.objects.get(user__username="verifikator.dpmptsp")
    assert (skrd.agency.code, skrd.role) == ("DPMPTSP", "verifier")


def test_demo_officers_carry_indonesian_names(settings):
    """Generated officers (one per agency step role) get names from
    ``DEMO_OFFICER_NAMES``, never an English placeholder, and a re-seed renames
    the placeholders an older seed left."""
    from accounts.management.commands.seed_demo import DEMO_OFFICER_NAMES
    from accounts.models import User

    with audit_actor(system="system:test"):
        catalogue_apply(plan=read_catalogue(), reason="tests", holiday_years=())
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    teknis = User.objects.get(username="teknis.perkim")
    assert teknis.full_name in DEMO_OFFICER_NAMES
    with audit_actor(system="system:test"):  # as an older seed named it
        teknis.full_name = "Demo Technical reviewer PERKIM"
        teknis.save(update_fields=["full_name"])
    call_command("seed_demo", stdout=None)
    names = list(
        User.objects.filter(officer__isnull=False).values_list("full_name", flat=True)
    )
    assert not [n for n in names if n.startswith("Demo ")]
    teknis.refresh_from_db()
    assert teknis.full_name in DEMO_OFFICER_NAMES
