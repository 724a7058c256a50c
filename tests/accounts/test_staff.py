"""Staff accounts: created by admins, one by one or from CSV (all or nothing, with
a per-row report); invitations; roles as groups."""

import re

from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import OfficerRole
from accounts.models import Officer, User
from accounts.roles import ROLE_GROUPS, ROLE_PERMISSIONS
from accounts.services import StaffImportError, staff_import
from notifications.models import Notification

from .conftest import deliver_all

pytestmark = pytest.mark.django_db

HEADER = "username,full_name,email,role,agency,office,nip\n"


@pytest.fixture
def places(dinkes, mpp, kec_cipondoh):
    return {"dinkes": dinkes, "mpp": mpp, "kec": kec_cipondoh}


def test_import_creates_every_row_with_groups_and_invitations(places):
    text = (
        HEADER
        + "fo1,Rina,rina@kota.example,front_office,DPMPTSP,mpp,\n"
        + "ver1,Andi,andi@kota.example,verifier,DINKES,,198001012005011001\n"
        + "kec1,Agus,agus@kota.example,front_office,,kec-cipondoh,\n"
        + "aud1,Yuni,yuni@kota.example,auditor,,,\n"
    )
    users = staff_import(text=text)
    assert [u.username for u in users] == ["fo1", "ver1", "kec1", "aud1"]
    kec = Officer.objects.get(user__username="kec1")
    assert kec.agency is None
    assert kec.office.code == "kec-cipondoh"
    assert list(
        User.objects.get(username="ver1").groups.values_list("name", flat=True)
    ) == ["verifier"]
    auditor = User.objects.get(username="aud1")
    assert auditor.is_staff
    assert not hasattr(auditor, "officer")
    assert Notification.objects.filter(event="account.verification").count() == 4


def test_one_bad_row_imports_nothing_and_reports_every_problem(places, make_staff):
    make_staff(OfficerRole.VERIFIER, agency=places["dinkes"], username="taken")
    text = (
        HEADER
        + "ok1,Rina,rina@kota.example,front_office,DPMPTSP,mpp,\n"
        + "taken,Andi,andi@kota.example,verifier,DINKES,,\n"
        + "x2,,bukan-email,kepala,NOPE,,123\n"
        + "ok1,Dup,rina@kota.example,agency_head,,mpp,\n"
    )
    with pytest.raises(StaffImportError) as caught:
        staff_import(text=text)
    problems = {(line, column) for line, column, _message in caught.value.errors}
    assert (3, "username") in problems  # exists already
    assert {
        (4, "full_name"),
        (4, "email"),
        (4, "role"),
        (4, "agency"),
        (4, "nip"),
    } <= problems
    assert {
        (5, "username"),
        (5, "email"),
        (5, "agency"),
    } <= problems  # duplicates, head
    assert not User.objects.filter(username="ok1").exists()


def test_semicolon_csv_with_bom_is_read(places):
    text = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + "v;Andi;a@kota.example;verifier;DINKES;;\n"
    )
    assert staff_import(text=text, invite=False)[0].officer.agency.code == "DINKES"


def test_admin_import_page_reports_and_imports(client, places, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@kota.example", "x")
    client.force_login(admin)
    url = reverse("admin:accounts_user_staff_import")
    bad = SimpleUploadedFile(
        "staf.csv", (HEADER + "a,,a@x.example,verifier,DINKES,,\n").encode()
    )
    response = client.post(url, {"file": bad, "send_invitations": "on"})
    assert response.status_code == 200
    assert 'id="import-report"' in response.text
    assert User.objects.count() == 1
    good = SimpleUploadedFile(
        "staf.csv", (HEADER + "a,Ani,a@x.example,verifier,DINKES,,\n").encode()
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert Officer.objects.get().user.username == "a"


def test_admin_add_staff_member(client, places, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@kota.example", "x")
    client.force_login(admin)
    url = reverse("admin:accounts_user_staff_add")
    response = client.post(
        url,
        {
            "username": "head",
            "full_name": "Kepala",
            "email": "k@kota.example",
            "role": "agency_head",
            "agency": "",
            "office": places["mpp"].pk,
        },
    )
    assert response.status_code == 200  # an agency head needs an agency
    assert "agency" in response.context["form"].errors
    response = client.post(
        url,
        {
            "username": "head",
            "full_name": "Kepala",
            "email": "k@kota.example",
            "role": "agency_head",
            "agency": places["dinkes"].pk,
            "office": "",
        },
    )
    assert response.status_code == 302
    assert Officer.objects.get().role == "agency_head"


def test_non_admin_staff_cannot_create_staff(client, verifier):
    client.force_login(verifier)
    assert client.get(reverse("admin:accounts_user_staff_import")).status_code in (
        302,
        403,
    )


def test_every_role_is_a_group_with_its_permissions():
    for name in ROLE_GROUPS:
        group = Group.objects.get(name=name)
        held = {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }
        assert set(ROLE_PERMISSIONS[name]) <= held, name
    auditor = Group.objects.get(name="auditor")
    assert (
        not auditor.permissions.exclude(codename__startswith="view_")
        .exclude(codename="view_all_agencies")
        .exists()
    )
    # Nobody reading the admin sees authenticator (TOTP) secrets.
    assert not auditor.permissions.filter(content_type__app_label="otp_totp").exists()
    assert not admin.site.is_registered(TOTPDevice)


def test_invitation_link_sets_the_password_once(client, places):
    staff_import(text=HEADER + "v,Andi,andi@kota.example,verifier,DINKES,,\n")
    deliver_all()
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path, {"new_password": "kopi-tubruk-2026"})
    assert response.status_code == 302
    user = User.objects.get(username="v")
    assert user.check_password("kopi-tubruk-2026")
    assert client.__class__().get("/" + path).status_code == 400  # used


def test_only_signatories_hold_the_decide_permission(make_staff, dinkes):
    """``permits.decide_application`` follows the role group: the approver and
    the agency head hold it, the front office and verifier do not."""
    holds = {
        role: make_staff(role, agency=dinkes).has_perm("permits.decide_application")
        for role in (
            OfficerRole.APPROVER,
            OfficerRole.AGENCY_HEAD,
            OfficerRole.FRONT_OFFICE,
            OfficerRole.VERIFIER,
        )
    }
    assert holds == {
        OfficerRole.APPROVER: True,
        OfficerRole.AGENCY_HEAD: True,
        OfficerRole.FRONT_OFFICE: False,
        OfficerRole.VERIFIER: False,
    }
