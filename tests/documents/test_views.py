"""Pages: public verification (masked, audited, rate-limited), the register,
downloads as attachments scoped to who may see the document."""

import datetime as dt

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditEntry
from documents.services import document_revoke

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def verify_url(document) -> str:
    return reverse("documents:verify", kwargs={"token": document.verification_token})


def test_verification_page_shows_masked_data_and_a_valid_signature(issued):
    page = Client().get(verify_url(issued), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="validity"' in html
    assert 'data-validity="valid"' in html
    assert "Dr* Si** Ra***" in html  # masked holder
    assert "Dr. Siti Rahma" not in html
    assert "3671051203850001" not in html
    assert issued.sha256 in html
    assert "Valid: the file is intact and signed by a trusted certificate." in html
    entry = AuditEntry.objects.filter(action="document.verify").latest("pk")
    assert entry.object_id == str(issued.pk)
    assert entry.changes["result"][1] == "valid"


def test_revocation_shows_at_once_with_its_reason(issued, approver):
    document_revoke(document=issued, user=approver.user, reason="STR dicabut.")
    html = Client().get(verify_url(issued)).content.decode()
    assert 'data-validity="revoked"' in html
    assert "STR dicabut." in html


def test_expired_permit(issued):
    issued.valid_until = timezone.now() - dt.timedelta(days=1)
    issued.save(update_fields=["valid_until"])
    assert (
        'data-validity="expired"' in Client().get(verify_url(issued)).content.decode()
    )


def test_unknown_token_is_404_and_audited():
    response = Client().get(reverse("documents:verify", kwargs={"token": "x" * 43}))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(
        action="document.verify", object_id="unknown"
    ).exists()


def test_verification_is_rate_limited_per_ip(issued, settings):
    settings.DOCUMENTS_VERIFY_RATE = "3/m"
    client = Client()
    codes = [client.get(verify_url(issued)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_download_is_an_attachment_for_the_holder_only(
    issued, citizen, other_citizen, login
):
    url = reverse("documents:download", kwargs={"uuid": issued.uuid})
    response = login(citizen).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(other_citizen, Client()).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_register_for_officers_and_auditors_not_citizens(
    issued, approver, auditor, citizen, dinsos_approver, login
):
    url = reverse("documents:register")
    html = login(approver).get(url, {"q": issued.number}).content.decode()
    assert issued.number in html
    assert issued.number in login(auditor, Client()).get(url).content.decode()
    assert (
        issued.number not in login(dinsos_approver, Client()).get(url).content.decode()
    )
    assert login(citizen, Client()).get(url).status_code == 403
    revoked = login(approver, Client()).get(url, {"validity": "revoked"})
    assert issued.number not in revoked.content.decode()


def test_revoke_from_the_document_page(issued, approver, front_office, login):
    url = reverse("documents:revoke", kwargs={"uuid": issued.uuid})
    login(front_office).post(url, {"reason": "Salah."})
    issued.refresh_from_db()
    assert issued.revoked_at is None
    client = login(approver, Client())
    response = client.post(url, {"reason": "Data pemohon tidak benar."})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.revocation_reason == "Data pemohon tidak benar."


def test_renewal_button_starts_a_draft(issued, citizen, login):
    response = login(citizen).post(
        reverse("documents:renew", kwargs={"uuid": issued.uuid})
    )
    assert response.status_code == 302
    draft = issued.renewals.get().application
    assert response["Location"] == reverse("permits:edit", kwargs={"uuid": draft.uuid})


def test_receipt_qr_opens_tracking_with_the_reference(submitted, citizen):
    response = Client().get(
        reverse("permits:track"), {"reference": submitted.reference}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{submitted.reference}"' in html
    assert "error-summary" not in html


def test_register_and_verification_query_counts(
    issued,
    licence,
    other_citizen,
    front_office,
    verifier,
    approver,
    auditor,
    login,
    django_assert_max_num_queries,
):
    """The register's page does not grow with its rows; verification is a
    handful of queries (lookup, audit entry, session)."""
    from tests.documents.conftest import issue, submit

    for n in range(3):
        application, _ = submit(licence, other_citizen, key=f"q{n}")
        issue(application, front_office, verifier, approver)
    client = login(auditor)
    client.get(reverse("documents:register"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("documents:register"))
    assert response.content.decode().count("/dokumen/") >= 4
    public = Client()
    public.get(verify_url(issued))  # signature check cached per SHA-256
    with django_assert_max_num_queries(6):
        assert public.get(verify_url(issued)).status_code == 200


def test_admin_lists_load(issued, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-Root-1234")
    client = Client()
    client.force_login(admin)
    for name in ("issueddocument", "documentcounter", "renewallink"):
        url = reverse(f"admin:documents_{name}_changelist")
        assert client.get(url).status_code == 200
    change = reverse("admin:documents_issueddocument_change", args=[issued.pk])
    html = client.get(change).content.decode()
    assert issued.number in html
    assert issued.verification_token not in html  # the token stays out of the admin
