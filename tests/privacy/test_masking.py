"""NIK and phone are masked in every list; a full NIK shown to staff is logged
as an access."""

from django.contrib.auth.models import Group, Permission

import pytest

from accounts.models import User
from notifications.models import ContactPoint
from privacy.choices import AccessKind
from privacy.models import PersonalDataAccess

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
NIK, PHONE = "3671051203850001", "+6281234567890"


@pytest.fixture
def person(citizen):
    citizen.nik, citizen.phone = NIK, PHONE
    citizen.save(update_fields=["nik", "phone"])
    ContactPoint.objects.create(user=citizen, phone=PHONE)
    return citizen


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/",
        "/admin/notifications/contactpoint/",
        "/admin/permits/application/",
        "/admin/permits/applicationdocument/",
    ],
)
def test_lists_never_show_a_full_nik_or_phone(
    client, auditor_user, person, submitted, path
):
    client.force_login(auditor_user)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert NIK not in page
    assert PHONE not in page
    assert PHONE.removeprefix("+62") not in page


def test_a_full_nik_in_the_admin_is_logged_as_an_access(client, person):
    admin = User.objects.create_user(
        username="admin1", password="x-Rahasia-123", is_staff=True
    )
    group = Group.objects.get_or_create(name="admin")[0]
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["view_user", "change_user", "view_nik"]
        )
    )
    admin.groups.add(group)
    client.force_login(admin)
    response = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert response.status_code == 200
    assert NIK in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.kind == AccessKind.NIK
    assert access.subject == person
    assert access.viewer_role == "admin"


def test_a_masked_nik_is_not_logged(client, auditor_user, person):
    client.force_login(auditor_user)
    response = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert response.status_code == 200
    assert NIK not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()
