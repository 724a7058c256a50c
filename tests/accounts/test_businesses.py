"""Businesses and memberships, and the selector the applications issue uses."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest

from accounts.choices import BusinessRole
from accounts.models import BusinessMembership
from accounts.selectors import businesses_for
from accounts.services import business_register, membership_confirm, membership_end

pytestmark = pytest.mark.django_db


def test_first_registrant_is_confirmed_later_ones_wait(make_citizen):
    siti, budi = make_citizen(), make_citizen()
    first = business_register(
        user=siti,
        name="CV Maju",
        nib="9120-0012-34567",
        npwp="01.234.567.8-901.000",
        role=BusinessRole.DIRECTOR,
    )
    assert first.is_confirmed
    assert first.business.nib == "9120001234567"
    assert first.business.npwp == "012345678901000"
    second = business_register(
        user=budi,
        name="another name",
        nib="9120001234567",
        npwp="",
        role=BusinessRole.EMPLOYEE,
    )
    assert not second.is_confirmed
    assert list(businesses_for(budi)) == []
    with pytest.raises(PermissionDenied):
        membership_confirm(membership=second, by=budi)
    membership_confirm(membership=second, by=siti)
    assert list(businesses_for(budi)) == [first.business]
    assert first.business.name == "CV Maju"  # the late declaration changed nothing


def test_bad_nib_and_staff_are_refused(make_citizen, verifier):
    with pytest.raises(ValidationError) as caught:
        business_register(
            user=make_citizen(), name="X", nib="123", npwp="", role="owner"
        )
    assert "nib" in caught.value.message_dict
    with pytest.raises(ValidationError):
        business_register(
            user=verifier, name="X", nib="9120001234567", npwp="", role="owner"
        )


def test_last_manager_cannot_leave_others_behind(make_citizen):
    siti, budi = make_citizen(), make_citizen()
    owner = business_register(
        user=siti, name="CV", nib="9120001234567", npwp="", role="owner"
    )
    staff = business_register(
        user=budi, name="CV", nib="9120001234567", npwp="", role="employee"
    )
    membership_confirm(membership=staff, by=siti)
    with pytest.raises(ValidationError):
        membership_end(membership=owner, by=siti)
    membership_end(membership=staff, by=budi)
    membership_end(membership=owner, by=siti)
    assert list(businesses_for(siti)) == []


def test_page_adds_a_business_and_hides_other_peoples_memberships(client, make_citizen):
    siti, stranger = make_citizen(), make_citizen()
    client.force_login(siti)
    response = client.post(
        reverse("accounts:businesses"),
        {"name": "CV Maju", "nib": "9120001234567", "npwp": "", "role": "owner"},
    )
    assert response.status_code == 302
    membership = BusinessMembership.objects.get()
    client.force_login(stranger)
    url = reverse("accounts:membership_action", args=[membership.pk, "end"])
    assert client.post(url).status_code == 404
    assert BusinessMembership.objects.get().ended_at is None


def test_api_lists_the_businesses_one_may_apply_as(client, make_citizen):
    siti = make_citizen()
    business_register(
        user=siti, name="CV Maju", nib="9120001234567", npwp="", role="owner"
    )
    client.force_login(siti)
    body = client.get("/api/v1/accounts/me/businesses/").json()
    assert [b["nib"] for b in body] == ["9120001234567"]
