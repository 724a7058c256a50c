"""Hostile task ids in the bulk form: ``str.isdigit`` says yes to "²" and to
5000 nines, ``int`` says no; the page must answer with a message, not a 500,
and claim nothing. A foreign ``back`` address is ignored."""

from django.urls import reverse

import pytest

from permits.models import ApplicationStep

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize(
    "bad", ["\u00b2", "9" * 5000, "99999999999999999999", "-1", "1e3", "\u0000"]
)
def test_garbage_step_ids_in_the_bulk_form_claim_nothing(
    make_applications, front_office, login, bad
):
    apps = make_applications(1)
    step = apps[0].steps.get(status="active")
    client = login(front_office)
    response = client.post(
        reverse("workspace:bulk"),
        {"action": "claim", "steps": [bad], "back": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:queue")
    assert ApplicationStep.objects.get(pk=step.pk).assigned_officer_id is None
