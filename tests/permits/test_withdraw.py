"""Withdrawing takes a confirmation that works without JavaScript (a GET page
spelling out the consequences, then a POST with ``confirm=yes``), and a closed
application shows no deadline (tester's report)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

import pytest

from permits.choices import ApplicationStatus
from permits.models import Application

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _due(application) -> Application:
    """Give ``application`` a service deadline as the SLA engine would."""
    application.due_at = timezone.now() + dt.timedelta(days=5)
    application.save(update_fields=["due_at"])
    return application


def test_the_button_leads_to_a_confirmation_page_not_a_withdrawal(
    submitted, citizen, login
):
    c = login(citizen)
    url = reverse("permits:withdraw", args=[submitted.uuid])
    detail = c.get(reverse("permits:detail", args=[submitted.uuid])).content.decode()
    # A link (GET), not a one-tap POST form.
    assert f'href="{url}"' in detail
    assert "Batalkan permohonan ini" in detail
    page = c.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "tidak dapat dibuka kembali" in html
    assert 'name="confirm" value="yes"' in html
    assert 'method="post"' in html
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_post_without_confirmation_only_redirects_to_the_question(
    submitted, citizen, login
):
    c = login(citizen)
    url = reverse("permits:withdraw", args=[submitted.uuid])
    response = c.post(url)
    assert response.status_code == 303
    assert response["Location"] == url
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_confirming_withdraws_and_the_deadline_disappears(submitted, citizen, login):
    submitted = _due(submitted)
    c = login(citizen)
    detail_url = reverse("permits:detail", args=[submitted.uuid])
    assert 'data-testid="deadline"' in c.get(detail_url).content.decode()
    response = c.post(
        reverse("permits:withdraw", args=[submitted.uuid]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN
    assert submitted.due_at is not None  # stored, not shown
    html = c.get(detail_url).content.decode()
    assert 'data-testid="deadline"' not in html
    assert "Batas waktu" not in html
    # Nothing left to withdraw: the confirmation page sends back.
    again = c.get(reverse("permits:withdraw", args=[submitted.uuid]))
    assert again.status_code == 302


@pytest.mark.parametrize("status", [S.REJECTED, S.ISSUED, S.COMPLETED, S.LAPSED])
def test_closed_applications_show_no_deadline(submitted, citizen, login, status):
    submitted = _due(submitted)
    submitted.status = status
    submitted.save(update_fields=["status"])
    html = (
        login(citizen)
        .get(reverse("permits:detail", args=[submitted.uuid]))
        .content.decode()
    )
    assert 'data-testid="deadline"' not in html


def test_the_draft_delete_link_asks_first(licence, citizen, login):
    c = login(citizen)
    c.post(reverse("permits:start", args=[licence.code]))
    draft = Application.objects.get()
    url = reverse("permits:withdraw", args=[draft.uuid])
    edit = c.get(reverse("permits:edit", args=[draft.uuid])).content.decode()
    assert f'href="{url}"' in edit
    html = c.get(url).content.decode()
    assert "Hapus draf ini?" in html
    c.post(url, {"confirm": "yes"})
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN
