"""Scoping: an officer of an agency with no step in the application, or a
citizen who does not own it, sees a 404 on every page and endpoint."""

from django.test import Client
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from accounts.choices import OfficerRole
from accounts.permissions import user_can
from permits.selectors import application_qs_visible_to
from tests.support.workflow import active_step, make_officer

pytestmark = pytest.mark.django_db

PAGES = ("detail", "edit", "receipt")
API_GET = ("detail", "timeline")
API_POST = (
    "submit",
    "documents",
    "withdraw",
    "objection",
    "resubmit",
    "complete",
    "record-external",
    "request-revision",
    "approve",
    "reject",
)


def test_unrelated_agency_officer_gets_404_everywhere(submitted, dinsos, login):
    stranger = make_officer("dinsos", agency=dinsos, role=OfficerRole.VERIFIER)
    assert not application_qs_visible_to(stranger.user).exists()
    web = login(stranger, Client())
    for name in PAGES:
        url = reverse(f"permits:{name}", args=[submitted.uuid])
        assert web.get(url).status_code == 404
    step = active_step(submitted)
    url = reverse("permits:step_action", args=[submitted.uuid, step.pk, "complete"])
    assert web.post(url, {"version": submitted.version}).status_code == 404
    api = login(stranger, APIClient())
    for name in API_GET:
        url = reverse(f"api:permits-api:application-{name}", args=[submitted.uuid])
        assert api.get(url).status_code == 404
    for name in API_POST:
        url = reverse(f"api:permits-api:application-{name}", args=[submitted.uuid])
        body = {"step": step.pk, "version": submitted.version, "reason": "x"}
        assert api.post(url, body, format="json").status_code == 404
    submitted.refresh_from_db()
    assert submitted.status_changes.count() == 1


def test_officers_of_a_step_agency_see_it_but_act_only_with_the_role(
    submitted, verifier, front_office
):
    step = active_step(submitted)
    assert application_qs_visible_to(verifier.user).filter(pk=submitted.pk).exists()
    assert user_can(front_office.user, "application.act_on_step", step)
    assert not user_can(verifier.user, "application.act_on_step", step)


def test_list_endpoint_query_count_does_not_grow(
    licence, citizen, login, django_assert_max_num_queries
):
    from tests.support.workflow import submit

    for n in range(5):
        submit(licence, citizen, key=f"k{n}")
    api = login(citizen, APIClient())
    url = reverse("api:permits-api:application-list")
    with django_assert_max_num_queries(12):
        response = api.get(url)
    assert len(response.json()["results"]) == 5
