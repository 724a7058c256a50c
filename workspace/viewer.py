"""Page images of uploaded documents for the officer's viewer.

PDFs are rendered on the server with pypdfium2 (PDFium, the engine of
Chromium's viewer) to PNG, one page at a time, so the officer's browser never
runs the document's own code (no scripts, forms or embedded files). JPEG and
PNG uploads are one "page", re-encoded to PNG with Pillow. The original file
stays an attachment (``permits:document_download``).
"""

import io

from django.conf import settings
from django.utils.translation import gettext as _

from permits.models import ApplicationDocument
from ptsp.exceptions import ApplicationError

#: Most pixels of an image upload the viewer decodes (40 MP: an A4 page
#: scanned at 600 dpi is 35 MP). Pillow itself only warns up to twice its
#: ``MAX_IMAGE_PIXELS`` (~179 MP, ~540 MB as RGB): a small PNG could say so.
MAX_PIXELS = 40_000_000


class CannotRender(ApplicationError):
    """The document cannot be shown as images (damaged, encrypted, or a page
    number out of range)."""


def page_count(document: ApplicationDocument) -> int:
    """Pages of ``document`` shown in the viewer (at most
    ``WORKSPACE_VIEWER_MAX_PAGES``); raises ``CannotRender``."""
    if document.content_type != "application/pdf":
        return 1
    pdf = _open_pdf(document)
    try:
        return min(len(pdf), settings.WORKSPACE_VIEWER_MAX_PAGES)
    finally:
        pdf.close()


def render_page(document: ApplicationDocument, number: int) -> bytes:
    """PNG bytes of page ``number`` (1-based) of ``document``, at most
    ``WORKSPACE_VIEWER_WIDTH`` pixels wide; raises ``CannotRender``."""
    from PIL import Image

    width = settings.WORKSPACE_VIEWER_WIDTH
    if document.content_type == "application/pdf":
        pdf = _open_pdf(document)
        try:
            if not 1 <= number <= min(len(pdf), settings.WORKSPACE_VIEWER_MAX_PAGES):
                raise CannotRender(_("This page does not exist."))
            page = pdf[number - 1]
            points = page.get_width() or 1
            image = page.render(scale=min(width / points, 3.0)).to_pil()
            page.close()
        finally:
            pdf.close()
    else:
        if number != 1:
            raise CannotRender(_("This page does not exist."))
        try:
            with document.file.open("rb") as fh:
                image = Image.open(io.BytesIO(fh.read()))
                if image.width * image.height > MAX_PIXELS:  # size before decoding
                    raise CannotRender(_("This image cannot be shown."))
                image.load()
        except (OSError, Image.DecompressionBombError) as error:
            raise CannotRender(_("This image cannot be shown.")) from error
        if image.width > width:
            image = image.resize((width, max(1, image.height * width // image.width)))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=False)
    return out.getvalue()


def _open_pdf(document: ApplicationDocument):
    import pypdfium2 as pdfium

    with document.file.open("rb") as fh:
        data = fh.read()
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise CannotRender(
            _("This PDF cannot be shown; download the original.")
        ) from error
