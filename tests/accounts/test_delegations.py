"""Leave handovers and signing delegations: windows, rules, the selectors the
workflow uses, the officer's page and the audit trail."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from accounts.choices import DelegationKind, OfficerRole
from accounts.selectors import (
    delegators_of,
    officers_acting_as,
    substitute_for,
)
from accounts.services import delegation_create, delegation_revoke
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB


@pytest.fixture
def team(make_staff, dinkes):
    return {
        "ani": make_staff(OfficerRole.VERIFIER, agency=dinkes, full_name="Ani").officer,
        "budi": make_staff(
            OfficerRole.VERIFIER, agency=dinkes, full_name="Budi"
        ).officer,
        "kepala": make_staff(
            OfficerRole.AGENCY_HEAD, agency=dinkes, full_name="Kepala"
        ).officer,
        "wakil": make_staff(
            OfficerRole.APPROVER, agency=dinkes, full_name="Wakil"
        ).officer,
    }


def _leave(delegator, delegate, *, days=(1, 5), kind=DelegationKind.TASKS, by=None):
    return delegation_create(
        kind=kind,
        delegator=delegator,
        delegate=delegate,
        starts_at=NOW + dt.timedelta(days=days[0]),
        ends_at=NOW + dt.timedelta(days=days[1]),
        reason="Cuti tahunan",
        created_by=by or delegator.user,
    )


@pytest.mark.parametrize(
    ("offset", "holds"),
    [
        (dt.timedelta(days=1) - dt.timedelta(seconds=1), False),  # just before
        (dt.timedelta(days=1), True),  # the first instant
        (dt.timedelta(days=3), True),
        (dt.timedelta(days=5) - dt.timedelta(seconds=1), True),  # last instant
        (dt.timedelta(days=5), False),  # half-open: the end is excluded
    ],
)
def test_substitute_holds_the_work_only_within_the_period(team, offset, holds):
    with time_machine.travel(NOW, tick=False):
        _leave(team["ani"], team["budi"])
    at = NOW + offset
    assert (team["ani"] in delegators_of(team["budi"].user, at=at)) is holds
    assert (substitute_for(team["ani"], at=at) == team["budi"]) is holds
    acting = officers_acting_as(team["budi"].user, at=at)
    assert acting[0] == team["budi"]
    assert (team["ani"] in acting) is holds
    # Tasks, not signature: the leave gives no signing authority.
    assert team["ani"] not in delegators_of(
        team["budi"].user, at=at, kind=DelegationKind.SIGNING
    )


def test_overlapping_periods_of_one_officer_are_refused(team):
    with time_machine.travel(NOW, tick=False):
        _leave(team["ani"], team["budi"], days=(1, 5))
        with pytest.raises(ValidationError) as caught:
            _leave(team["ani"], team["kepala"], days=(4, 8))
        assert "starts_at" in caught.value.message_dict
        _leave(team["ani"], team["kepala"], days=(5, 8))  # adjacent is fine


def test_signing_is_delegated_by_signatories_only(team):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as caught:
            _leave(team["ani"], team["budi"], kind=DelegationKind.SIGNING)
        assert "kind" in caught.value.message_dict
        _leave(team["kepala"], team["wakil"], kind=DelegationKind.SIGNING)
    from accounts.permissions import user_can

    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        assert user_can(team["wakil"].user, "delegation.sign_for", team["kepala"])
        assert not user_can(team["budi"].user, "delegation.sign_for", team["kepala"])
    with time_machine.travel(NOW + dt.timedelta(days=6), tick=False):
        assert not user_can(team["wakil"].user, "delegation.sign_for", team["kepala"])


def test_who_may_record_a_delegation(team, make_staff, dpmptsp):
    outsider = make_staff(OfficerRole.SUPERVISOR, agency=dpmptsp)
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(PermissionDenied):  # a colleague without the permission
            _leave(team["ani"], team["budi"], by=team["budi"].user)
        with pytest.raises(PermissionDenied):  # a supervisor of another agency
            _leave(team["ani"], team["budi"], by=outsider)
        delegation = _leave(team["ani"], team["budi"], by=team["kepala"].user)
    assert delegation.created_by == team["kepala"].user


def test_substitute_must_be_of_the_same_agency(team, make_staff, dpmptsp):
    other = make_staff(OfficerRole.VERIFIER, agency=dpmptsp).officer
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError):
        _leave(team["ani"], other)


def test_revoke_ends_it_now_and_is_audited(team):
    with time_machine.travel(NOW, tick=False):
        delegation = _leave(team["ani"], team["budi"], days=(0, 5))
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        delegation_revoke(delegation=delegation, revoked_by=team["ani"].user)
        assert not delegators_of(team["budi"].user).exists()
    assert list(
        AuditEntry.objects.filter(object_type="accounts.delegation").values_list(
            "action", flat=True
        )
    ) == ["delegation.create", "delegation.revoke"]


def test_page_lists_whose_work_is_held_during_the_leave_only(team, staff_client):
    client = staff_client(team["budi"].user)
    with time_machine.travel(NOW, tick=False):
        _leave(team["ani"], team["budi"], days=(1, 3))
    url = reverse("accounts:delegations")
    for day, shown in ((0, False), (2, True), (4, False)):
        with time_machine.travel(NOW + dt.timedelta(days=day), tick=False):
            page = client.get(url).text
        assert ('class="acting-for"' in page) is shown, day


def test_officer_records_leave_on_the_page(team, staff_client):
    client = staff_client(team["ani"].user)
    start = timezone.localtime(NOW + dt.timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("accounts:delegations"),
            {
                "kind": "tasks",
                "delegate": team["budi"].pk,
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
                "reason": "Cuti",
            },
        )
    assert response.status_code == 302
    delegation = team["ani"].delegations_given.get()
    assert delegation.starts_at == NOW + dt.timedelta(days=1)  # WIB in, UTC stored
