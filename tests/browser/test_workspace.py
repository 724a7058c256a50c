"""An officer filters the workspace queue, claims an application, reads its
document in the viewer, adds an internal note and completes the step; a
supervisor reassigns five tasks at once with one reason. Every page passes the
accessibility and 360 px gates."""

import pytest
from playwright.sync_api import expect

from accounts.choices import OfficerRole
from accounts.models import User
from agencies.choices import AgencyKind, StepKind
from agencies.models import Agency
from audit.context import audit_actor
from permits.models import ApplicationStep
from permits.services import (
    application_create_draft,
    application_submit,
    document_upload,
)
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)
from tests.support.workflow import VALID_FORM, make_service
from tests.workspace.conftest import pdf_bytes
from workspace.services import tasks_assign

from .test_applications import PASSWORD, _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_works_a_task_and_supervisor_reassigns_five(
    live_server,
    page,
    assert_page_ok,
    make_staff,  # noqa: F811
    settings,
    tmp_path,
    capture,
):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    dpmptsp = Agency.objects.create(
        code="DPMPTSP", name="DPMPTSP", kind=AgencyKind.DINAS
    )
    dinkes = Agency.objects.create(code="DINKES", name="Dinkes", kind=AgencyKind.DINAS)
    fo = make_staff(
        OfficerRole.FRONT_OFFICE, agency=dpmptsp, username="fo", full_name="Budi"
    )
    fo2 = make_staff(
        OfficerRole.FRONT_OFFICE, agency=dpmptsp, username="fo2", full_name="Fajar"
    )
    spv = make_staff(
        OfficerRole.SUPERVISOR, agency=dpmptsp, username="spv", full_name="Sari"
    )
    with audit_actor(system="system:test"):
        A = StepKind.AGENCY
        service = make_service(
            code="sip-dokter",
            agency=dinkes,
            issuer=dpmptsp,
            steps=[
                (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
                (A, dinkes, OfficerRole.VERIFIER, "", ""),
            ],
        )
        citizen = User.objects.create_user(
            username="warga", password="x-Rahasia-1", full_name="Siti Rahma"
        )
        draft = application_create_draft(
            applicant=citizen, service=service, form_data=dict(VALID_FORM)
        )
        document_upload(
            owner=citizen,
            requirement_code="ktp",
            content=pdf_bytes(1),
            original_name="ktp.pdf",
            application=draft,
        )
        mine, _code = application_submit(
            application=draft, applicant=citizen, idempotency_key="k0"
        )
        others = []
        for i in range(5):
            d = application_create_draft(
                applicant=citizen, service=service, form_data=dict(VALID_FORM)
            )
            others.append(
                application_submit(
                    application=d, applicant=citizen, idempotency_key=f"k{i + 1}"
                )[0]
            )
        five = [a.steps.get(status="active").pk for a in others]
        tasks_assign(user=spv, step_ids=five, officer=fo.officer, reason="Awal")

    # The officer filters the unassigned queue down to one application.
    _log_in(page, base, "fo", PASSWORD, "/ruang-kerja/?tab=unassigned")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruang kerja")
    expect(page.get_by_test_id("count-unassigned")).to_have_text("1")
    assert_page_ok(page)
    page.get_by_text("Saring dan urutkan").click()
    page.get_by_label("Nomor registrasi atau nama pemohon").fill(mine.reference)
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_test_id("task-row")).to_have_count(1)
    assert_page_ok(page)

    # Claims it.
    page.get_by_label(f"Pilih {mine.reference}").check()
    page.get_by_role("button", name="Jalankan").click()
    expect(page.locator(".messages")).to_contain_text("Anda mengambil 1 tugas.")
    page.get_by_test_id("tab-mine").click()
    expect(page.get_by_test_id("task-row")).to_have_count(6)
    assert_page_ok(page)
    capture(page, "workspace-queue", desktop=True)

    # Reads the document in the viewer.
    page.get_by_role("link", name=mine.reference).click()
    expect(page.get_by_test_id("status")).to_have_text("Diajukan")
    assert_page_ok(page)
    page.get_by_role("link", name="Lihat ktp").click()
    image = page.get_by_role("img", name="Halaman 1 dari 1")
    expect(image).to_be_visible()
    # The page image is rendered on the server and really decodes as a picture.
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=page-image]');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert_page_ok(page)
    capture(page, "document-viewer", desktop=True)
    page.get_by_role("link", name=mine.reference).click()

    # Adds an internal note, then completes the step.
    page.get_by_label("Catatan internal (tidak ditampilkan kepada pemohon)").fill(
        "STR sudah dicek di KKI."
    )
    page.get_by_role("button", name="Simpan catatan").click()
    expect(page.get_by_test_id("notes")).to_contain_text("STR sudah dicek di KKI.")
    assert_page_ok(page)
    capture(page, "workspace-application", desktop=True, full_page=True)
    page.get_by_role("button", name="Selesaikan tahap ini").click()
    expect(page.get_by_test_id("status")).to_have_text("Sedang diproses")
    assert_page_ok(page)

    # The supervisor reassigns the other five to a colleague with one reason.
    _log_in(page, base, "spv", PASSWORD, "/ruang-kerja/?tab=agency")
    expect(page.get_by_test_id("task-row")).to_have_count(5)
    assert_page_ok(page)
    for application in others:
        page.get_by_label(f"Pilih {application.reference}").check()
    page.get_by_label("Tindakan").select_option("assign")
    page.get_by_label("Petugas (untuk penugasan)").select_option(str(fo2.officer.pk))
    page.get_by_label("Alasan (wajib untuk penugasan)").fill("Budi cuti besok")
    page.get_by_role("button", name="Jalankan").click()
    expect(page.locator(".messages")).to_contain_text("5 tugas kini ditangani Fajar.")
    assert_page_ok(page)
    assert set(
        ApplicationStep.objects.filter(pk__in=five).values_list(
            "assigned_officer", flat=True
        )
    ) == {fo2.officer.pk}
