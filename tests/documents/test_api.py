"""API of issued documents: scoped list, revoke action, public verification."""

from django.core.cache import cache
from django.test import Client

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]


def test_list_is_scoped(issued, citizen, other_citizen, login):
    mine = login(citizen).get("/api/v1/issued-documents/").json()
    numbers = [d["number"] for d in mine["results"]]
    assert issued.number in numbers
    theirs = login(other_citizen, Client()).get("/api/v1/issued-documents/").json()
    assert theirs["results"] == []
    detail = login(other_citizen, Client()).get(
        f"/api/v1/issued-documents/{issued.uuid}/"
    )
    assert detail.status_code == 404


def test_revoke_action(issued, approver, citizen, login):
    url = f"/api/v1/issued-documents/{issued.uuid}/revoke/"
    assert login(citizen).post(url, {"reason": "x"}).status_code == 403
    client = login(approver, Client())
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(
        url, {"reason": "Izin dicabut."}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["validity"] == "revoked"


def test_public_verification_endpoint(issued):
    cache.clear()
    response = Client().get(f"/api/v1/verifications/{issued.verification_token}/")
    body = response.json()
    assert response.status_code == 200
    assert body["validity"] == "valid"
    assert body["holder"] == "Dr* Si** Ra***"
    assert body["signature_valid"] is True
    assert body["sha256"] == issued.sha256
    missing = Client().get("/api/v1/verifications/nope/")
    assert missing.status_code == 404
