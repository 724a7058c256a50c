"""The permission helper: one table of who may do what to which object, and NIK
masking wherever a person is shown."""

import pytest

from accounts.choices import BusinessRole, OfficerRole, StaffRole
from accounts.models import Business, BusinessMembership
from accounts.permissions import (
    UnknownAction,
    home_url,
    is_citizen,
    is_staff_member,
    rule,
    user_can,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(
    make_citizen, make_staff, dinkes, dpmptsp, mpp, kec_cipondoh, django_user_model
):
    business = Business.objects.create(
        name="CV Maju", nib="9120001234567", created_by=make_citizen()
    )
    director = make_citizen(full_name="Direktur")
    BusinessMembership.objects.create(
        business=business,
        user=director,
        role=BusinessRole.DIRECTOR,
        confirmed_at="2026-01-01T00:00Z",
    )
    employee = make_citizen(full_name="Karyawan")
    BusinessMembership.objects.create(
        business=business,
        user=employee,
        role=BusinessRole.EMPLOYEE,
        confirmed_at="2026-01-01T00:00Z",
    )
    waiting = make_citizen(full_name="Menunggu")
    BusinessMembership.objects.create(
        business=business, user=waiting, role=BusinessRole.OWNER
    )
    return {
        "business": business,
        "citizen": make_citizen(),
        "director": director,
        "employee": employee,
        "waiting": waiting,
        "front_office": make_staff(
            OfficerRole.FRONT_OFFICE, agency=dpmptsp, office=mpp
        ),
        "kec_front_office": make_staff(OfficerRole.FRONT_OFFICE, office=kec_cipondoh),
        "verifier": make_staff(OfficerRole.VERIFIER, agency=dinkes),
        "reviewer": make_staff(OfficerRole.TECHNICAL_REVIEWER, agency=dinkes),
        "supervisor": make_staff(OfficerRole.SUPERVISOR, agency=dinkes),
        "head": make_staff(OfficerRole.AGENCY_HEAD, agency=dinkes),
        "other_head": make_staff(OfficerRole.AGENCY_HEAD, agency=dpmptsp),
        "auditor": make_staff(StaffRole.AUDITOR),
        "admin": make_staff(StaffRole.ADMIN),
        "dinkes": dinkes,
        "dpmptsp": dpmptsp,
    }


# (who, action, object, allowed)
TABLE = [
    ("citizen", "account.view_nik", "citizen", False),  # not even one's own, unmasked
    ("front_office", "account.view_nik", "citizen", True),
    ("verifier", "account.view_nik", "citizen", True),
    ("reviewer", "account.view_nik", "citizen", False),
    ("supervisor", "account.view_nik", "citizen", False),
    ("auditor", "account.view_nik", "citizen", False),
    ("admin", "account.view_nik", "citizen", True),
    ("admin", "account.manage_staff", None, True),
    ("head", "account.manage_staff", None, False),
    ("director", "business.act_for", "business", True),
    ("employee", "business.act_for", "business", True),
    ("waiting", "business.act_for", "business", False),
    ("citizen", "business.act_for", "business", False),
    ("director", "business.manage_members", "business", True),
    ("employee", "business.manage_members", "business", False),
    ("verifier", "agency.work_in", "dinkes", True),
    ("verifier", "agency.work_in", "dpmptsp", False),
    ("verifier", "agency.read", "dpmptsp", False),
    ("auditor", "agency.read", "dpmptsp", True),
    ("auditor", "agency.work_in", "dpmptsp", False),
    ("admin", "agency.read", "dinkes", True),
    ("kec_front_office", "agency.work_in", "dinkes", False),
    ("verifier", "delegation.create", "verifier.officer", True),  # own leave
    ("reviewer", "delegation.create", "verifier.officer", False),
    ("supervisor", "delegation.create", "verifier.officer", True),
    ("head", "delegation.create", "verifier.officer", True),
    ("other_head", "delegation.create", "verifier.officer", False),
    ("auditor", "delegation.create", "verifier.officer", False),
    ("admin", "delegation.create", "verifier.officer", True),
    ("reviewer", "officer.view", "verifier.officer", True),
    ("front_office", "officer.view", "verifier.officer", False),
    ("auditor", "officer.view", "verifier.officer", True),
    ("head", "delegation.sign_for", "head.officer", True),
    ("verifier", "delegation.sign_for", "verifier.officer", False),  # not a signatory
]


@pytest.mark.parametrize(("who", "action", "target", "allowed"), TABLE)
def test_permission_table(people, who, action, target, allowed):
    obj = None
    if target is not None:
        name, _dot, attr = target.partition(".")
        obj = people[name]
        if attr:
            obj = getattr(obj, attr)
    assert user_can(people[who], action, obj) is allowed


def test_anonymous_and_inactive_users_may_do_nothing(people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not user_can(AnonymousUser(), "agency.read", people["dinkes"])
    people["auditor"].is_active = False
    assert not user_can(people["auditor"], "agency.read", people["dinkes"])


def test_unknown_actions_are_a_programming_error(people):
    with pytest.raises(UnknownAction):
        user_can(people["admin"], "application.teleport")


def test_other_apps_register_their_rules():
    @rule("test.anything")
    def anything(user, obj) -> bool:
        return obj == "yes"

    with pytest.raises(ValueError, match="already registered"):
        rule("test.anything")(lambda user, obj: True)


def test_role_helpers_and_homes(people):
    assert is_citizen(people["director"])
    assert not is_staff_member(people["director"])
    assert is_staff_member(people["kec_front_office"])
    assert home_url(people["citizen"]) == "/akun/"
    assert home_url(people["verifier"]) == "/akun/petugas/"
    assert home_url(people["auditor"]) == "/akun/auditor/"
    assert home_url(people["admin"]) == "/admin/"


class TestMasking:
    def test_account_page_masks_the_nik(self, client, people):
        citizen = people["citizen"]
        client.force_login(citizen)
        page = client.get("/akun/").text
        assert citizen.nik not in page
        assert citizen.nik_masked in page

    def test_api_masks_the_nik(self, client, people):
        citizen = people["citizen"]
        client.force_login(citizen)
        body = client.get("/api/v1/accounts/me/").json()
        assert body["nik"] == f"{citizen.nik[:4]}********{citizen.nik[-4:]}"

    def test_admin_shows_the_nik_only_to_who_may_see_it(self, client, people):
        citizen = people["citizen"]
        url = f"/admin/accounts/user/{citizen.pk}/change/"
        client.force_login(people["auditor"])  # read-only admin, no view_nik
        page = client.get(url)
        assert page.status_code == 200
        assert citizen.nik not in page.text
        assert citizen.nik_masked in page.text
        client.force_login(people["admin"])
        assert citizen.nik in client.get(url).text
