"""The workspace API: scoped lists, counts, filters, sorts and cursor pages;
bulk claim and assign; the officer's application view and internal notes
(never in the citizen's API)."""

import datetime as dt

from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from accounts.choices import OfficerRole

from .conftest import make_officer

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
TASKS = "/api/v1/workspace/tasks/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(getattr(user, "user", user))
    return client


def _refs(response):
    return [row["application"]["reference"] for row in response.json()["results"]]


def test_lists_are_scoped_and_filtered(make_applications, front_office, outsider):
    apps = make_applications(3)
    fo = _api(front_office)
    body = fo.get(TASKS, {"tab": "unassigned"}).json()
    assert {r["application"]["reference"] for r in body["results"]} == {
        a.reference for a in apps
    }
    assert (
        fo.get(TASKS, {"tab": "unassigned", "q": apps[1].reference}).json()["results"][
            0
        ]["id"]
        == apps[1].steps.get(status="active").pk
    )
    assert _refs(fo.get(TASKS, {"tab": "unassigned", "q": "no such"})) == []
    assert _refs(fo.get(TASKS, {"tab": "unassigned", "step": "verifier"})) == []
    # Another agency: empty list, zero counts, and no search hit.
    other = _api(outsider)
    assert _refs(other.get(TASKS, {"tab": "unassigned"})) == []
    assert _refs(other.get(TASKS, {"tab": "unassigned", "q": apps[0].reference})) == []
    assert other.get(TASKS + "counts/").json()["unassigned"] == {
        "count": 0,
        "capped": False,
    }
    # The whole-agency queue is for supervisors and heads.
    assert fo.get(TASKS, {"tab": "agency"}).status_code == 403
    assert fo.get(TASKS, {"tab": "nonsense"}).status_code == 400


def test_citizen_has_no_workspace(make_applications, citizen):
    [app] = make_applications(1)
    client = _api(citizen)
    assert client.get(TASKS).status_code == 403
    assert client.get(f"/api/v1/workspace/applications/{app.uuid}/").status_code == 403


def test_sort_and_cursor_pages_follow_the_deadline_with_pk_ties(
    make_applications, front_office, settings
):
    settings.WORKSPACE_PAGE_SIZE = 2
    apps = make_applications(5)
    due = timezone.now() + dt.timedelta(days=2)
    steps = [a.steps.get(status="active") for a in apps]
    # Two share a deadline (tie broken by pk), one has none (last).
    for step, offset in zip(steps, [3, 1, 1, 2, None], strict=True):
        step.due_at = None if offset is None else due + dt.timedelta(hours=offset)
        step.save(update_fields=["due_at"])
    fo = _api(front_office)
    seen, url = [], TASKS + "?tab=unassigned&sort=due"
    while url:
        body = fo.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert seen == [steps[1].pk, steps[2].pk, steps[3].pk, steps[0].pk, steps[4].pk]
    body = fo.get(TASKS, {"tab": "unassigned", "sort": "-reference"})
    assert _refs(body) == sorted((a.reference for a in apps), reverse=True)[:2]
    overdue = fo.get(TASKS, {"tab": "unassigned", "sla": "no_deadline"}).json()
    assert [r["id"] for r in overdue["results"]] == [steps[4].pk]


def test_bulk_claim_and_assign(make_applications, front_office, supervisor, colleague):
    apps = make_applications(5)
    ids = [a.steps.get(status="active").pk for a in apps]
    fo = _api(front_office)
    response = fo.post(TASKS + "claim/", {"steps": ids[:2]}, format="json")
    assert response.status_code == 200, response.content
    assert {r["assigned_officer"]["id"] for r in response.json()["results"]} == {
        front_office.pk
    }
    assert fo.get(TASKS + "counts/").json()["mine"]["count"] == 2
    # A front-office officer cannot assign; the supervisor can, with a reason.
    assert (
        fo.post(
            TASKS + "assign/",
            {"steps": ids, "officer": colleague.pk, "reason": "x"},
            format="json",
        ).status_code
        == 400
    )
    spv = _api(supervisor)
    no_reason = spv.post(
        TASKS + "assign/", {"steps": ids, "officer": colleague.pk}, format="json"
    )
    assert no_reason.status_code == 400
    done = spv.post(
        TASKS + "assign/",
        {"steps": ids, "officer": colleague.pk, "reason": "Pemerataan"},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert _api(colleague).get(TASKS + "counts/").json()["mine"]["count"] == 5
    assert spv.get(TASKS + "counts/").json()["agency"]["count"] == 5


def test_assigning_to_another_agencys_officer_is_refused(
    make_applications, supervisor, outsider
):
    [app] = make_applications(1)
    step = app.steps.get(status="active")
    response = _api(supervisor).post(
        TASKS + "assign/",
        {"steps": [step.pk], "officer": outsider.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "officer" in response.json()


def test_other_agency_gets_404_on_every_verb(make_applications, outsider, citizen):
    [app] = make_applications(1)
    client = _api(outsider)
    base = f"/api/v1/workspace/applications/{app.uuid}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "notes/").status_code == 404
    assert client.post(base + "notes/", {"body": "x"}, format="json").status_code == 404
    step = app.steps.get(status="active")
    claim = client.post(TASKS + "claim/", {"steps": [step.pk]}, format="json")
    assert claim.status_code == 400
    assert app.reference not in claim.content.decode()


def test_officer_view_and_notes_never_reach_the_citizen(
    make_applications, front_office, verifier, citizen
):
    [app] = make_applications(1)
    fo = _api(front_office)
    base = f"/api/v1/workspace/applications/{app.uuid}/"
    created = fo.post(base + "notes/", {"body": "Rahasia internal"}, format="json")
    assert created.status_code == 201
    assert created.json()["agency"] == "DPMPTSP"
    detail = fo.get(base).json()
    assert [n["body"] for n in detail["notes"]] == ["Rahasia internal"]
    assert detail["allowed_actions"] == [
        {
            "step": app.steps.get(status="active").pk,
            "actions": ["complete", "request_revision", "reject"],
        }
    ]
    # Dinkes has a later step: its verifier reads the notes too.
    assert _api(verifier).get(base + "notes/").json()[0]["body"] == "Rahasia internal"
    # The citizen: no workspace, and nothing of the note in their own API.
    owner = _api(citizen)
    assert owner.get(base + "notes/").status_code == 403
    mine = owner.get(f"/api/v1/applications/{app.uuid}/")
    assert mine.status_code == 200
    assert "Rahasia internal" not in mine.content.decode()
    assert "Rahasia internal" not in owner.get(
        f"/api/v1/applications/{app.uuid}/timeline/"
    ).content.decode("utf-8")


def test_delegated_tasks_carry_the_colleagues_name(
    make_applications, front_office, dpmptsp
):
    from accounts.choices import DelegationKind
    from accounts.services import delegation_create

    front_office.user.full_name = "Fajar"
    front_office.user.save(update_fields=["full_name"])
    substitute = make_officer("sub", agency=dpmptsp, role=OfficerRole.APPROVER)
    now = timezone.now()
    delegation_create(
        kind=DelegationKind.TASKS,
        delegator=front_office,
        delegate=substitute,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(days=2),
        reason="Cuti",
        created_by=front_office.user,
    )
    make_applications(1)
    [row] = _api(substitute).get(TASKS, {"tab": "unassigned"}).json()["results"]
    assert row["delegated_from"] == "Fajar"
