"""The admin edits calendars, holidays and offices with a reason, audited."""

import datetime as dt
import re

from django.utils import translation

import pytest

from agencies.models import (
    Agency,
    Calendar,
    CalendarOverride,
    District,
    Holiday,
    Office,
    Service,
    ServiceVersion,
    Village,
)
from audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]

MODELS = [
    Agency,
    Calendar,
    CalendarOverride,
    District,
    Holiday,
    Office,
    Service,
    ServiceVersion,
    Village,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_opens(client, admin_user, model):
    client.force_login(admin_user)
    name = model._meta.model_name
    assert client.get(f"/admin/agencies/{name}/").status_code == 200
    obj = model.objects.order_by("pk").first()
    assert client.get(f"/admin/agencies/{name}/{obj.pk}/change/").status_code == 200


def test_versions_and_services_cannot_be_deleted_or_versions_edited(client, admin_user):
    client.force_login(admin_user)
    version = ServiceVersion.objects.order_by("pk").first()
    page = client.get(f"/admin/agencies/serviceversion/{version.pk}/change/")
    assert 'name="_save"' not in page.text
    service = Service.objects.order_by("pk").first()
    assert (
        client.get(f"/admin/agencies/service/{service.pk}/delete/").status_code == 403
    )


def _calendar_post(calendar: Calendar, intervals: list, reason: str) -> dict:
    data = {
        "code": calendar.code,
        "name": calendar.name,
        "name_en": calendar.name_en,
        "kind": calendar.kind,
        "timezone": calendar.timezone,
        "source": calendar.source,
        "note": calendar.note,
        "change_reason": reason,
        "weekly_intervals-TOTAL_FORMS": str(len(intervals)),
        "weekly_intervals-INITIAL_FORMS": str(sum(1 for i in intervals if i.get("id"))),
        "weekly_intervals-MIN_NUM_FORMS": "0",
        "weekly_intervals-MAX_NUM_FORMS": "1000",
    }
    if calendar.is_assumed:
        data["is_assumed"] = "on"
    for n, interval in enumerate(intervals):
        for key, value in interval.items():
            data[f"weekly_intervals-{n}-{key}"] = value
        data[f"weekly_intervals-{n}-calendar"] = str(calendar.pk)
    return data


def test_calendar_hours_change_is_audited_with_the_reason(client, admin_user):
    """Adding a Saturday interval to a kecamatan point records the new interval
    with the admin as actor and the typed reason."""
    client.force_login(admin_user)
    calendar = Calendar.objects.get(code="layanan-kec-cipondoh")
    existing = [
        {
            "id": str(i.pk),
            "weekday": str(i.weekday),
            "opens_at": i.opens_at.strftime("%H:%M"),
            "closes_at": i.closes_at.strftime("%H:%M"),
        }
        for i in calendar.weekly_intervals.order_by("weekday")
    ]
    saturday = {"weekday": "5", "opens_at": "08:00", "closes_at": "12:00"}
    response = client.post(
        f"/admin/agencies/calendar/{calendar.pk}/change/",
        _calendar_post(calendar, [*existing, saturday], "Camat: buka Sabtu pagi."),
    )
    assert response.status_code == 302
    assert calendar.weekly_intervals.filter(weekday=5).exists()
    entry = AuditEntry.objects.get(action="weeklyinterval.create")
    assert (entry.actor, entry.reason) == (admin_user, "Camat: buka Sabtu pagi.")


def test_holiday_edit_requires_a_reason_and_is_audited(client, admin_user):
    client.force_login(admin_user)
    holiday = Holiday.objects.get(date=dt.date(2026, 12, 24))
    url = f"/admin/agencies/holiday/{holiday.pk}/change/"
    data = {
        "date": "2026-12-24",
        "name": holiday.name,
        "name_en": holiday.name_en,
        "category": holiday.category,
        "source": "decree",
        "source_reference": "SKB 3 Menteri 2026",
        "closes_working_time": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # no reason: refused
    holiday.refresh_from_db()
    assert holiday.closes_service_hours
    response = client.post(url, {**data, "change_reason": "MPP tetap buka."})
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert not holiday.closes_service_hours
    entry = AuditEntry.objects.get(action="holiday.update", object_id=holiday.pk)
    assert entry.changes["closes_service_hours"] == [True, False]
    assert entry.reason == "MPP tetap buka."


def test_second_holiday_on_the_same_day_and_category_says_it_already_exists(
    client, admin_user
):
    """Django's Indonesian unique message says "tidak ada" (does not exist);
    ours says the holiday already exists."""
    client.force_login(admin_user)
    holiday = Holiday.objects.get(date=dt.date(2026, 12, 24))
    response = client.post(
        "/admin/agencies/holiday/add/",
        {
            "date": "2026-12-24",
            "name": "Duplikat",
            "category": holiday.category,
            "source": "decree",
            "closes_working_time": "on",
            "change_reason": "Uji.",
        },
        headers={"accept-language": "id"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hari libur kategori ini sudah ada pada tanggal ini." in html
    assert "tidak ada" not in html


@pytest.fixture
def language_restored():
    """The admin's LocaleMiddleware activates the cookie's language in this
    thread; give the next tests the language they started with."""
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.mark.usefixtures("language_restored")
@pytest.mark.parametrize("language", ["id", "en"])
def test_calendar_hours_show_and_accept_hh_mm(client, admin_user, language):
    """Django's Indonesian time input format showed "08.00.00"; both
    languages show and accept "08:00" (``ptsp.formats``)."""
    client.force_login(admin_user)
    client.cookies["django_language"] = language
    calendar = Calendar.objects.get(code="layanan-kec-cipondoh")
    monday = calendar.weekly_intervals.get(weekday=0, opens_at=dt.time(8))
    url = f"/admin/agencies/calendar/{calendar.pk}/change/"
    html = client.get(url).content.decode()
    assert f'<html lang="{language}"' in html
    assert 'name="weekly_intervals-0-opens_at" value="08:00"' in html
    assert "08.00" not in html
    assert "08:00:00" not in html

    rows = [
        {
            "id": str(i.pk),
            "weekday": str(i.weekday),
            "opens_at": i.opens_at.strftime("%H:%M"),
            "closes_at": i.closes_at.strftime("%H:%M"),
        }
        for i in calendar.weekly_intervals.order_by("weekday", "opens_at")
    ]
    rows[0] = {**rows[0], "opens_at": "07:30"}
    response = client.post(url, _calendar_post(calendar, rows, "Buka lebih awal."))
    assert response.status_code == 302
    monday.refresh_from_db()
    assert monday.opens_at == dt.time(7, 30)


def test_saving_a_calendar_keeps_a_closing_time_at_midnight(client, admin_user):
    """Times show as HH:MM, so an interval running to midnight (stored as
    23:59:59.999999, as the demo's 24-hour calendar) shows "23:59"; saving
    the calendar with that row untouched keeps the stored time and audits no
    change of it, while a typed change of the same row still saves."""
    end_of_day = dt.time(23, 59, 59, 999999)
    client.force_login(admin_user)
    calendar = Calendar.objects.get(code="layanan-kec-cipondoh")
    monday = calendar.weekly_intervals.get(weekday=0, opens_at=dt.time(8))
    monday.closes_at = end_of_day
    monday.save()
    url = f"/admin/agencies/calendar/{calendar.pk}/change/"
    assert 'name="weekly_intervals-0-closes_at" value="23:59"' in client.get(url).text
    rows = [
        {
            "id": str(i.pk),
            "weekday": str(i.weekday),
            "opens_at": i.opens_at.strftime("%H:%M"),
            "closes_at": i.closes_at.strftime("%H:%M"),
        }
        for i in calendar.weekly_intervals.order_by("weekday", "opens_at")
    ]
    before = AuditEntry.objects.filter(action="weeklyinterval.update").count()
    calendar.note = "Catatan baru."
    response = client.post(url, _calendar_post(calendar, rows, "Ubah catatan."))
    assert response.status_code == 302
    monday.refresh_from_db()
    assert monday.closes_at == end_of_day
    assert AuditEntry.objects.filter(action="weeklyinterval.update").count() == before

    rows[0] = {**rows[0], "closes_at": "22:00"}
    response = client.post(url, _calendar_post(calendar, rows, "Tutup lebih awal."))
    assert response.status_code == 302
    monday.refresh_from_db()
    assert monday.closes_at == dt.time(22)


def test_admin_time_zone_note_is_in_indonesian(client, admin_user):
    """Django's Indonesian catalogue leaves the admin's time-zone note (shown
    by its time widget) in English; ours translates it."""
    client.force_login(admin_user)
    client.cookies["django_language"] = "id"
    script = client.get("/admin/jsi18n/").content.decode()
    assert "(Waktu Anda %(offset)s jam lebih cepat.)" in script
    assert "(Waktu Anda %(offset)s jam lebih lambat.)" in script
    # The "Now" link types the first input format: HH:MM.
    assert re.search(r'"TIME_INPUT_FORMATS": \[\s*"%H:%M",', script)


def test_a_duplicate_code_says_it_already_exists_in_indonesian(client, admin_user):
    """Our catalogue (LOCALE_PATHS) overrides Django's Indonesian unique
    message ("... telah ada") with "... ini sudah ada"."""
    client.force_login(admin_user)
    client.cookies["django_language"] = "id"
    existing = Calendar.objects.get(code="layanan-kec-cipondoh")
    data = _calendar_post(existing, [], "Uji duplikat.")
    data["name"] = "Duplikat"
    response = client.post("/admin/agencies/calendar/add/", data)
    assert response.status_code == 200
    html = response.content.decode()
    # Django capitalises the single field's label.
    assert "Kalender dengan Kode ini sudah ada." in html
    assert "telah ada" not in html


def test_a_duplicate_on_several_fields_says_it_already_exists_in_indonesian():
    """Django's Indonesian for the several-fields message says "tidak ada"
    (does not exist); ours says it already exists."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from agencies.models import WeeklyInterval

    first = WeeklyInterval.objects.order_by("pk").first()
    duplicate = WeeklyInterval(
        calendar=first.calendar,
        weekday=first.weekday,
        opens_at=first.opens_at,
        closes_at=first.closes_at,
    )
    with translation.override("id"), pytest.raises(ValidationError) as error:
        duplicate.validate_constraints()
    messages = " ".join(error.value.messages)
    assert (
        "Jam buka mingguan dengan Kalender, Hari dan Buka pukul ini sudah ada."
        in messages
    )
    assert "tidak ada" not in messages
