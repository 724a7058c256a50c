"""One connected day at the one-stop office, on the real catalogue.

``office_day`` loads the published catalogue (11 agencies, their services and
offices) and the day's staff; each persona's test builds the rest of what it
needs, so every test runs alone. ``same_origin`` records every request the
browser makes and fails the test if one left the live server (issue 18: no
external requests; a test may allow one more origin, e.g. the payment gateway).
"""

import functools
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib.auth.models import Group

import pytest

from accounts.choices import OfficerRole
from accounts.models import User
from agencies.catalogue_loader import read_catalogue
from agencies.models import Agency, Office, Service
from agencies.services import catalogue_apply
from audit.context import audit_actor
from payments.services import bill_issue
from permits.choices import ApplicationStatus
from permits.services import application_resubmit, application_step_complete
from tests.accounts.conftest import make_staff  # noqa: F401  (fixture)
from tests.documents.conftest import act
from tests.permits.conftest import BUILDING_FORM, submit
from tests.support.browser import RequestLog, origin

STAFF_PASSWORD = "petugas-rahasia-2026"  # make_staff's default
CITIZEN_PASSWORD = "warga-rahasia-2026"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def office_day(make_staff, settings, tmp_path):  # noqa: F811
    """The catalogue and the staff on duty: DPMPTSP front office, verifier and
    signatory, a Dinkes reviewer, Disperkimtan's reviewer, the Ciledug
    kecamatan front office, BPJS Kesehatan's verifier and approver, and an
    auditor. Returns them by role name; ``pdf`` is an upload on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with audit_actor(system="system:test"):
        catalogue_apply(plan=read_catalogue(), reason="e2e day", holiday_years=())
    agency = {a.code: a for a in Agency.objects.all()}
    staff = SimpleNamespace(
        fo=make_staff(
            OfficerRole.FRONT_OFFICE, agency=agency["DPMPTSP"], username="fo"
        ),
        skrd=make_staff(
            OfficerRole.VERIFIER, agency=agency["DPMPTSP"], username="skrd"
        ),
        ttd=make_staff(OfficerRole.APPROVER, agency=agency["DPMPTSP"], username="ttd"),
        dinkes=make_staff(
            OfficerRole.TECHNICAL_REVIEWER, agency=agency["DINKES"], username="dinkes"
        ),
        perkim=make_staff(
            OfficerRole.TECHNICAL_REVIEWER, agency=agency["PERKIM"], username="perkim"
        ),
        loket=make_staff(
            OfficerRole.FRONT_OFFICE,
            office=Office.objects.get(code="kec-ciledug"),
            username="loket",
        ),
        bpjsverif=make_staff(
            OfficerRole.VERIFIER, agency=agency["BPJSKES"], username="bpjsverif"
        ),
        bpjs=make_staff(
            OfficerRole.APPROVER, agency=agency["BPJSKES"], username="bpjs"
        ),
    )
    staff.auditor = User.objects.create_user(username="audit", password=STAFF_PASSWORD)
    staff.auditor.groups.add(Group.objects.get_or_create(name="auditor")[0])
    upload = tmp_path / "ktp.pdf"
    upload.write_bytes(PDF)
    return SimpleNamespace(agency=agency, staff=staff, pdf=upload)


@pytest.fixture
def same_origin(live_server, context):
    """The set of allowed origins (the live server's, add more in the test);
    at teardown, asserts no request of the browser context went elsewhere."""
    allowed = {origin(live_server.url)}
    log = RequestLog(context)
    yield allowed
    assert log.urls, "the journey made no request at all"
    assert not log.foreign(allowed), f"external requests: {log.foreign(allowed)}"


def pbg_billed(office_day, citizen):
    """``citizen``'s simple-house building approval (PBG, real catalogue)
    verified by Disperkimtan and billed by DPMPTSP for 72 m² residential
    (the levy rule gives Rp 270.000). Returns ``(application, bill)``."""
    staff = office_day.staff
    with audit_actor(system="system:test"):
        application, _code = submit(
            Service.objects.get(code="pbg-rts-10jam"),
            citizen,
            form={
                "full_name": citizen.full_name,
                "nik": "3671051203850001",
                "phone": "081234567890",
                **BUILDING_FORM,
                "floor_area_m2": 72,
            },
        )
        if application.status == ApplicationStatus.WAITING_FOR_APPLICANT:
            application_resubmit(application=application, applicant=citizen)
        act(
            application_step_complete,
            application,
            staff.perkim.officer,
            external_reference="SIMBG-123",
        )
        bill = act(
            bill_issue,
            application,
            staff.skrd.officer,
            floor_area_m2=72,
            building_function="residential",
        )
    application.refresh_from_db()
    return application, bill


#: Words of Indonesian UI text that English pages must not show (outside the
#: Indonesian parts marked ``lang="id"``): common function words, month and
#: day names (dates must follow the page language), and the verbs of buttons.
INDONESIAN_WORDS = re.compile(
    r"\b(?:yang|untuk|Anda|dengan|tidak|belum|sudah|akan|dari|atau|pada|oleh|"
    r"silakan|Simpan|Kirim|Masuk|Keluar|Daftar|Ajukan|Lihat|Bayar|Cari|"
    r"Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember|"
    r"Agu|Okt|Des|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)\b"
)


@functools.cache
def indonesian_ui_phrases() -> frozenset[str]:
    """Fragments (12+ characters, between placeholders) of every Indonesian
    translation that differs from its English msgid: finding one on an
    English page means a string was not translated at all."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("id")._catalog
    phrases = set()
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not isinstance(msgstr, str):
            continue
        if msgstr == msgid:
            continue
        for fragment in re.split(r"%\(\w+\)\w|\{[^}]*\}|%\w|\n", msgstr):
            fragment = fragment.strip(" .,:;()")
            if len(fragment) >= 12 and " " in fragment:
                phrases.add(fragment)
    return frozenset(phrases)


#: The page's text as a reader gets it, without the parts marked as
#: Indonesian (catalogue content shown with its "in Indonesian" label, proper
#: names) and without scripts.
PAGE_TEXT_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang="id"], script, style, template, noscript')
    .forEach((el) => el.remove());
  const named = '[aria-label], [title], [alt], [placeholder]';
  const labels = [...body.querySelectorAll(named)]
    .map((el) => [el.getAttribute('aria-label'), el.getAttribute('title'),
                  el.getAttribute('alt'), el.getAttribute('placeholder')].join(' '));
  const values = [...body.querySelectorAll('input[type=submit], input[type=button]')]
    .map((el) => el.value);
  return [body.textContent, ...labels, ...values, document.title].join('\\n');
}"""


def _switch_language(page, code: str) -> None:
    """Switch as the user does: the header's ID/EN button; pages without the
    header (the admin, the display board) follow the choice made elsewhere,
    i.e. the language cookie, so set it and reload."""
    button = page.locator(f"form.lang-switch button[value='{code}']")
    if button.count():
        with page.expect_navigation():
            button.click()
    else:
        host = urlsplit(page.url).hostname
        page.context.add_cookies(
            [{"name": "django_language", "value": code, "domain": host, "path": "/"}]
        )
        page.reload()
    page.wait_for_load_state("load")


def catalogue_indonesian_names() -> set[str]:
    """Indonesian names of catalogue rows that have an English name (services,
    steps, agencies, offices): on an English page they must show in English,
    or marked ``lang="id"`` where they fall back."""
    from agencies.models import ServiceStep, ServiceVersion
    from permits.models import ApplicationStep

    names = set()
    for model in (ServiceVersion, ServiceStep, ApplicationStep, Agency, Office):
        rows = model.objects.exclude(name_en="").values_list("name", "name_en")
        names |= {name for name, en in rows if name != en and len(name) >= 8}
    # Brand names ("BPJS Kesehatan") are their short names in every language.
    return names - set(Agency.objects.values_list("short_name", flat=True))


def english_problems(page, allowed: tuple[str, ...] = ()) -> list[str]:
    """Indonesian UI text left on an English page: a translated message shown
    in Indonesian, an Indonesian catalogue name that has an English one, or a
    common Indonesian word (``allowed``: data typed by people, e.g. names and
    notes, which stays as typed)."""
    text = page.evaluate(PAGE_TEXT_JS)
    for data in allowed:
        text = text.replace(data, " ")
    found = sorted(p for p in indonesian_ui_phrases() if p in text)
    found += sorted(n for n in catalogue_indonesian_names() if n in text)
    found += sorted({m.group(0) for m in INDONESIAN_WORDS.finditer(text)})
    return found


#: What the journeys type, which pages show as typed in any language.
TYPED_DATA = (
    "Siti Rahma",
    "Siti Rahayu",
    "Budi Santoso",
    "Klinik Sehat",
    "Jl. Merdeka 1, Tangerang",
    "Nomor STR tidak terbaca.",
    "Jl. Lama 1",
    "Jl. Baru 2",
    "Cuti bersama kota",
    "Keputusan Wali Kota",
)


@pytest.fixture
def assert_page_ok(assert_page_ok):
    """The browser gate (axe-core, 360 px) in both languages: after the
    Indonesian page passes, the user switches to English; the same page must
    pass again, with ``lang="en"`` and no Indonesian UI text (see
    ``english_problems``), then they switch back. A page the journey already
    shows in English is checked as it is. ``english=False`` only for a page
    that cannot be loaded again (the answer to a POST)."""

    def check(page, *, english: bool = True) -> None:
        assert_page_ok(page)
        url = page.url
        if page.locator("html").get_attribute("lang") == "en":
            # The journey switched already: check this page, leave it so.
            problems = english_problems(page, TYPED_DATA)
            assert not problems, f"{url}: Indonesian on the English page: {problems}"
            return
        if not english:
            return
        _switch_language(page, "en")
        try:
            assert page.locator("html").get_attribute("lang") == "en", page.url
            problems = english_problems(page, TYPED_DATA)
            assert not problems, f"{url}: Indonesian on the English page: {problems}"
            assert_page_ok(page)
        finally:
            _switch_language(page, "id")
        assert page.locator("html").get_attribute("lang") == "id", page.url

    return check
