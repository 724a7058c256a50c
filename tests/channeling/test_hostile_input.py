"""Hostile input at the counter API: an overlong requirement code is a 400
with nothing stored, not a 500 from the database; NIK garbage is refused."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from permits.models import ApplicationDocument

from .conftest import NIK, PDF

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, *args):
    return reverse(f"api:channeling-api:{name}", args=args)


def _create(c, nik=NIK, **extra):
    return c.post(
        url("assisted-list"),
        {
            "service": "bpjskes-ubah-data",
            "nik": nik,
            "full_name": "Siti Rahma",
            "phone": "081234567890",
            "email": "siti@example.org",
            **extra,
        },
        format="json",
    )


def test_an_overlong_requirement_code_is_400(login, operator, correction_service):
    c = login(operator, APIClient())
    created = _create(c)
    assert created.status_code == 201, created.json()
    response = c.post(
        url("assisted-documents", created.json()["uuid"]),
        {"requirement_code": "k" * 300, "file": SimpleUploadedFile("k.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert ApplicationDocument.objects.count() == 0


@pytest.mark.parametrize(
    "nik",
    [
        "3671" + "0" * 12,
        "9" * 16,
        "36710101010000011",
        "٣٦٧١٠١٠١٠١٠٠٠٠٠١",
        "' OR 1=1--",
    ],
    ids=["zeros", "nines", "17-digits", "arabic-digits", "sql"],
)
def test_garbage_niks_are_refused(login, operator, correction_service, nik):
    c = login(operator, APIClient())
    response = _create(c, nik=nik)
    assert response.status_code == 400, response.content
    assert "nik" in str(response.json()).lower()
