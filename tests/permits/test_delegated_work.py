"""During an officer's leave the substitute's work list shows the absent
colleague's tasks, marked as delegated; after the leave it does not."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from accounts.choices import DelegationKind, OfficerRole
from accounts.services import delegation_create
from permits.selectors import steps_active_for, work_list_for
from tests.support.workflow import active_step, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def leave(front_office, dpmptsp):
    """The front-office officer is on leave for days 1-5 from now; an approver
    of the same agency holds their tasks."""
    front_office.user.full_name = "Fajar Nugroho"
    front_office.user.save(update_fields=["full_name"])
    substitute = make_officer("pengganti", agency=dpmptsp, role=OfficerRole.APPROVER)
    start = timezone.now() + dt.timedelta(days=1)
    delegation_create(
        kind=DelegationKind.TASKS,
        delegator=front_office,
        delegate=substitute,
        starts_at=start,
        ends_at=start + dt.timedelta(days=4),
        reason="Cuti tahunan",
        created_by=front_office.user,
    )
    return {"start": start, "end": start + dt.timedelta(days=4), "sub": substitute}


def test_selector_lists_the_colleagues_task_only_during_the_leave(
    submitted, front_office, leave
):
    step = active_step(submitted)
    user = leave["sub"].user
    during = leave["start"] + dt.timedelta(days=2)
    assert list(steps_active_for(user, at=during)) == [step]
    [item] = work_list_for(user, at=during)
    assert item.step == step
    assert item.delegated_from == front_office
    assert list(steps_active_for(user, at=leave["end"])) == []
    assert work_list_for(user, at=leave["end"]) == []
    # The absent officer's own list is unmarked.
    [own] = work_list_for(front_office.user, at=during)
    assert own.delegated_from is None


@pytest.mark.parametrize("lang", ["id", "en"])
def test_work_list_page_marks_delegated_tasks(submitted, leave, login, lang):
    mark = {"id": "Dilimpahkan dari", "en": "Delegated from"}[lang]

    def work_list() -> str:
        # Signed in at that moment: a staff session idles out within a day.
        c = login(leave["sub"], Client())
        c.cookies["django_language"] = lang
        response = c.get(reverse("permits:work_list"))
        assert response.status_code == 200
        return response.content.decode()

    with time_machine.travel(leave["start"] + dt.timedelta(hours=1), tick=False):
        html = work_list()
    assert submitted.reference in html
    assert f"{mark} Fajar Nugroho" in html
    with time_machine.travel(leave["end"], tick=False):
        html = work_list()
    assert submitted.reference not in html
    assert mark not in html
