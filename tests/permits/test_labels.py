"""Requirement names and field titles, not slugs, wherever a person reads them:
document lists, the officer's revision checklist, the applicant's notice."""

from django.test import Client
from django.urls import reverse

import pytest

from permits.choices import ApplicationStatus
from permits.services import application_create_draft, application_submit
from tests.support.workflow import VALID_FORM, active_step

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def with_document(licence, citizen):
    from permits.services import document_upload

    draft = application_create_draft(
        applicant=citizen, service=licence, form_data=dict(VALID_FORM)
    )
    document_upload(
        owner=citizen,
        requirement_code="ktp",
        content=PDF,
        application=draft,
        original_name="scan.pdf",
    )
    application_submit(application=draft, applicant=citizen, idempotency_key="l")
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize(("lang", "name"), [("id", "KTP-el"), ("en", "ID card")])
def test_documents_are_listed_by_requirement_name(
    with_document, citizen, front_office, login, lang, name
):
    for user in (citizen, front_office):
        c = login(user, Client())
        c.cookies["django_language"] = lang
        page = c.get(reverse("permits:detail", args=[with_document.uuid])).content
        assert f">{name}</a> (scan.pdf)" in page.decode()
    page = c.get(reverse("workspace:application", args=[with_document.uuid]))
    assert name in page.content.decode()
    assert ">ktp</a>" not in page.content.decode()


def test_revision_request_is_a_checklist_of_labels_and_names_reach_the_applicant(
    with_document, citizen, front_office, login
):
    c = login(front_office)
    page = c.get(reverse("permits:detail", args=[with_document.uuid])).content.decode()
    assert 'type="checkbox" value="str_number"' in page
    assert 'type="checkbox" value="ktp"' in page
    assert "Nomor STR" in page
    assert "KTP-el" in page
    assert "pisahkan dengan koma" not in page
    step = active_step(with_document)
    url = reverse(
        "permits:step_action", args=[with_document.uuid, step.pk, "request_revision"]
    )
    done = c.post(
        url,
        {
            "version": with_document.version,
            "note": "Buram.",
            "fields": ["ktp", "str_number"],
        },
        follow=True,
    )
    assert "Perbaikan diminta; pemohon telah diberi tahu." in done.content.decode()
    with_document.refresh_from_db()
    assert with_document.status == ApplicationStatus.WAITING_FOR_APPLICANT
    assert with_document.revision_fields == ["ktp", "str_number"]
    edit = login(citizen, Client()).get(
        reverse("permits:edit", args=[with_document.uuid])
    )
    assert "<strong>KTP-el, Nomor STR</strong>" in edit.content.decode()


def test_revision_of_an_unknown_key_is_refused_and_changes_nothing(
    with_document, front_office, login
):
    c = login(front_office)
    step = active_step(with_document)
    url = reverse(
        "permits:step_action", args=[with_document.uuid, step.pk, "request_revision"]
    )
    response = c.post(
        url,
        {"version": with_document.version, "note": "Buram.", "fields": ["bogus"]},
        follow=True,
    )
    assert "bogus" in response.content.decode()
    with_document.refresh_from_db()
    assert with_document.status == ApplicationStatus.SUBMITTED
    assert with_document.revision_fields == []


@pytest.mark.parametrize(
    ("lang", "yes", "day", "number"),
    [("id", "Ya", "20 November 2026", "0,5"), ("en", "Yes", "20 November 2026", "0.5")],
)
def test_answers_read_as_words_dates_and_local_numbers(lang, yes, day, number):
    from django.utils import translation

    from permits.forms_schema import display_value

    with translation.override(lang):
        assert display_value(True, {"type": "boolean"}) == yes
        assert display_value(False, {"type": "boolean"}) != "False"
        assert display_value("2026-11-20", {"format": "date"}) == day
        assert display_value(0.5, {"type": "number"}) == number
        assert display_value("teks", {}) == "teks"


def test_officer_pages_and_permit_pdf_say_ya_not_true(
    licence, citizen, front_office, login
):
    from django.utils import translation

    from documents.rendering import _fields

    form = {**VALID_FORM, "independent_practice": True}
    draft = application_create_draft(applicant=citizen, service=licence, form_data=form)
    application_submit(application=draft, applicant=citizen, idempotency_key="b")
    c = login(front_office)
    for url in (
        reverse("workspace:application", args=[draft.uuid]),
        reverse("permits:detail", args=[draft.uuid]),
    ):
        page = c.get(url).content.decode()
        assert "<dt>Praktik mandiri</dt><dd>Ya</dd>" in page
        assert ">True<" not in page
    with translation.override("id"):
        fields = dict(_fields(licence.current_version, form))
    assert fields["Praktik mandiri"] == "Ya"


def test_empty_choice_is_indonesian_on_the_complaint_form(citizen, login):
    c = login(citizen)
    c.cookies["django_language"] = "id"
    page = c.get(reverse("transparency:complaint_new")).content.decode()
    assert "- Pilih salah satu -" in page
    assert "Select an option" not in page


def test_english_pages_label_indonesian_only_catalogue_text(
    with_document, citizen, login
):
    c = login(citizen)
    c.cookies["django_language"] = "en"
    mine = c.get(reverse("permits:list")).content.decode()
    assert 'lang="id">Layanan sip-dokter</span>' in mine
    assert "(Bahasa Indonesia)" in mine
    detail = c.get(reverse("permits:detail", args=[with_document.uuid])).content
    assert '<span lang="id">Tahap 1</span>' in detail.decode()
    c.cookies["django_language"] = "id"
    mine = c.get(reverse("permits:list")).content.decode()
    assert "(Bahasa Indonesia)" not in mine
