"""The staff's day on the real catalogue: DPMPTSP and Dinkes officers work a
practice licence through their queues to the issued permit; a kecamatan front
office files a BPJS Kesehatan correction for a citizen at the counter and BPJS
works it; a counter calls a walk-in ticket while the board shows it; the admin
changes the service hours and adds a holiday, and sees the open deadline move
(previewed before saving, then on the officer's application page);
the auditor filters the trail, exports it and verifies the chain. Each persona
is its own test; every page passes the accessibility and 360 px gates and no
request leaves the portal."""

import csv
import datetime as dt
import io

from django.utils import dateformat, timezone, translation

import pytest
from playwright.sync_api import expect

from accounts.models import User
from agencies.models import Service
from audit.context import audit_actor
from auditor.models import VerificationRun
from auditor.tasks import verification_run_task
from permits.choices import ApplicationStatus
from permits.services import (
    application_create_draft,
    application_step_complete,
    application_submit,
    document_upload,
)
from queueing.models import QueueTicket
from sla.models import SlaTimer
from sla.services import sla_due_for
from sla.tasks import sla_recompute_task
from tests.audit.conftest import seal_all
from tests.channeling.conftest import NIK, code_sent_to
from tests.documents.conftest import act
from tests.permits.conftest import VALID_FORM
from tests.queueing.factories import (
    OfficeFactory,
    ServiceGroupFactory,
    make_counter,
    make_operator,
)
from tests.support.browser import log_in

from .conftest import CITIZEN_PASSWORD, PDF, STAFF_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _practice_licence_submitted():
    """A citizen's practice licence (SIP) with its first document, just submitted."""
    citizen = User.objects.create_user(
        username="dokter", password=CITIZEN_PASSWORD, full_name="Siti Rahma"
    )
    with audit_actor(system="system:test"):
        draft = application_create_draft(
            applicant=citizen,
            service=Service.objects.get(code="sip-dokter"),
            form_data=dict(VALID_FORM),
        )
        document_upload(
            owner=citizen,
            requirement_code=draft.service_version.requirements[0]["code"],
            content=PDF,
            original_name="ktp.pdf",
            application=draft,
        )
        application, _code = application_submit(
            application=draft, applicant=citizen, idempotency_key="e2e"
        )
    return application


def _complete_from_task_list(page, base, username, reference, button, assert_page_ok):
    log_in(page, base, username, STAFF_PASSWORD, "/permohonan/tugas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar tugas")
    assert_page_ok(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("status")).to_be_visible()
    assert_page_ok(page)
    with page.expect_navigation():  # the step's form posts and redirects
        page.get_by_role("button", name=button).click()
    expect(page.get_by_test_id("status")).to_be_visible()
    assert_page_ok(page)


def test_agency_officers_work_their_queues_to_the_issued_permit(
    live_server, page, assert_page_ok, office_day, same_origin
):
    application = _practice_licence_submitted()
    reference = application.reference
    base = live_server.url

    # DPMPTSP's front office claims it in the workspace and passes it on.
    log_in(page, base, "fo", STAFF_PASSWORD, "/ruang-kerja/?tab=unassigned")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruang kerja")
    assert_page_ok(page)
    page.get_by_label(f"Pilih {reference}").check()
    page.get_by_role("button", name="Jalankan").click()
    expect(page.locator(".messages")).to_contain_text("Anda mengambil 1 tugas.")
    page.get_by_test_id("tab-mine").click()
    expect(page.get_by_test_id("task-row")).to_have_count(1)
    assert_page_ok(page)
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Selesaikan tahap ini").click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    assert_page_ok(page)

    # Dinkes recommends; the head of DPMPTSP signs; the front office issues.
    _complete_from_task_list(
        page, base, "dinkes", reference, "Selesaikan tahap ini", assert_page_ok
    )
    _complete_from_task_list(page, base, "ttd", reference, "Setujui", assert_page_ok)
    expect(page.get_by_test_id("status")).to_have_text("Disetujui")
    _complete_from_task_list(
        page, base, "fo", reference, "Selesaikan tahap ini", assert_page_ok
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ISSUED
    assert application.issued_documents.exclude(kind="receipt").count() == 1


def test_kecamatan_front_office_files_a_bpjs_correction(
    live_server, page, assert_page_ok, office_day, same_origin
):
    base = live_server.url
    log_in(page, base, "loket", STAFF_PASSWORD, "/loket/baru/")
    assert_page_ok(page)
    page.get_by_label("Layanan").select_option("bpjskes-ubah-data")
    page.get_by_label("NIK warga").fill(NIK)
    page.get_by_label("Nama lengkap warga").fill("Siti Rahma")
    page.get_by_label("Nomor ponsel warga").fill("0812 3456 7890")
    page.get_by_label("Alamat e-mail warga (opsional)").fill("siti@example.org")
    page.get_by_role("button", name="Lanjutkan").click()
    assert_page_ok(page)
    page.get_by_label("Nomor kartu JKN-KIS").fill("0001234567890")
    page.get_by_label("Data yang diubah").select_option(label="Alamat")
    page.get_by_label("Data lama").fill("Jl. Lama 1")
    page.get_by_label("Data baru").fill("Jl. Baru 2")
    page.get_by_label("KTP-el").set_input_files(str(office_day.pdf))
    page.get_by_role("button", name="Kirim kode ke warga").click()
    page.get_by_label("Kode yang diterima warga").fill(code_sent_to("siti@example.org"))
    page.get_by_role("button", name="Konfirmasi dan ajukan").click()
    expect(page.get_by_test_id("assisted-status")).to_have_text(
        "Dikonfirmasi dan diajukan"
    )
    assert_page_ok(page)
    reference = page.get_by_test_id("reference").inner_text()

    # BPJS Kesehatan's verifier finds it in their task list.
    _complete_from_task_list(
        page, base, "bpjsverif", reference, "Selesaikan tahap ini", assert_page_ok
    )
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")


def test_counter_calls_a_walk_in_ticket_while_the_board_shows_it(
    live_server, page, assert_page_ok, office_day, same_origin, django_user_model
):
    office = OfficeFactory(code="mpp-e2e", name="MPP Kota Tangerang")  # open all day
    group = ServiceGroupFactory(
        office=office, prefix="B", services=[Service.objects.get(code="pbg-rts-10jam")]
    )
    make_operator(django_user_model, make_counter(group, number=2), "loket2")
    base = live_server.url

    page.goto(f"{base}/antrian/{office.code}/kios/")
    assert_page_ok(page)
    page.locator("form.kiosk-form").get_by_label("NIK (16 angka di e-KTP Anda)").fill(
        NIK
    )
    page.get_by_role("button", name=group.services.get().current_version.name).click()
    expect(page.locator(".ticket-number")).to_have_text("B001")
    assert_page_ok(page)

    board = page.context.new_page()
    board.goto(f"{base}/antrian/{office.code}/papan/")
    assert_page_ok(board)
    desk = page.context.browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", bypass_csp=True
    ).new_page()
    log_in(desk, base, "loket2", "kata-sandi-petugas-2026", "/antrian/loket/")
    desk.get_by_role("link", name="Loket 2").click()
    desk.get_by_role("button", name="Panggil berikutnya").click()
    expect(desk.locator(".desk-number")).to_have_text("B001")
    assert_page_ok(desk)
    expect(board.locator(".board-call.active .board-number")).to_have_text(
        "B001", timeout=5000
    )
    assert QueueTicket.objects.get().status == "called"
    desk.context.close()


def _next_working_day(after: dt.date) -> dt.date:
    day = after + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _shown(instant: dt.datetime) -> str:
    """``instant`` as the application page shows it in Indonesian (WIB)."""
    with translation.override("id"):
        return dateformat.format(timezone.localtime(instant), "j M Y H:i") + " WIB"


def _deadline_seen_by_the_officer(page, base, application) -> str:
    log_in(page, base, "fo", STAFF_PASSWORD, "/permohonan/tugas/")
    page.get_by_role("link", name=application.reference).click()
    return page.get_by_test_id("deadline").inner_text()


def test_admin_changes_service_hours_and_adds_a_holiday_and_sees_deadlines_move(
    live_server, page, assert_page_ok, office_day, same_origin
):
    """The admin shortens the city's working hours on the weekday the open
    practice licence is due (closing at 14:00 instead of 15:00), previews the
    deadline it moves, saves; then adds a holiday two working days ahead. After
    each change the front office sees the deadline the real calendar gives
    (``sla_due_for``: same service, same submission time, no pause)."""
    application = _practice_licence_submitted()
    timer = SlaTimer.objects.get(application=application, step__isnull=True)
    service = application.service
    before = timer.due_at
    assert before == sla_due_for(service=service, at=application.submitted_at).due_at
    assert timer.calendar.code == "kerja-kota"  # the city's working time
    User.objects.create_superuser(
        username="admin", password=STAFF_PASSWORD, email="admin@example.org"
    )
    base = live_server.url
    assert _deadline_seen_by_the_officer(page, base, application) == _shown(before)
    assert_page_ok(page)

    # Service hours: the weekday the deadline falls on now closes at 14:00.
    due_weekday = timezone.localtime(before).weekday()
    log_in(page, base, "admin", STAFF_PASSWORD, "/admin/agencies/calendar/")
    assert_page_ok(page)
    page.get_by_role("link", name="kerja-kota").click()
    assert_page_ok(page)
    rows = page.locator("select[name$='-weekday']")
    index = next(
        i for i in range(rows.count()) if rows.nth(i).input_value() == str(due_weekday)
    )
    page.locator(f"#id_weekly_intervals-{index}-closes_at").fill("14:00")
    with page.context.expect_page() as preview_page:
        page.get_by_role("button", name="Pratinjau tenggat yang bergeser").click()
    preview = preview_page.value
    preview.wait_for_load_state("load")
    expect(preview.locator("#sla-hours")).to_contain_text("08:00\u201314:00")
    expect(preview.locator("#sla-moved")).to_contain_text(str(application))
    assert_page_ok(preview, english=False)  # the answer to a POST
    preview.close()
    page.get_by_label("Alasan perubahan").fill("Keputusan Wali Kota")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert_page_ok(page)

    assert sla_recompute_task() >= 1  # the worker's job after the commit
    timer.refresh_from_db()
    shortened = sla_due_for(service=service, at=application.submitted_at).due_at
    assert timer.due_at == shortened != before
    assert timezone.localtime(shortened).time() == dt.time(14)
    assert _deadline_seen_by_the_officer(page, base, application) == _shown(shortened)

    # A holiday two working days ahead: previewed, saved, a working day later.
    holiday = _next_working_day(_next_working_day(timezone.localdate()))
    log_in(page, base, "admin", STAFF_PASSWORD, "/admin/agencies/holiday/add/")
    page.get_by_label("Tanggal").fill(holiday.isoformat())
    page.get_by_label("Nama (bahasa Indonesia)").fill("Cuti bersama kota")
    page.get_by_label("Kategori").select_option(index=1)
    with page.context.expect_page() as preview_page:
        page.get_by_role("button", name="Pratinjau tenggat yang bergeser").click()
    preview = preview_page.value
    expect(preview.locator("#sla-moved")).to_contain_text(str(application))
    assert_page_ok(preview, english=False)  # the answer to a POST
    preview.close()
    page.get_by_label("Alasan perubahan").fill("Keputusan Wali Kota")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()

    assert sla_recompute_task() >= 1
    timer.refresh_from_db()
    after_holiday = sla_due_for(service=service, at=application.submitted_at).due_at
    assert timer.due_at == after_holiday > shortened
    seen = _deadline_seen_by_the_officer(page, base, application)
    assert seen == _shown(after_holiday)
    assert_page_ok(page)
    log_in(page, base, "admin", STAFF_PASSWORD, "/admin/sla/slatimer/")
    page.goto(f"{base}/admin/sla/slatimer/?q={application.reference}")
    expect(page.locator("#result_list")).to_contain_text(application.reference)
    assert_page_ok(page)


def test_auditor_filters_exports_and_verifies_the_trail(
    live_server, page, assert_page_ok, office_day, same_origin
):
    application = _practice_licence_submitted()
    act(application_step_complete, application, office_day.staff.fo.officer)
    seal_all()  # the beat sealer's job
    base = live_server.url

    log_in(page, base, "audit", STAFF_PASSWORD, "/auditor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jejak audit")
    page.get_by_label("Nomor registrasi permohonan").fill(application.reference)
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_test_id("entries")).to_contain_text("application.submitted")
    assert_page_ok(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ekspor CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert {r["action"] for r in rows} >= {"application.submitted"}
    page.get_by_role("link", name="Integritas", exact=True).click()
    page.get_by_role("button", name="Periksa sekarang").click()
    verification_run_task(VerificationRun.objects.get().pk)  # the worker's job
    page.reload()
    expect(page.get_by_test_id("chain-status").first).to_contain_text(
        "Rantai terverifikasi: utuh"
    )
    assert_page_ok(page)
