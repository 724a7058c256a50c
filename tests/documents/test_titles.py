"""The official PDF's title, validity line and building data (PBG)."""

import pytest

from accounts.choices import OfficerRole
from agencies.choices import StepKind
from documents.rendering import document_html, validity_statement
from tests.support.workflow import BUILDING_FORM, VALID_FORM, make_service

from .conftest import issue

pytestmark = pytest.mark.django_db

PBG_VALIDITY = (
    "Tidak berjangka; berlaku selama bangunan tidak diubah (perubahan bangunan "
    "memerlukan PBG perubahan) \u2013 belum diverifikasi dari teks regulasi"
)


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        (
            PBG_VALIDITY,
            "Tidak berjangka; berlaku selama bangunan tidak diubah (perubahan "
            "bangunan memerlukan PBG perubahan)",
        ),
        (
            "Tidak berjangka selama bangunan tidak diubah (belum diverifikasi)",
            "Tidak berjangka selama bangunan tidak diubah",
        ),
        ("5 tahun (Permenkes 9/2017 \u2013 verifikasi)", "5 tahun (Permenkes 9/2017)"),
        ("Tidak ditemukan", ""),
        ("5 tahun, dapat diperpanjang", "5 tahun, dapat diperpanjang"),
    ],
)
def test_validity_statement_drops_research_notes(text, printed):
    assert validity_statement(text) == printed


def test_pbg_permit_is_titled_and_names_the_building(
    dpmptsp, dinkes, citizen, front_office, verifier, approver, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from permits.services import application_create_draft, application_submit

    A = StepKind.AGENCY
    service = make_service(
        code="pbg-rts-10jam",
        agency=dpmptsp,
        issuer=dpmptsp,
        name="Persetujuan Bangunan Gedung (PBG) Rumah Tinggal Sederhana "
        "\u2013 Layanan 10 Jam",
        validity_text=PBG_VALIDITY,
        steps=[
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
            (A, dinkes, OfficerRole.VERIFIER, "", ""),
            (A, dpmptsp, OfficerRole.APPROVER, "", ""),
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
        ],
    )
    draft = application_create_draft(
        applicant=citizen, service=service, form_data={**VALID_FORM, **BUILDING_FORM}
    )
    application_submit(application=draft, applicant=citizen, idempotency_key="p")
    document = issue(draft, front_office, verifier, approver)
    html = document_html(document)
    assert "<h1>PERSETUJUAN BANGUNAN GEDUNG</h1>" in html
    assert "SURAT IZIN" not in html.upper().split("<BODY>")[1].split("</H1>")[0]
    assert "belum diverifikasi" not in html
    assert "Tidak berjangka; berlaku selama bangunan tidak diubah" in html
    assert "<th>Alamat bangunan</th><td>Jl. Merdeka 1, Tangerang</td>" in html
    assert "<th>Luas total lantai bangunan (m²)</th><td>72,5</td>" in html
    assert "<th>Fungsi bangunan</th><td>Hunian</td>" in html


def test_verification_page_has_no_raw_status_and_labels_indonesian_text(issued):
    from django.test import Client
    from django.urls import reverse

    url = reverse("documents:verify", kwargs={"token": issued.verification_token})
    html = Client().get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "(valid)" not in html
    assert "(Bahasa Indonesia)" not in html
    html = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="id">Layanan sip-dokter</span>' in html
    assert "(Bahasa Indonesia)" in html
