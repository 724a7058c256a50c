"""The auditor workspace: filters, keyset pages, timelines, the audited CSV
export and the integrity status with "verify now"."""

import csv
import io

from django.urls import reverse

import pytest

from audit.models import AuditEntry
from auditor.models import VerificationRun, VerificationStatus
from auditor.selectors import TrailFilter, trail_page
from auditor.tasks import verification_run_task
from tests.support.workflow import submit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def two_applications(licence, citizen, other_citizen, front_office):
    first, _ = submit(licence, citizen, key="a")
    second, _ = submit(licence, other_citizen, key="b")
    return first, second


def test_reference_filter_returns_only_that_applications_entries(
    client, auditor_user, two_applications
):
    first, second = two_applications
    client.force_login(auditor_user)
    response = client.get(reverse("auditor:workspace"), {"reference": first.reference})
    assert response.status_code == 200
    entries = response.context["page"].entries
    assert entries
    assert {e.object_id for e in entries if e.object_type == "permits.application"} == {
        str(first.pk)
    }
    assert str(second.pk) not in {e.object_id for e in entries}


def test_filters_by_action_prefix_role_agency_actor_and_dates(
    two_applications, citizen
):
    first, _ = two_applications
    entries = trail_page(TrailFilter(action="application."), limit=500).entries
    assert entries
    assert all(e.action.startswith("application.") for e in entries)
    exact = trail_page(TrailFilter(action="application.submitted"), limit=500).entries
    assert {e.action for e in exact} == {"application.submitted"}
    mine = trail_page(TrailFilter(actor=citizen.username), limit=500).entries
    assert all(e.actor_label == f"user:{citizen.pk}" for e in mine)
    assert trail_page(TrailFilter(actor="nobody-here")).entries == []
    assert trail_page(TrailFilter(reference="PTSP-1999-000001")).entries == []
    assert trail_page(TrailFilter(agency="NOPE")).entries == []
    today = first.submitted_at.date()
    import datetime as dt

    assert trail_page(TrailFilter(date_from=today + dt.timedelta(days=2))).entries == []
    assert trail_page(TrailFilter(date_to=today + dt.timedelta(days=1))).entries


def test_pages_follow_the_cursor_without_overlap(two_applications):
    seen, cursor = [], ""
    while True:
        page = trail_page(TrailFilter(), cursor=cursor, limit=3)
        seen.extend(e.pk for e in page.entries)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == AuditEntry.objects.count()
    times = list(
        AuditEntry.objects.filter(pk__in=seen)
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == times


def test_a_page_is_one_query_without_count(
    two_applications, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1) as captured:
        trail_page(TrailFilter(action="application."), limit=50)
    assert "COUNT(" not in captured.captured_queries[0]["sql"].upper()


def test_broken_cursor_is_a_clear_message(client, auditor_user):
    client.force_login(auditor_user)
    response = client.get(reverse("auditor:workspace"), {"cursor": "!!!"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_bad_dates_are_refused_with_a_message(client, auditor_user):
    client.force_login(auditor_user)
    response = client.get(
        reverse("auditor:workspace"),
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
    )
    assert response.context["form"].errors["date_to"]
    assert response.context["page"] is None


def test_timelines_per_application_officer_and_object(
    client, auditor_user, two_applications, citizen
):
    first, _ = two_applications
    client.force_login(auditor_user)
    response = client.get(
        reverse("auditor:application_timeline", args=[first.reference])
    )
    entries = response.context["page"].entries
    assert [e.occurred_at for e in entries] == sorted(e.occurred_at for e in entries)
    assert entries[0].action == "application.create"
    response = client.get(reverse("auditor:officer_timeline", args=[citizen.username]))
    assert response.status_code == 200
    assert all(e.actor_id == citizen.pk for e in response.context["page"].entries)
    response = client.get(
        reverse("auditor:object_timeline", args=["agencies.service", first.service_id])
    )
    assert response.status_code == 200
    assert (
        client.get(reverse("auditor:application_timeline", args=["X"])).status_code
        == 404
    )


def test_csv_export_streams_the_filter_and_is_audited(
    client, auditor_user, two_applications
):
    first, _ = two_applications
    client.force_login(auditor_user)
    response = client.get(reverse("auditor:export"), {"reference": first.reference})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows
    assert {
        r["object_id"] for r in rows if r["object_type"] == "permits.application"
    } == {str(first.pk)}
    assert rows[0]["occurred_at_wib"].endswith("+07:00")
    export = AuditEntry.objects.get(action="audit.export")
    assert export.actor == auditor_user
    assert export.changes["filters"][1] == {"reference": first.reference}


def test_csv_cells_that_look_like_formulas_are_quoted(auditor_user):
    from django.db import transaction

    from audit.services import audit_record
    from auditor.services import trail_csv_rows

    with transaction.atomic():
        audit_record(action="test.formula", object_type="x", reason="=HYPERLINK(1)")
    lines = list(trail_csv_rows(TrailFilter(action="test.formula")))
    assert "'=HYPERLINK(1)" in lines[1]


def test_verify_now_enqueues_after_commit_and_stores_the_result(
    client, auditor_user, two_applications, django_capture_on_commit_callbacks
):
    client.force_login(auditor_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("auditor:verify"))
    assert response.status_code == 302
    assert len(callbacks) == 1
    run = VerificationRun.objects.get()
    assert run.status == VerificationStatus.PENDING
    assert AuditEntry.objects.filter(action="audit.verify_request").exists()
    # A second click while it waits creates no new run; it enqueues the same
    # run again (the first enqueue may have been lost with the broker).
    with django_capture_on_commit_callbacks() as again:
        client.post(reverse("auditor:verify"))
    assert len(again) == 1
    assert VerificationRun.objects.count() == 1
    assert verification_run_task(run.pk) == VerificationStatus.INTACT
    assert verification_run_task(run.pk) is None  # safe to run twice
    run.refresh_from_db()
    assert run.finished_at is not None
    page = client.get(reverse("auditor:integrity")).content.decode()
    assert "utuh" in page or "intact" in page


def test_integrity_page_shows_last_seal_and_checkpoint(client, auditor_user):
    client.force_login(auditor_user)
    response = client.get(reverse("auditor:integrity"))
    assert response.status_code == 200
    status = response.context["status"]
    assert status.last_run is None


def test_citizen_and_officer_cannot_open_the_workspace(client, citizen, front_office):
    for user in (citizen, front_office.user):
        client.force_login(user)
        assert client.get(reverse("auditor:workspace")).status_code == 403
        assert client.get(reverse("auditor:export")).status_code == 403
        assert client.post(reverse("auditor:verify")).status_code == 403
        assert client.get("/api/v1/auditor/entries/").status_code == 403


def test_entries_about_paths_link_to_their_timeline(client, auditor_user, citizen):
    """A refused request's entry names a path (with slashes) as its object."""
    client.force_login(citizen)
    assert client.get(reverse("auditor:workspace")).status_code == 403
    client.force_login(auditor_user)
    response = client.get(reverse("auditor:workspace"), {"action": "access.denied"})
    assert response.status_code == 200
    link = reverse("auditor:object_timeline", args=["http.path", "/auditor/"])
    assert link in response.content.decode()
    response = client.get(link)
    assert [e.object_id for e in response.context["page"].entries] == ["/auditor/"]


def test_trail_names_applications_by_reference_and_the_full_check_reads_clearly(
    client, auditor_user, two_applications
):
    first, _second = two_applications
    client.force_login(auditor_user)
    client.cookies["django_language"] = "id"
    html = client.get(
        reverse("auditor:workspace"), {"reference": first.reference}
    ).content.decode()
    assert f">{first.reference}</a>" in html
    assert f">permits.application:{first.pk}</a>" not in html
    html = client.get(reverse("auditor:integrity")).content.decode()
    assert (
        "Periksa seluruh rantai sejak catatan bersegel pertama (lebih lambat)" in html
    )
    assert "(lebih lambat):" not in html


def test_a_citizens_draft_is_not_in_the_trail_until_it_is_submitted(
    client, auditor_user, licence, citizen, settings, tmp_path
):
    """Drafts are the citizen's private workspace: the auditor's trail, the
    object timeline and the CSV export leave out the draft and the file
    uploaded into it; once submitted, the whole history shows."""
    from permits.services import application_submit
    from tests.support.workflow import draft_with_ktp

    settings.MEDIA_ROOT = tmp_path
    draft, document = draft_with_ktp(licence, citizen)
    about_draft = {
        ("permits.application", str(draft.pk)),
        ("permits.applicationdocument", str(document.pk)),
    }
    assert AuditEntry.objects.filter(
        object_type="permits.application", object_id=str(draft.pk)
    ).exists()  # recorded, only not shown

    def shown(**params) -> set:
        response = client.get(reverse("auditor:workspace"), params)
        assert response.status_code == 200
        return {(e.object_type, e.object_id) for e in response.context["page"].entries}

    def exported() -> str:
        response = client.get(reverse("auditor:export"))
        return b"".join(response.streaming_content).decode()

    client.force_login(auditor_user)
    assert not shown() & about_draft
    timeline = reverse(
        "auditor:object_timeline", args=["permits.application", str(draft.pk)]
    )
    assert client.get(timeline).context["page"].entries == []
    assert f"permits.application,{draft.pk}," not in exported()

    application_submit(application=draft, applicant=citizen, idempotency_key="s")
    assert shown() >= about_draft
    actions = {e.action for e in client.get(timeline).context["page"].entries}
    assert {"application.create", "application.submitted"} <= actions
