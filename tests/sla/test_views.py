"""What people see: the "when would it be due" API and admin page, the preview
of moved deadlines, the citizen's expected completion, extensions over the API,
and the admin lists."""

import datetime as dt

from django.test import Client
from django.urls import reverse

import pytest
import time_machine

from accounts.choices import OfficerRole
from agencies.models import Agency, Holiday
from sla.models import SlaExtension, SlaPolicy, SlaSegment, SlaTimer, SlaWarning

from .calendars import wib
from .conftest import make_officer, submit_at

pytestmark = pytest.mark.django_db
DUE_URL = "/api/v1/sla/due/"


def test_due_api_answers_for_a_friday_evening(client, licence):
    """Filed Friday 7 Aug 16:00 WIB: starts Mon 10 Aug 08:00, due Tue 18 Aug
    15:00 (Mon 17 Aug is a holiday)."""
    response = client.get(
        DUE_URL, {"service": "sip-dokter", "at": "2026-08-07T09:00:00Z"}
    )
    assert response.status_code == 200
    data = response.json()
    assert dt.datetime.fromisoformat(data["due_at"]) == wib(2026, 8, 18, 15)
    assert dt.datetime.fromisoformat(data["clock_starts_at"]) == wib(2026, 8, 10, 8)
    assert data["unit"] == "working_days"
    assert data["value"] == 5
    assert data["provisional"] is False
    assert data["calendar"] == "kerja-kota"


def test_due_api_rejects_unknown_service_and_bad_instant(client, licence):
    assert client.get(DUE_URL, {"service": "nope"}).status_code == 404
    response = client.get(DUE_URL, {"service": "sip-dokter", "at": "kemarin"})
    assert response.status_code == 400
    assert "at" in str(response.json())


def test_admin_due_for_page(admin_client, licence):
    page = admin_client.get(
        reverse("admin:sla_due_for"),
        {"service": "sip-dokter", "submitted_at": "2026-08-07T16:00"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="sla-due-at"' in html
    assert "18 Agustus 2026 15:00" in html


def test_admin_preview_lists_the_deadlines_a_new_holiday_moves(
    admin_client, licence, citizen
):
    """Before saving: closing Mon 10 Aug would move the deadline of an
    application due Tue 11 Aug to Wed 12 Aug; the holiday form offers the
    preview and posts its unsaved values to it."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    other = submit_at(licence, citizen, wib(2026, 8, 12, 10), key="k2")
    page = admin_client.get(reverse("admin:sla_preview"), {"date": "2026-08-10"})
    html = page.content.decode()
    assert application.reference in html
    assert other.reference not in html  # its clock starts after the date
    assert "12 Agu 2026 15:00" in html
    form = admin_client.get(reverse("admin:agencies_holiday_add")).content.decode()
    assert reverse("admin:sla_preview") in form
    posted = admin_client.post(
        reverse("admin:sla_preview"),
        {"date": "2026-08-10", "closes_working_time": "on", "name": "Libur"},
    )
    assert application.reference in posted.content.decode()
    assert not Holiday.objects.filter(date=dt.date(2026, 8, 10)).exists()


def test_admin_preview_shows_no_empty_date_fields(admin_client, licence, citizen):
    """From the holiday form the page shows the holiday's dates, not an empty
    "Tanggal (WIB):" form; its own form keeps the typed date (ISO, which a
    date input needs whatever the language)."""
    page = admin_client.get(reverse("admin:sla_preview"), {"date": "2026-08-10"})
    assert 'value="2026-08-10"' in page.content.decode()
    posted = admin_client.post(
        reverse("admin:sla_preview"),
        {"date": "2026-08-10", "closes_working_time": "on", "name": "Libur"},
    ).content.decode()
    assert 'name="date"' not in posted
    assert "Senin, 10 Agustus 2026" in posted
    untouched = admin_client.post(
        reverse("admin:sla_preview"), {"date": "2026-08-10", "name": "Libur"}
    ).content.decode()
    assert 'name="date"' not in untouched
    assert "tidak menutup atau membuka kembali hari kerja" in untouched


def test_admin_preview_of_moving_an_existing_holiday(admin_client, licence, citizen):
    """Moving Hari Kemerdekaan from Mon 17 Aug to Tue 18 Aug in the unsaved form:
    Mon 17 reopens and Tue 18 closes, so an application filed Fri 7 Aug 16:00
    (Tue 11 .. Fri 14, then the 5th working day) is due Mon 17 Aug 15:00
    instead of Tue 18 Aug."""
    application = submit_at(licence, citizen, wib(2026, 8, 7, 16))
    holiday = Holiday.objects.get(date=dt.date(2026, 8, 17))
    posted = admin_client.post(
        reverse("admin:sla_preview"),
        {
            "date": "2026-08-18",
            "closes_working_time": "on",
            "_sla_original": holiday.pk,
        },
    )
    html = posted.content.decode()
    assert application.reference in html
    assert "17 Agu 2026 15:00" in html


def _calendar_post(calendar, hours, **extra):
    """The calendar admin form as the browser posts it, with ``hours`` as
    ``[(weekday, "HH:MM", "HH:MM"), ...]`` replacing the stored rows."""
    stored = list(calendar.weekly_intervals.order_by("weekday", "opens_at"))
    data = {
        "code": calendar.code,
        "name": calendar.name,
        "name_en": calendar.name_en,
        "kind": calendar.kind,
        "timezone": calendar.timezone,
        "source": calendar.source,
        "note": calendar.note,
        "change_reason": "Surat Edaran Sekda",
        "weekly_intervals-TOTAL_FORMS": str(max(len(stored), len(hours))),
        "weekly_intervals-INITIAL_FORMS": str(len(stored)),
        "weekly_intervals-MIN_NUM_FORMS": "0",
        "weekly_intervals-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i in range(max(len(stored), len(hours))):
        prefix = f"weekly_intervals-{i}"
        if i < len(stored):
            data[f"{prefix}-id"] = stored[i].pk
            data[f"{prefix}-calendar"] = calendar.pk
        if i < len(hours):
            weekday, opens, closes = hours[i]
            data |= {
                f"{prefix}-weekday": weekday,
                f"{prefix}-opens_at": opens,
                f"{prefix}-closes_at": closes,
            }
        else:
            data[f"{prefix}-DELETE"] = "on"
    return data


WEEKDAYS_8_TO_15 = [(d, "08:00", "15:00") for d in range(5)]


def test_admin_preview_of_changed_service_hours(
    admin_client, licence, citizen, city_calendar
):
    """Before saving: closing at 14:00 on Tuesdays (the unsaved calendar form)
    moves an application due Tue 11 Aug 15:00 to 14:00 that day; nothing is
    saved. The calendar form offers the preview."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    timer = SlaTimer.objects.get(application=application, step__isnull=True)
    assert timer.due_at == wib(2026, 8, 11, 15)
    form = admin_client.get(
        reverse("admin:agencies_calendar_change", args=[city_calendar.pk])
    ).content.decode()
    assert reverse("admin:sla_preview") in form
    assert 'name="_sla_calendar"' in form
    hours = [*WEEKDAYS_8_TO_15]
    hours[1] = (1, "08:00", "14:00")
    posted = admin_client.post(
        reverse("admin:sla_preview"),
        _calendar_post(city_calendar, hours, _sla_calendar=city_calendar.pk),
    )
    html = posted.content.decode()
    assert application.reference in html
    assert "11 Agu 2026 14:00" in html
    assert "Selasa: 08:00\u201314:00" in html  # en dash
    assert city_calendar.weekly_intervals.get(weekday=1).closes_at == dt.time(15)


def test_admin_preview_shows_the_errors_of_overlapping_hours(
    admin_client, licence, citizen, city_calendar
):
    hours = [*WEEKDAYS_8_TO_15, (0, "14:00", "16:00")]
    posted = admin_client.post(
        reverse("admin:sla_preview"),
        _calendar_post(city_calendar, hours, _sla_calendar=city_calendar.pk),
    )
    html = posted.content.decode()
    assert "Gabungkan menjadi satu baris" in html
    assert 'id="sla-moved"' not in html


def test_backwards_hours_say_so_plainly_on_save_and_in_the_preview(
    admin_client, licence, citizen, city_calendar
):
    """Monday 16:00-15:00 is refused with the plain sentence, never the
    database constraint's name, on Save and in the preview."""
    hours = [*WEEKDAYS_8_TO_15]
    hours[0] = (0, "16:00", "15:00")
    url = reverse("admin:agencies_calendar_change", args=[city_calendar.pk])
    for html in (
        admin_client.post(url, _calendar_post(city_calendar, hours)).content.decode(),
        admin_client.post(
            reverse("admin:sla_preview"),
            _calendar_post(city_calendar, hours, _sla_calendar=city_calendar.pk),
        ).content.decode(),
    ):
        assert "Jam tutup harus setelah jam buka." in html
        assert "weekly_interval_closes_after_opening" not in html
    assert city_calendar.weekly_intervals.get(weekday=0).opens_at == dt.time(8)


def test_admin_saves_service_hours_audited_and_deadlines_follow(
    admin_client, licence, citizen, city_calendar, django_capture_on_commit_callbacks
):
    """Saving the calendar with Tuesday closing at 14:00 writes the rows with
    the reason in the audit trail and recomputes the open deadline (the
    worker's job after the commit); an overlap or an interval closing before
    it opens is refused with the error on the row."""
    from audit.models import AuditEntry
    from sla.tasks import sla_recompute_task

    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    url = reverse("admin:agencies_calendar_change", args=[city_calendar.pk])
    bad = admin_client.post(
        url, _calendar_post(city_calendar, [*WEEKDAYS_8_TO_15, (2, "14:30", "17:00")])
    )
    assert bad.status_code == 200  # the form again, with the error
    assert "Gabungkan menjadi satu baris" in bad.content.decode()
    backwards = [*WEEKDAYS_8_TO_15]
    backwards[1] = (1, "15:00", "08:00")
    assert (
        admin_client.post(url, _calendar_post(city_calendar, backwards)).status_code
        == 200
    )
    assert city_calendar.weekly_intervals.get(weekday=1).closes_at == dt.time(15)

    hours = [*WEEKDAYS_8_TO_15]
    hours[1] = (1, "08:00", "14:00")
    with django_capture_on_commit_callbacks(execute=False):
        saved = admin_client.post(url, _calendar_post(city_calendar, hours))
    assert saved.status_code == 302
    assert city_calendar.weekly_intervals.get(weekday=1).closes_at == dt.time(14)
    entry = AuditEntry.objects.filter(reason="Surat Edaran Sekda").latest("pk")
    assert entry is not None
    sla_recompute_task()
    timer = SlaTimer.objects.get(application=application, step__isnull=True)
    assert timer.due_at == wib(2026, 8, 11, 14)


@pytest.mark.parametrize("name", ["detail", "receipt"])
def test_citizen_sees_expected_completion_and_time_left(licence, citizen, login, name):
    """Filed Tue 4 Aug 08:00; seen Tue 10:00: due Tue 11 Aug 15:00 WIB, 40
    working hours left."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    with time_machine.travel(wib(2026, 8, 4, 10), tick=False):
        c = login(citizen, Client())
        html = c.get(reverse(f"permits:{name}", args=[application.uuid])).content
    html = html.decode()
    assert 'data-testid="sla-expected"' in html
    assert "11 Agustus 2026 15:00" in html
    assert "40 j 0 mnt" in html


def test_extension_over_the_api(client, licence, citizen, verifier, dinkes_head, login):
    SlaPolicy.objects.create(service=licence, max_extension_days=5)
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    dinsos = Agency.objects.create(code="DINSOS", name="Dinsos", kind="dinas")
    stranger = make_officer("lain", agency=dinsos, role=OfficerRole.VERIFIER)
    body = {"application": str(application.uuid), "days": 2, "reason": "Uji lab."}
    c = login(stranger, Client())
    assert (
        c.post(
            "/api/v1/sla/extensions/", body, content_type="application/json"
        ).status_code
        == 404
    )
    c = login(verifier, Client())
    response = c.post("/api/v1/sla/extensions/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    refused = c.post(
        f"/api/v1/sla/extensions/{pk}/decide/",
        {"approve": True},
        content_type="application/json",
    )
    assert refused.status_code == 400
    c = login(dinkes_head, Client())
    response = c.post(
        f"/api/v1/sla/extensions/{pk}/decide/",
        {"approve": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert dt.datetime.fromisoformat(response.json()["due_at"]) == wib(2026, 8, 13, 15)
    assert SlaExtension.objects.get().status == "approved"


@pytest.mark.parametrize(
    "model", [SlaTimer, SlaSegment, SlaWarning, SlaExtension, SlaPolicy]
)
def test_admin_lists_load(admin_client, licence, citizen, model):
    submit_at(licence, citizen, wib(2026, 8, 4, 10))
    url = reverse(f"admin:sla_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_extension_list_shows_the_agency_its_requests(
    licence, citizen, verifier, login
):
    SlaPolicy.objects.create(service=licence, max_extension_days=5)
    application = submit_at(licence, citizen, wib(2026, 8, 4, 10))
    c = login(verifier, Client())
    c.post(
        "/api/v1/sla/extensions/",
        {"application": str(application.uuid), "days": 1, "reason": "Uji."},
        content_type="application/json",
    )
    listed = c.get("/api/v1/sla/extensions/").json()["results"]
    assert [row["reference"] for row in listed] == [application.reference]
