"""Complaints: routing to the agency, the working-day deadline on its
calendar, answers by the agency only, the citizen's view, and the hand-over
to SP4N-LAPOR! through the adapter (fake server on loopback)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest

from notifications.models import Notification
from tests.agencies.factories import HolidayFactory
from tests.queueing.factories import OfficeFactory
from transparency.choices import ComplaintStatus, ComplaintSubject
from transparency.lapor import LaporClient, LaporRejected, LaporUnavailable
from transparency.models import Complaint
from transparency.services import (
    ComplaintError,
    complaint_answer,
    complaint_file,
    complaint_forward,
    complaint_lapor_submit,
)
from transparency.tasks import complaint_lapor_submit_task

from .conftest import WIB, at
from .fake_lapor import FakeLapor

pytestmark = pytest.mark.django_db


def test_complaint_about_an_application_goes_to_its_agency(complaint, submitted):
    assert complaint.agency == submitted.service.agency  # Dinkes owns the licence
    assert complaint.status == ComplaintStatus.SUBMITTED
    assert complaint.reference == f"ADU-2026-{complaint.pk:06d}"
    assert Notification.objects.filter(event="complaint.received").exists()
    received = Notification.objects.filter(event="complaint.received").first()
    agency = complaint.agency
    assert received.context["agency"] == {
        "$text": {"id": agency.name, "en": agency.name_en}
    }


def test_deadline_is_five_working_days_on_the_agency_calendar(complaint):
    """Filed Friday 16:00 WIB: the clock starts Monday 08:00; the fifth working
    day after Monday is the next Monday, closing at 15:00 WIB."""
    assert complaint.due_at == dt.datetime(2026, 3, 16, 15, tzinfo=WIB)


def test_a_holiday_moves_the_deadline(submitted, citizen, city_calendar):
    HolidayFactory(date=dt.date(2026, 3, 12), name="Libur uji")
    with at(2026, 3, 6, 16):
        complaint = complaint_file(
            citizen=citizen,
            kind=ComplaintSubject.APPLICATION,
            application=submitted,
            title="Lama",
            description="Belum ada kabar.",
        )
    assert complaint.due_at == dt.datetime(2026, 3, 17, 15, tzinfo=WIB)


def test_office_without_agency_goes_to_dpmptsp(citizen, dpmptsp, city_calendar):
    mpp = OfficeFactory(name="MPP", agency=None)
    complaint = complaint_file(
        citizen=citizen,
        kind=ComplaintSubject.OFFICE,
        office=mpp,
        title="Antrean",
        description="Antrean tidak tertib.",
    )
    assert complaint.agency == dpmptsp


def test_officer_complaint_goes_to_the_officers_agency(
    citizen, verifier, dinkes, city_calendar
):
    complaint = complaint_file(
        citizen=citizen,
        kind=ComplaintSubject.OFFICER,
        officer=verifier,
        title="Tidak sopan",
        description="Petugas membentak.",
    )
    assert complaint.agency == dinkes


def test_someone_elses_application_or_empty_text_is_refused(
    submitted, other_citizen, citizen, city_calendar
):
    with pytest.raises(ComplaintError, match="your own"):
        complaint_file(
            citizen=other_citizen,
            kind=ComplaintSubject.APPLICATION,
            application=submitted,
            title="x",
            description="y",
        )
    with pytest.raises(ComplaintError, match="title"):
        complaint_file(
            citizen=citizen,
            kind=ComplaintSubject.APPLICATION,
            application=submitted,
            title="  ",
            description="y",
        )
    assert not Complaint.objects.exists()


def test_agency_officer_answers_and_citizen_is_notified(complaint, verifier):
    answered = complaint_answer(
        complaint=complaint, user=verifier.user, answer="Sudah kami proses."
    )
    assert answered.status == ComplaintStatus.ANSWERED
    assert answered.answered_by == verifier.user
    assert Notification.objects.filter(event="complaint.answered").exists()
    with pytest.raises(PermissionDenied):  # answered already
        complaint_answer(complaint=complaint, user=verifier.user, answer="Lagi.")


def test_officer_of_another_agency_cannot_answer(complaint, front_office):
    with pytest.raises(PermissionDenied):
        complaint_answer(complaint=complaint, user=front_office.user, answer="x")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.SUBMITTED


def test_only_supervisors_and_heads_hand_over(
    complaint, verifier, dinkes_supervisor, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        complaint_forward(complaint=complaint, user=verifier.user)
    with django_capture_on_commit_callbacks() as callbacks:
        forwarded = complaint_forward(complaint=complaint, user=dinkes_supervisor.user)
    assert forwarded.status == ComplaintStatus.FORWARDED
    assert len(callbacks) == 1  # the LAPOR! call waits for the commit
    with pytest.raises(PermissionDenied):  # only once
        complaint_forward(complaint=complaint, user=dinkes_supervisor.user)


def test_hand_over_keeps_the_lapor_tracking_id(complaint, dinkes_supervisor, settings):
    with FakeLapor() as lapor:
        settings.LAPOR_BASE_URL = lapor.url
        settings.LAPOR_TOKEN = lapor.token
        complaint_forward(complaint=complaint, user=dinkes_supervisor.user)
        complaint_lapor_submit_task(complaint.pk)
        complaint_lapor_submit_task(complaint.pk)  # a second run does nothing
        complaint.refresh_from_db()
        assert complaint.lapor_tracking_id == "LAPOR-1000"
        sent = lapor.reports["LAPOR-1000"]
        assert sent["external_id"] == complaint.reference
        assert sent["agency_code"] == "DINKES"
        assert [r for r in lapor.requests if r[0] == "POST"] == [
            ("POST", "/api/reports")
        ]
        assert LaporClient.from_settings().status("LAPOR-1000") == (
            "Menunggu verifikasi"
        )
    assert Notification.objects.filter(event="complaint.forwarded").exists()
    # The agency may still answer a handed-over complaint locally.
    assert complaint.status == ComplaintStatus.FORWARDED


def test_lapor_down_raises_a_retryable_error_and_keeps_the_complaint(
    complaint, dinkes_supervisor, settings
):
    with FakeLapor() as lapor:
        settings.LAPOR_BASE_URL = lapor.url
        settings.LAPOR_TOKEN = lapor.token
        complaint_forward(complaint=complaint, user=dinkes_supervisor.user)
        lapor.fail_with = 503
        with pytest.raises(LaporUnavailable):
            complaint_lapor_submit(complaint_id=complaint.pk)
        complaint.refresh_from_db()
        assert complaint.lapor_tracking_id == ""
        lapor.fail_with = None
        settings.LAPOR_TOKEN = "salah"
        with pytest.raises(LaporRejected):
            complaint_lapor_submit(complaint_id=complaint.pk)
        settings.LAPOR_TOKEN = lapor.token
        complaint_lapor_submit(complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.lapor_tracking_id == "LAPOR-1000"


def test_unreachable_lapor_is_unavailable(complaint):
    client = LaporClient("http://127.0.0.1:9", "t", timeout=1)
    with pytest.raises(LaporUnavailable):
        client.status("LAPOR-1")


# --- Views --------------------------------------------------------------------------


def test_citizen_sees_the_answer_and_others_get_404(
    complaint, verifier, login, client, other_citizen, citizen, front_office
):
    complaint_answer(complaint=complaint, user=verifier.user, answer="Sudah beres.")
    url = reverse("transparency:complaint_detail", args=[complaint.uuid])
    login(citizen)
    page = client.get(url)
    assert page.status_code == 200
    assert "Sudah beres." in page.text
    login(other_citizen)
    assert client.get(url).status_code == 404
    login(front_office)  # DPMPTSP: not the agency the complaint went to
    assert client.get(url).status_code == 404
    answer = reverse("transparency:complaint_answer", args=[complaint.uuid])
    assert client.post(answer, {"answer": "x"}).status_code == 404


def test_officer_answers_in_the_browser_form(complaint, verifier, login, client):
    login(verifier)
    inbox = client.get(reverse("transparency:complaint_inbox"))
    assert complaint.reference in inbox.text
    client.post(
        reverse("transparency:complaint_answer", args=[complaint.uuid]),
        {"answer": "Berkas sedang diverifikasi."},
    )
    complaint.refresh_from_db()
    assert complaint.answer == "Berkas sedang diverifikasi."


def test_citizen_files_through_the_form(
    submitted, citizen, login, client, city_calendar
):
    login(citizen)
    url = reverse("transparency:complaint_new")
    bad = client.post(url, {"kind": "application", "title": "x", "description": "y"})
    assert bad.status_code == 200
    assert not Complaint.objects.exists()
    client.post(
        url,
        {
            "kind": "application",
            "application": submitted.pk,
            "title": "Lama",
            "description": "Belum ada kabar.",
        },
    )
    assert Complaint.objects.get().application == submitted


def test_forward_button_for_supervisor(
    complaint, dinkes_supervisor, login, client, settings
):
    settings.LAPOR_BASE_URL = ""
    login(dinkes_supervisor)
    url = reverse("transparency:complaint_detail", args=[complaint.uuid])
    assert "SP4N-LAPOR!" in client.get(url).text
    client.post(reverse("transparency:complaint_forward", args=[complaint.uuid]))
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FORWARDED


def test_agency_heads_are_told_of_a_new_complaint(
    submitted, citizen, city_calendar, dinkes_head, dinkes_supervisor
):
    complaint_file(
        citizen=citizen,
        kind=ComplaintSubject.APPLICATION,
        application=submitted,
        title="Lama",
        description="Belum ada kabar.",
    )
    told = set(
        Notification.objects.filter(event="complaint.routed").values_list(
            "recipient", flat=True
        )
    )
    assert told == {dinkes_head.user_id, dinkes_supervisor.user_id}


def test_overdue_complaints_are_flagged_once(complaint, dinkes_head, verifier):
    from transparency.services import complaints_overdue_sweep

    before = complaint.due_at - dt.timedelta(minutes=1)
    assert complaints_overdue_sweep(now=before) == 0
    late = complaint.due_at + dt.timedelta(minutes=1)
    assert complaints_overdue_sweep(now=late) == 1
    assert complaints_overdue_sweep(now=late) == 0
    complaint.refresh_from_db()
    assert complaint.overdue_notified_at == late
    notices = Notification.objects.filter(
        event="complaint.overdue", recipient=dinkes_head.user
    )
    assert notices.values("dedupe_key").distinct().count() == 1


def test_answered_complaints_are_never_overdue(complaint, verifier, dinkes_head):
    from transparency.services import complaints_overdue_sweep

    complaint_answer(complaint=complaint, user=verifier.user, answer="Beres.")
    assert complaints_overdue_sweep(now=complaint.due_at + dt.timedelta(days=9)) == 0
    complaint.refresh_from_db()
    assert not complaint.is_overdue


def test_a_citizen_files_at_most_the_daily_quota(
    submitted, citizen, city_calendar, settings
):
    settings.TRANSPARENCY_COMPLAINTS_PER_DAY = 2
    for n in range(2):
        complaint_file(
            citizen=citizen,
            kind=ComplaintSubject.APPLICATION,
            application=submitted,
            title=f"Aduan {n}",
            description="Belum ada kabar.",
        )
    with pytest.raises(ComplaintError, match="24 hours"):
        complaint_file(
            citizen=citizen,
            kind=ComplaintSubject.APPLICATION,
            application=submitted,
            title="Aduan 3",
            description="Belum ada kabar.",
        )
    assert Complaint.objects.count() == 2


def test_deadline_before_the_catalogue_uses_the_city_default_hours(submitted, citizen):
    """No ``kerja-kota`` row yet: Mon-Fri 08:00-15:00 WIB all the same."""
    with at(2026, 3, 6, 16):
        complaint = complaint_file(
            citizen=citizen,
            kind=ComplaintSubject.APPLICATION,
            application=submitted,
            title="Lama",
            description="Belum ada kabar.",
        )
    assert complaint.due_at == dt.datetime(2026, 3, 16, 15, tzinfo=WIB)
