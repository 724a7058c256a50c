"""An image upload whose pixels would take hundreds of MB to decode (a PNG of
a few hundred KB can say 12 000 x 12 000; Pillow only warns below twice its
own bomb limit) is refused by the viewer before decoding, not rendered."""

import io

import pytest

from permits.services import document_upload
from workspace import viewer

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_over_the_pixel_limit_is_not_decoded(
    citizen, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    document = document_upload(
        owner=citizen, requirement_code="ktp", content=_png(200, 200)
    )
    monkeypatch.setattr(viewer, "MAX_PIXELS", 200 * 200 - 1, raising=False)
    with pytest.raises(viewer.CannotRender):
        viewer.render_page(document, 1)
    monkeypatch.setattr(viewer, "MAX_PIXELS", 200 * 200, raising=False)
    assert viewer.render_page(document, 1).startswith(b"\x89PNG")


def test_the_pixel_limit_is_below_pillows_warning_only_band():
    from PIL import Image

    assert getattr(viewer, "MAX_PIXELS", None) is not None
    assert viewer.MAX_PIXELS < Image.MAX_IMAGE_PIXELS
