"""Public catalogue pages in Indonesian and English."""

import re

from django.utils.html import escape

import pytest

from agencies.models import Agency, Service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]

EN = {"accept-language": "en"}


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">', html)


def test_catalogue_lists_all_services_and_agencies_in_both_languages(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/layanan/")
    assert response.status_code == 200
    assert len(_cards(response.text)) == 46
    assert "46 layanan ditemukan" in response.text
    for agency in Agency.objects.all():
        assert escape(agency.name) in response.text
    assert "Surat Izin Praktik (SIP) Dokter" in response.text

    english = client.get("/layanan/", headers=EN).text
    assert len(_cards(english)) == 46
    assert "46 services found" in english
    assert "Practice licence for physicians and dentists" in english
    for agency in Agency.objects.all():
        assert escape(agency.name_en) in english


def test_search_and_filters(client):
    response = client.get("/layanan/", {"q": "PBG"})
    assert len(_cards(response.text)) == 2
    assert "/layanan/pbg-umum/" in response.text
    response = client.get(
        "/layanan/", {"agency": "DINKES", "applicant_type": "business"}
    )
    assert len(_cards(response.text)) == 4
    response = client.get("/layanan/", {"category": "data_correction"})
    assert "/layanan/bpjskes-ubah-data/" in response.text


def test_bad_filter_is_explained_not_a_crash(client):
    response = client.get("/layanan/", {"category": "bogus"}, headers=EN)
    assert response.status_code == 200
    assert "Some filters are not valid" in response.text
    assert len(_cards(response.text)) == 0


def test_detail_shows_steps_agencies_sla_fee_and_sources(client):
    response = client.get("/layanan/pbg-umum/")
    assert response.status_code == 200
    html = response.text
    assert "45 hari kerja" in html
    assert "Disperkimtan" in html
    assert "DPUPR" in html
    assert "Pemeriksaan kesesuaian tata ruang (KRK/KKPR)" in html
    assert "berjalan bersamaan" in html  # the parallel reviews
    assert "Retribusi PBG (SIMBG; PP 16/2021" in html
    assert "https://korantangerang.com/" in html


def test_assumed_sla_is_marked_provisional(client):
    html = client.get("/layanan/duplikat-izin/").text
    assert 'class="badge provisional">sementara' in html
    html = client.get("/layanan/kk/").text
    assert "badge provisional" not in html


def test_english_page_labels_indonesian_fallback(client):
    """Text without an English translation is shown in Indonesian, marked."""
    html = client.get("/layanan/pbg-umum/", headers=EN).text
    assert "Building Approval (PBG)" in html
    assert '<span lang="id">PP No. 16 Tahun 2021</span>' in html
    assert "(Bahasa Indonesia)" in html
    assert "Registration and document upload in SIMBG" in html


def test_service_standard_page_lists_the_uu_25_2009_components(client):
    html = client.get("/layanan/sip-dokter/standar/", headers=EN).text
    for heading in (
        "Legal basis",
        "Requirements",
        "System, mechanism and procedure",
        "Completion time",
        "Cost or tariff",
        "Service product",
        "Facilities",
        "Complaints, suggestions and feedback",
        "Competence of the staff",
    ):
        assert heading in html
    assert "Not yet published in the catalogue." in html
    assert "Saturday 09:00\u201312:00" in html


def test_unknown_or_unpublished_service_is_404(client):
    assert client.get("/layanan/tidak-ada/").status_code == 404
    Service.objects.filter(code="kk").audited_update(
        action="test.arrange", reason="test set-up", is_published=False
    )
    assert client.get("/layanan/kk/").status_code == 404
    assert client.get("/layanan/kk/standar/").status_code == 404


def test_home_and_nav_link_to_the_catalogue(client):
    html = client.get("/").text
    assert 'href="/layanan/"' in html
    assert "Katalog layanan" in html or "Layanan" in html
