"""Every page and endpoint of issued documents is scoped: another citizen's or
another agency's document is a 404 on every verb."""

from django.test import Client
from django.urls import reverse

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PAGES = [
    ("get", "documents:detail"),
    ("get", "documents:download"),
    ("post", "documents:revoke"),
    ("post", "documents:renew"),
]
API = [
    ("get", "/api/v1/issued-documents/{uuid}/"),
    ("get", "/api/v1/issued-documents/{uuid}/download/"),
    ("post", "/api/v1/issued-documents/{uuid}/revoke/"),
]


@pytest.mark.parametrize(("verb", "name"), PAGES)
def test_pages_are_404_for_strangers(
    issued, other_citizen, dinsos_approver, login, verb, name
):
    url = reverse(name, kwargs={"uuid": issued.uuid})
    for user in (other_citizen, dinsos_approver):
        client = login(user, Client())
        assert getattr(client, verb)(url, {"reason": "x"}).status_code == 404
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert not issued.renewals.exists()


@pytest.mark.parametrize(("verb", "path"), API)
def test_api_is_404_for_strangers(
    issued, other_citizen, dinsos_approver, login, verb, path
):
    url = path.format(uuid=issued.uuid)
    for user in (other_citizen, dinsos_approver):
        client = login(user, Client())
        response = getattr(client, verb)(
            url, {"reason": "x"}, content_type="application/json"
        )
        assert response.status_code == 404


def test_officer_of_the_agency_sees_but_may_not_revoke(issued, verifier, login):
    """The Dinkes reviewer had a step: sees the permit, is no signatory of the
    issuer (DPMPTSP), so revoking is refused."""
    client = login(verifier)
    assert (
        client.get(reverse("documents:detail", args=[issued.uuid])).status_code == 200
    )
    response = client.post(
        f"/api/v1/issued-documents/{issued.uuid}/revoke/",
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_superseded_shows_on_the_verification_page(
    issued, citizen, front_office, verifier, approver
):
    from documents.services import renewal_start
    from permits.services import application_submit
    from tests.documents.conftest import issue

    draft = renewal_start(document=issued, user=citizen)
    application, _ = application_submit(
        application=draft, applicant=citizen, idempotency_key="r"
    )
    new = issue(application, front_office, verifier, approver)
    html = (
        Client()
        .get(reverse("documents:verify", args=[issued.verification_token]))
        .content.decode()
    )
    assert 'data-validity="superseded"' in html
    assert new.number in html
