""" "Ajukan" reuses the applicant's untouched draft of the same service (no
answers, no documents) instead of piling up empty drafts in "Permohonan
saya"; concurrent clicks are serialised by a row lock on the applicant
(tester's report)."""

import threading

from django.db import connection
from django.urls import reverse

import pytest

from permits.choices import ApplicationStatus
from permits.models import Application
from permits.services import application_start
from tests.support.workflow import VALID_FORM

S = ApplicationStatus


@pytest.mark.django_db
def test_clicking_apply_twice_opens_the_same_empty_draft(
    licence, citizen, other_citizen, login
):
    c = login(citizen)
    url = reverse("permits:start", args=[licence.code])
    first = c.post(url)
    second = c.post(url, follow=True)
    (draft,) = Application.objects.filter(applicant=citizen)
    assert first["Location"] == reverse("permits:edit", args=[draft.uuid])
    assert "Anda sudah memulai permohonan ini" in second.content.decode()
    # Another citizen's empty draft is never handed out.
    login(other_citizen).post(url)
    assert Application.objects.filter(applicant=other_citizen).count() == 1
    assert Application.objects.count() == 2


@pytest.mark.django_db
def test_a_draft_with_answers_or_a_withdrawn_one_is_not_reused(licence, citizen, login):
    c = login(citizen)
    url = reverse("permits:start", args=[licence.code])
    c.post(url)
    draft = Application.objects.get()
    c.post(
        reverse("permits:edit", args=[draft.uuid]),
        {"save": "1", "full_name": VALID_FORM["full_name"]},
    )
    draft.refresh_from_db()
    assert draft.form_data
    c.post(url)
    assert Application.objects.filter(applicant=citizen).count() == 2
    fresh = Application.objects.exclude(pk=draft.pk).get()
    c.post(reverse("permits:withdraw", args=[fresh.uuid]), {"confirm": "yes"})
    c.post(url)
    assert Application.objects.filter(applicant=citizen, status=S.DRAFT).count() == 2
    assert Application.objects.filter(applicant=citizen).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_clicks_make_one_draft(licence, citizen):
    barrier = threading.Barrier(2)
    results: list[object] = []

    def click():
        from audit.context import audit_actor

        try:
            barrier.wait(timeout=10)
            with audit_actor(user=citizen):
                results.append(application_start(applicant=citizen, service=licence))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 2, results
    assert sorted(created for _app, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert Application.objects.filter(applicant=citizen).count() == 1
