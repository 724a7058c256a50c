"""Bulk writes of audited models cannot bypass the trail."""

from django.db import transaction

import pytest

from accounts.models import User
from audit.bulk import AuditedQuerySet, UnauditedWrite, audited_delete
from audit.checks import check_audited_managers
from audit.models import AuditEntry
from audit.registry import audited_models, exempt_models, project_models
from audit.services import AuditOutsideTransaction

pytestmark = pytest.mark.django_db


def test_every_project_model_is_audited_or_exempt_with_a_reason():
    """A new model must be registered with @audited or @audit_exempt("why")."""
    audited = {m._meta.label_lower for m in audited_models()}
    exempt = exempt_models()
    unclassified = [
        m._meta.label_lower
        for m in project_models()
        if m._meta.label_lower not in audited and m._meta.label_lower not in exempt
    ]
    assert unclassified == []
    assert all(reason.strip() for reason in exempt.values())
    assert "accounts.user" in audited


@pytest.mark.parametrize("model", audited_models(), ids=lambda m: m._meta.label_lower)
def test_audited_model_refuses_bulk_writes_around_the_trail(model):
    managers = [*model._meta.managers, model._base_manager]
    for manager in managers:
        queryset = manager.all()
        assert isinstance(queryset, AuditedQuerySet), manager
        with pytest.raises(UnauditedWrite):
            queryset.update()
        with pytest.raises(UnauditedWrite):
            queryset.delete()
    assert check_audited_managers(None) == []


def test_bulk_update_is_refused_too():
    user = User.objects.create(username="u1")
    user.full_name = "Changed"
    with pytest.raises(UnauditedWrite):
        User.objects.bulk_update([user], ["full_name"])
    user.refresh_from_db()
    assert user.full_name == ""


def test_saving_one_object_is_not_a_bulk_write():
    user = User.objects.create(username="u1")
    user.full_name = "Siti"
    user.save()  # services record single saves with audit_record themselves
    user.refresh_from_db()
    assert user.full_name == "Siti"


def test_audited_update_records_each_changed_row_with_before_and_after():
    a = User.objects.create(username="a", is_active=True, email="a@example.org")
    b = User.objects.create(username="b", is_active=True)
    c = User.objects.create(username="c", is_active=False)
    with transaction.atomic():
        updated = User.objects.filter(username__in=["a", "b", "c"]).audited_update(
            action="accounts.user.deactivate", reason="Left the office", is_active=False
        )
    assert updated == 3
    entries = AuditEntry.objects.filter(action="accounts.user.deactivate")
    assert sorted(e.object_id for e in entries) == sorted([str(a.pk), str(b.pk)])
    assert all(e.changes == {"is_active": [True, False]} for e in entries)
    assert all(e.reason == "Left the office" for e in entries)
    assert str(c.pk) not in {e.object_id for e in entries}  # nothing changed


def test_personal_fields_are_recorded_as_references():
    user = User.objects.create(username="a", email="old@example.org")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).audited_update(
            action="accounts.user.update", email="new@example.org"
        )
    entry = AuditEntry.objects.get()
    ref = {"ref": f"accounts.user:{user.pk}#email"}
    assert entry.changes == {"email": [ref, ref]}
    assert "example.org" not in str(entry.changes)


def test_audited_delete_records_last_values():
    user = User.objects.create(username="gone", full_name="Budi", email="b@x.org")
    user.set_password("rahasia-123")
    user.save()
    with transaction.atomic():
        deleted = audited_delete(
            User.objects.filter(pk=user.pk),
            action="accounts.user.delete",
            reason="duplicate",
        )
    assert deleted == 1
    assert not User.objects.filter(pk=user.pk).exists()
    entry = AuditEntry.objects.get()
    assert entry.changes["username"] == ["gone", None]
    # The name is personal data: a reference, never the value.
    assert entry.changes["full_name"] == [
        {"ref": f"accounts.user:{user.pk}#full_name"},
        None,
    ]
    assert entry.changes["password"] == [
        {"ref": f"accounts.user:{user.pk}#password"},
        None,
    ]
    assert "b@x.org" not in str(entry.changes)


@pytest.mark.django_db(transaction=True)
def test_bulk_helpers_refuse_to_run_outside_a_transaction():
    User.objects.create(username="a")
    with pytest.raises(AuditOutsideTransaction):
        User.objects.all().audited_update(action="x", is_active=False)
    assert User.objects.get().is_active
