"""The admin shows applications and their history, and changes nothing: the
workflow's services are the only write path."""

from django.urls import reverse

import pytest

from permits.models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    ReferenceCounter,
    StatusChange,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Application,
    ApplicationStep,
    StatusChange,
    ApplicationDocument,
    ReferenceCounter,
]


def _url(model, view, *args):
    return reverse(f"admin:permits_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_lists_load_without_counting_the_table(admin_client, submitted, model):
    response = admin_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].show_full_result_count is False
    assert response.context["has_add_permission"] is False


def test_list_shows_reference_masked_nik_and_wib(admin_client, submitted, citizen):
    citizen.nik = "3671051203850001"
    citizen.save(update_fields=["nik"])
    page = admin_client.get(_url(Application, "changelist")).content.decode()
    assert submitted.reference in page
    assert citizen.nik not in page
    assert citizen.nik_masked in page
    assert " WIB" in page
    found = admin_client.get(
        _url(Application, "changelist"), {"q": submitted.reference}
    )
    assert list(found.context["cl"].result_list) == [submitted]
    filtered = admin_client.get(_url(Application, "changelist"), {"status": "draft"})
    assert list(filtered.context["cl"].result_list) == []


def test_detail_is_read_only_with_steps_and_history(admin_client, submitted):
    response = admin_client.get(_url(Application, "change", submitted.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="status"' not in page
    assert "Tahap 1" in page  # the steps inline
    assert response.context["has_change_permission"] is False
    assert len(response.context["inline_admin_formsets"]) == 2


def test_add_change_and_delete_are_refused(admin_client, submitted):
    status = submitted.status
    assert admin_client.get(_url(Application, "add")).status_code == 403
    posted = admin_client.post(
        _url(Application, "change", submitted.pk), {"status": "approved"}
    )
    assert posted.status_code == 403
    assert (
        admin_client.post(
            _url(Application, "delete", submitted.pk), {"post": "yes"}
        ).status_code
        == 403
    )
    bulk = admin_client.post(
        _url(Application, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [submitted.pk],
            "post": "yes",
        },
    )
    assert bulk.status_code in (200, 302)
    submitted.refresh_from_db()
    assert submitted.status == status
    assert Application.objects.filter(pk=submitted.pk).exists()
