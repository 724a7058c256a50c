"""Service versions: every change is a new immutable version, made by the
services or by saving a service in the admin, and audited with a reason."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import translation

import pytest

from agencies.choices import SlaBasis, StepKind, VersionOrigin
from agencies.forms import ServiceAdminForm
from agencies.models import Service
from agencies.services import (
    service_sla_confirm,
    service_update,
    service_version_create,
)
from agencies.services.catalogue import step_content
from audit.context import audit_actor
from audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]


def _kk() -> Service:
    return Service.objects.select_related("current_version").get(code="kk")


def test_new_version_leaves_the_old_one_and_becomes_current(admin_user):
    """Version 2 gets the change, version 1 keeps its content and steps, the
    service points at 2, and the audit entry has the actor, reason and diff."""
    service = _kk()
    v1 = service.current_version
    with audit_actor(user=admin_user):
        v2 = service_version_create(
            service=service,
            fields={"sla_value": 3, "fee_rule_en": "Free of charge."},
            steps=step_content(v1),
            origin=VersionOrigin.ADMIN,
            reason="Perwal 2027 shortens the KK service.",
            user=admin_user,
        )
    assert (v2.number, v2.sla_value, v2.created_by) == (2, 3, admin_user)
    assert v2.steps.count() == v1.steps.count()
    v1.refresh_from_db()
    assert (v1.sla_value, v1.steps.count()) == (5, 4)
    assert _kk().current_version == v2
    entry = AuditEntry.objects.get(action="service_version.create", object_id=v2.pk)
    assert entry.actor == admin_user
    assert entry.reason == "Perwal 2027 shortens the KK service."
    assert entry.changes["sla_value"] == [5, 3]
    assert entry.changes["number"] == [1, 2]


def test_a_change_needs_a_reason():
    service = _kk()
    with pytest.raises(ValidationError):
        service_version_create(
            service=service,
            fields={"sla_value": 3},
            steps=step_content(service.current_version),
            origin=VersionOrigin.ADMIN,
            reason="  ",
        )
    assert service.versions.count() == 1


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda steps: steps[1].update(role=""), "Step 2"),
        (lambda steps: steps[1].update(kind=StepKind.APPLICANT), "Step 2"),
        (
            lambda steps: (
                steps[0].update(parallel_group="a"),
                steps[2].update(parallel_group="a"),
            ),
            "contiguous",
        ),
        (lambda steps: steps[0].update(parallel_group="a"), "only one step"),
        (lambda steps: steps.clear(), "at least one step"),
    ],
)
def test_broken_steps_are_refused_with_the_step_named(mutate, message):
    service = _kk()
    steps = step_content(service.current_version)
    mutate(steps)
    # The messages are translated; the test reads them in English.
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        service_version_create(
            service=service,
            fields={},
            steps=steps,
            origin=VersionOrigin.ADMIN,
            reason="test",
        )
    assert service.versions.count() == 1


def test_confirming_an_assumed_sla_makes_a_new_version():
    service = Service.objects.get(code="duplikat-izin")
    assert service.current_version.sla_provisional
    version = service_sla_confirm(service=service, reason="SOP 2027 confirms 3 days")
    assert (version.number, version.sla_provisional, version.sla_basis) == (
        2,
        False,
        SlaBasis.CONFIRMED,
    )
    with pytest.raises(ValidationError):
        service_sla_confirm(service=Service.objects.get(pk=service.pk), reason="again")


def test_identity_update_is_audited_without_a_new_version():
    service = _kk()
    service_update(service=service, data={"is_published": False}, reason="paused")
    assert service.versions.count() == 1
    entry = AuditEntry.objects.get(action="service.update", object_id=service.pk)
    assert entry.changes == {"is_published": [True, False]}


@pytest.mark.postgres
def test_database_refuses_to_change_or_delete_a_version():
    """A trigger guards versions and steps, whatever code tries (raw SQL here,
    since the ORM's audit guard would refuse first)."""
    version = _kk().current_version
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "UPDATE agencies_serviceversion SET name = 'diubah' WHERE id = %s",
            [version.pk],
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "DELETE FROM agencies_servicestep WHERE version_id = %s", [version.pk]
        )
    version.refresh_from_db()
    assert version.name.startswith("Kartu Keluarga")


def _admin_post_data(service: Service, **changes) -> dict:
    """What the admin change form posts when nothing is edited, plus changes."""
    form = ServiceAdminForm(instance=service)
    data = {}
    for name in form.fields:
        if name == "code":
            continue
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data.update(model_to_dict(service, fields=["agency", "issuer_agency"]))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_editing_a_service_in_the_admin_creates_a_new_version(client, admin_user):
    """Changing the SLA in the admin change form makes version 2 current; the
    audit entry carries the admin and the reason typed in the form."""
    client.force_login(admin_user)
    service = _kk()
    url = f"/admin/agencies/service/{service.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    for field in ("sla_value", "requirements", "steps", "change_reason"):
        assert f'name="{field}"' in page.text
    response = client.post(
        url,
        _admin_post_data(service, sla_value="4", change_reason="SK Kadis 12/2027"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    service = _kk()
    assert (service.current_version.number, service.current_version.sla_value) == (
        2,
        4,
    )
    assert service.versions.get(number=1).sla_value == 5
    entry = AuditEntry.objects.get(
        action="service_version.create", object_id=service.current_version.pk
    )
    assert (entry.actor, entry.reason) == (admin_user, "SK Kadis 12/2027")


def test_admin_save_without_change_or_reason(client, admin_user):
    """No reason: the form says so and nothing is saved. Identity-only change:
    no new version."""
    client.force_login(admin_user)
    service = _kk()
    url = f"/admin/agencies/service/{service.pk}/change/"
    response = client.post(url, _admin_post_data(service, sla_value="4"))
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    response = client.post(
        url, _admin_post_data(service, issuer_text="DUKCAPIL Kota", change_reason="x")
    )
    assert response.status_code == 302
    assert _kk().versions.count() == 1
    assert _kk().issuer_text == "DUKCAPIL Kota"


def test_admin_refuses_malformed_steps(client, admin_user):
    client.force_login(admin_user)
    service = _kk()
    response = client.post(
        f"/admin/agencies/service/{service.pk}/change/",
        _admin_post_data(
            service,
            steps=(
                '[{"name": "Verifikasi", "kind": "agency", "agency": "NOPE",'
                ' "role": "verifier"}]'
            ),
            change_reason="x",
        ),
    )
    assert response.status_code == 200
    assert "NOPE" in str(response.context["adminform"].form.errors["steps"])
    assert _kk().versions.count() == 1
