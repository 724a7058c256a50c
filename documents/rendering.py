"""PDF rendering of issued documents with WeasyPrint.

Official documents are in Indonesian (UU 24/2009 on the national language), so
rendering runs under ``translation.override("id")`` whatever the requester's
language. Fonts (fontconfig scan) and the stylesheet are built once per worker
process; Django's cached template loader keeps the compiled templates (on
whenever ``DEBUG`` is off). QR codes are SVG from segno, embedded as data URIs.
"""

import functools
import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

import segno

from .choices import DocumentKind
from .models import IssuedDocument

CSS_PATH = Path(__file__).parent / "templates" / "documents" / "pdf" / "document.css"


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(string=CSS_PATH.read_text(), font_config=_font_config())


def qr_data_uri(url: str) -> str:
    """An SVG QR code of ``url`` (error correction M) as a ``data:`` URI."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def absolute(path: str) -> str:
    """``path`` on the portal's own public origin (``PORTAL_BASE_URL``)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def verification_url(document: IssuedDocument) -> str:
    return absolute(
        reverse("documents:verify", kwargs={"token": document.verification_token})
    )


def tracking_url(document: IssuedDocument) -> str:
    """The tracking page with the reference filled in; the tracking code stays
    with the applicant (it is never stored in clear, nor printed)."""
    return absolute(reverse("permits:track")) + f"?reference={document.number}"


def document_html(document: IssuedDocument) -> str:
    application = document.application
    version = application.service_version
    receipt = document.kind == DocumentKind.RECEIPT
    qr_target = tracking_url(document) if receipt else verification_url(document)
    with translation.override("id"):
        return render_to_string(
            f"documents/pdf/{'receipt' if receipt else 'permit'}.html",
            {
                "document": document,
                "application": application,
                "version": version,
                "issuer": document.service.issuer_agency or document.service.agency,
                "fields": _fields(version, document.data.get("form", {})),
                "title": document_title(document),
                "validity": validity_statement(document.data.get("validity_text", "")),
                "qr": qr_data_uri(qr_target),
                "qr_target": qr_target,
            },
        )


#: Research notes the catalogue keeps in its validity texts (a dash and "belum
#: diverifikasi", "(dari ingatan, verifikasi)") that an official document
#: must not print.
_NOTE_IN_TEXT = re.compile(
    r"\s*[\u2013\u2014-]\s*(?:belum diverifikasi|dari ingatan|verifikasi)[^()]*",
    re.IGNORECASE,
)
_NOTE_ALONE = re.compile(
    r"\s*\((?:belum diverifikasi|dari ingatan|verifikasi)[^)]*\)", re.IGNORECASE
)
#: Catalogue validity texts that state no validity at all.
_NO_STATEMENT = {"", "tidak ditemukan", "tidak relevan"}


def validity_statement(text: str) -> str:
    """The catalogue's validity text (``ServiceVersion.validity_text``) without
    its research notes, for printing; ``""`` when nothing is left to state."""
    cleaned = _NOTE_ALONE.sub("", _NOTE_IN_TEXT.sub("", text or "")).strip(" ;,")
    return "" if cleaned.lower() in _NO_STATEMENT else cleaned


def document_title(document: IssuedDocument) -> str:
    """The heading of an issued document: a permit is titled after its service
    (catalogue name up to the abbreviation or the dash, e.g. *Persetujuan
    Bangunan Gedung* for ``pbg-*``); decision letters, completion notices and
    receipts carry their kind's name."""
    if document.kind != DocumentKind.PERMIT:
        return str(document.get_kind_display())
    name = document.application.service_version.name
    title = re.split(r"\s[(\u2013\u2014]|\s-\s", name, maxsplit=1)[0].strip()
    return title or str(document.get_kind_display())


def _fields(version, form: dict) -> list[tuple[str, str]]:
    """``[(label, value)]`` of the answers, labelled by the form schema's titles
    (Indonesian: rendered under ``translation.override("id")``, so booleans
    read *Ya*/*Tidak* and dates ``20 November 2026``), in schema order;
    identifiers other than the holder's are left out of the document."""
    from permits.forms_schema import answers

    # Identity and contact details are printed once, as the holder's.
    return answers(version, form, skip=("full_name", "nik", "phone", "email"))


def document_pdf(document: IssuedDocument) -> bytes:
    """The unsigned PDF of ``document`` (A4, Indonesian)."""
    from weasyprint import HTML

    html = HTML(string=document_html(document), base_url=str(settings.BASE_DIR))
    return html.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config())
