"""The workspace pages: queue tabs, filters and keyset pages, bulk actions,
the officer's application page, notes, and the document viewer; query counts
pinned for the queue page and the API list."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from permits.models import ApplicationDocumentLink
from workspace.keyset import encode
from workspace.models import InternalNote

from .conftest import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
QUEUE = reverse("workspace:queue")


def test_queue_tabs_filters_and_bulk_claim(make_applications, front_office, login):
    apps = make_applications(3)
    client = login(front_office)
    page = client.get(QUEUE, {"tab": "unassigned"})
    assert page.status_code == 200
    html = page.content.decode()
    for app in apps:
        assert app.reference in html
    assert 'data-testid="tab-agency"' not in html  # not a supervisor
    found = client.get(QUEUE, {"tab": "unassigned", "q": apps[0].reference[-6:]})
    assert found.status_code == 200
    # A reference prefix is a search; the tail alone is not.
    assert apps[0].reference not in found.content.decode()
    found = client.get(QUEUE, {"tab": "unassigned", "q": apps[0].reference})
    assert found.content.decode().count('data-testid="task-row"') == 1
    ids = [a.steps.get(status="active").pk for a in apps[:2]]
    back = f"{QUEUE}?tab=unassigned"
    response = client.post(
        reverse("workspace:bulk"), {"action": "claim", "steps": ids, "back": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    mine = client.get(QUEUE).content.decode()
    assert mine.count('data-testid="task-row"') == 2
    assert client.get(QUEUE, {"tab": "agency"}).status_code == 403


def test_bad_filter_input_is_explained_and_keeps_the_list(
    make_applications, front_office, login
):
    make_applications(1)
    client = login(front_office)
    page = client.get(QUEUE, {"tab": "unassigned", "submitted_from": "kemarin"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "error-summary" in html
    assert html.count('data-testid="task-row"') == 1
    broken = client.get(QUEUE, {"tab": "unassigned", "cursor": "!!"})
    assert broken.status_code == 200


def test_keyset_pages_walk_every_row_once(
    make_applications, front_office, login, settings
):
    settings.WORKSPACE_PAGE_SIZE = 2
    apps = make_applications(5)
    client = login(front_office)
    seen, params = [], {"tab": "unassigned", "sort": "reference"}
    for _ in range(5):
        response = client.get(QUEUE, params)
        seen += [row.step.application.reference for row in response.context["rows"]]
        if not response.context["next_query"]:
            break
        params = response.context["next_query"]
        params = dict(p.split("=", 1) for p in params.split("&"))
    assert seen == sorted(a.reference for a in apps)


def test_queue_and_api_list_query_counts_do_not_grow(
    make_applications, front_office, login, settings
):
    settings.WORKSPACE_PAGE_SIZE = 10
    client = login(front_office)
    url = f"{QUEUE}?tab=unassigned&service=sip-dokter&sla=no_deadline&q=PTSP"
    api = "/api/v1/workspace/tasks/?tab=unassigned&sort=-submitted"

    def measure():
        counts = []
        for target in (url, api):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(target).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    make_applications(2)
    small = measure()
    make_applications(13)  # more rows than a page, more stored
    large = measure()
    assert small == large
    # Pinned at today's cost; equal for 2 and 15 stored rows. Page: session,
    # user, OTP device, officer and delegations, the service and office
    # choices, one keyset page, two capped tab counts, the capped filtered
    # count, the header's unread badge. API: no choices, counts or badge,
    # one query for the agency codes.
    assert large[0] <= 14, large
    assert large[1] <= 9, large


def test_application_page_notes_and_actions(make_applications, front_office, login):
    [app] = make_applications(1)
    client = login(front_office)
    url = reverse("workspace:application", args=[app.uuid])
    step = app.steps.get(status="active")
    html = client.get(url).content.decode()
    assert reverse("workspace:claim", args=[app.uuid, step.pk]) in html
    assert reverse("permits:step_action", args=[app.uuid, step.pk, "complete"]) in html
    client.post(reverse("workspace:claim", args=[app.uuid, step.pk]))
    step.refresh_from_db()
    assert step.assigned_officer == front_office
    client.post(reverse("workspace:note_add", args=[app.uuid]), {"body": "Cek STR"})
    assert InternalNote.objects.get().body == "Cek STR"
    assert "Cek STR" in client.get(url).content.decode()
    # The action comes back to the workspace page.
    response = client.post(
        reverse("permits:step_action", args=[app.uuid, step.pk, "complete"]),
        {"version": app.version, "note": "", "next": url},
    )
    assert response["Location"] == url
    app.refresh_from_db()
    assert app.status == "in_progress"


def test_citizen_pages_never_show_notes(
    make_applications, front_office, citizen, login
):
    [app] = make_applications(1)
    InternalNote.objects.create(
        application=app,
        author=front_office.user,
        agency=front_office.agency,
        body="RHS",
    )
    client = login(citizen)
    assert (
        "RHS"
        not in client.get(reverse("permits:detail", args=[app.uuid])).content.decode()
    )
    assert (
        client.get(reverse("workspace:application", args=[app.uuid])).status_code == 404
    )


def test_viewer_renders_pdf_pages_as_png(
    make_applications, licence, citizen, front_office, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from permits.services import application_submit
    from tests.support.workflow import draft_with_ktp

    draft, document = draft_with_ktp(licence, citizen, pdf_bytes(2))
    app, _code = application_submit(
        application=draft, applicant=citizen, idempotency_key="doc"
    )
    assert ApplicationDocumentLink.objects.filter(application=app).exists()
    client = login(front_office)
    viewer = client.get(reverse("workspace:document", args=[app.uuid, document.uuid]))
    assert viewer.content.decode().count('data-testid="page-image"') == 2
    page = client.get(
        reverse("workspace:document_page", args=[app.uuid, document.uuid, 2])
    )
    assert page.status_code == 200
    assert page["Content-Type"] == "image/png"
    assert page.content.startswith(b"\x89PNG\r\n\x1a\n")
    missing = client.get(
        reverse("workspace:document_page", args=[app.uuid, document.uuid, 3])
    )
    assert missing.status_code == 404


def test_keyset_cursor_is_checked(make_applications, front_office, login):
    make_applications(1)
    client = login(front_office)
    naive = encode("2026-01-01T00:00:00", 1)
    response = client.get(QUEUE, {"tab": "unassigned", "cursor": naive})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    # After the last possible row: an empty page, not an error.
    last = encode(dt.datetime(9999, 12, 31, tzinfo=dt.UTC), 10**9)
    response = client.get(QUEUE, {"tab": "unassigned", "cursor": last})
    assert response.status_code == 200
    assert response.context["rows"] == []
