"""Fixtures of the workspace tests: the practice-licence world of the permits
tests (DPMPTSP front office -> Dinkes verifier -> DPMPTSP approver -> front
office), a second front-office officer and a supervisor at DPMPTSP, an officer
of an unrelated agency, and a factory of submitted applications."""

import io

import pytest

from accounts.choices import OfficerRole
from tests.permits.conftest import (  # noqa: F401  (fixtures)
    _audit_actor,
    dinsos,
    licence,
)
from tests.support.workflow import (
    make_officer,
    submit,
)


@pytest.fixture
def colleague(dpmptsp):
    return make_officer("fo2", agency=dpmptsp, role=OfficerRole.FRONT_OFFICE)


@pytest.fixture
def supervisor(dpmptsp):
    return make_officer("spv", agency=dpmptsp, role=OfficerRole.SUPERVISOR)


@pytest.fixture
def outsider(dinsos):  # noqa: F811
    """A front-office officer of an agency with no step in the licence."""
    return make_officer("dinsos", agency=dinsos, role=OfficerRole.FRONT_OFFICE)


@pytest.fixture
def make_applications(licence, citizen):  # noqa: F811
    """``make(n)``: ``n`` submitted licence applications, their first step
    (DPMPTSP front office) active and unassigned."""

    counter = iter(range(1, 10_000))

    def make(n: int):
        out = []
        for _ in range(n):
            application, _code = submit(licence, citizen, key=f"k{next(counter)}")
            out.append(application)
        return out

    return make


def pdf_bytes(pages: int = 2) -> bytes:
    """A real PDF of ``pages`` A4 pages made with pypdfium2."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()
