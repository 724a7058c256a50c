"""A citizen finds the building approval in the catalogue and reads who does
what and how long it takes, on a phone, in Indonesian and then English."""

import pytest
from playwright.sync_api import expect

from agencies.catalogue_loader import read_catalogue
from agencies.services import catalogue_apply

pytestmark = pytest.mark.django_db(transaction=True)

PBG_UMUM = (
    "Persetujuan Bangunan Gedung (PBG) \u2013 Bangunan Non-Sederhana "
    "(Usaha/Campuran/Sosial/Prasarana)"
)


def test_search_pbg_open_it_and_see_steps_agencies_and_sla(
    live_server, page, assert_page_ok, capture
):
    catalogue_apply(plan=read_catalogue(), reason="browser test", holiday_years=())

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Layanan"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Katalog layanan")
    expect(page.locator("li.card")).to_have_count(46)
    assert_page_ok(page)
    capture(page, "catalogue", full_page=False)

    page.get_by_label("Cari berdasarkan nama, kode, atau instansi").fill("PBG")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("li.card")).to_have_count(2)
    expect(
        page.get_by_role("heading", level=2, name="2 layanan ditemukan")
    ).to_be_visible()
    assert_page_ok(page)

    page.get_by_role("link", name=PBG_UMUM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PBG_UMUM)
    sla = page.locator(
        "section", has=page.get_by_role("heading", name="Lama penyelesaian")
    )
    expect(sla).to_contain_text("45 hari kerja")
    steps = page.locator("ol.step-list > li")
    expect(steps).to_have_count(7)
    expect(steps.nth(0)).to_contain_text("Anda (pemohon)")
    expect(steps.nth(2)).to_contain_text("berjalan bersamaan")
    expect(steps.nth(2)).to_contain_text("Disperkimtan")
    expect(steps.nth(2)).to_contain_text("DPUPR")
    expect(steps.nth(6)).to_contain_text("DPMPTSP")
    agencies = page.locator("section", has=page.get_by_role("heading", name="Instansi"))
    expect(agencies).to_contain_text("Dinas Pekerjaan Umum dan Penataan Ruang")
    assert_page_ok(page)
    capture(page, "service-page")

    page.get_by_role("link", name="Standar pelayanan (UU 25/2009)").click()
    expect(
        page.get_by_role("heading", level=2, name="Jangka waktu penyelesaian")
    ).to_be_visible()
    assert_page_ok(page)

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=2, name="Completion time")).to_be_visible()
    page.get_by_role(
        "link", name="Building Approval (PBG) \u2013 non-simple buildings"
    ).click()
    expect(page.locator("ol.step-list")).to_contain_text("Spatial-conformity review")
    expect(page.locator("body")).to_contain_text("45 working days")
    assert_page_ok(page)
