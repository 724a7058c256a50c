"""The statement budget of a submission (issue 17, scenario 1): fixed, whatever
the number of documents attached. The full list is in BENCHMARKS.md."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.choices import OfficerRole
from agencies.choices import StepKind
from permits.services import (
    application_create_draft,
    application_submit,
    document_upload,
)
from tests.support.workflow import VALID_FORM, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def licence(dpmptsp, dinkes):
    """The practice licence with five requirements: an upload must name one of
    its version's requirements."""
    A = StepKind.AGENCY
    return make_service(
        code="sip-dokter",
        agency=dinkes,
        issuer=dpmptsp,
        requirements=[
            {"code": f"doc{n}", "name": f"Dokumen {n}", "name_en": f"Document {n}"}
            for n in range(5)
        ],
        steps=[
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
            (A, dinkes, OfficerRole.VERIFIER, "", ""),
            (A, dpmptsp, OfficerRole.APPROVER, "", ""),
        ],
    )


def _statements(licence, citizen, documents: int, key: str) -> int:
    draft = application_create_draft(
        applicant=citizen, service=licence, form_data=dict(VALID_FORM)
    )
    for n in range(documents):
        document_upload(
            owner=citizen, requirement_code=f"doc{n}", content=PDF, application=draft
        )
    with CaptureQueriesContext(connection) as queries:
        application_submit(application=draft, applicant=citizen, idempotency_key=key)
    return len(queries)


def test_submission_statements_do_not_grow_with_documents(
    licence, citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _statements(licence, citizen, 0, "warm")  # creates the year's counter
    one = _statements(licence, citizen, 1, "one")
    five = _statements(licence, citizen, 5, "five")
    assert one == five
    # bench/scenarios/submission.py lists them. 27 before the SLA engine and the
    # documents joined the submission; the SLA engine adds about 15 (deadline
    # row, ledger segment, due dates and their audit entries, its reads), the
    # receipt record and its render task the rest. Raise with care: it is paid
    # per submission.
    assert one <= 60
