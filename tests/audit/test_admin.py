"""Configuration changes in the admin are audited, each with a required reason."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from accounts.models import User
from audit.admin import AuditedModelAdmin
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

REASON = "Ticket DPMPTSP-42: correction requested by the agency."


def _user_change_data(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "full_name": user.full_name,
        "preferred_language": "id",
        "groups": [],
        "user_permissions": [],
        "audit_reason": REASON,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _admin_entries():
    """Entries other than the admin's own login (the test client signs in)."""
    return AuditEntry.objects.exclude(action="auth.login")


@pytest.fixture
def citizen() -> User:
    return User.objects.create(
        username="warga1", full_name="Budi", email="budi@example.org"
    )


def test_change_without_a_reason_is_refused_and_records_nothing(admin_client, citizen):
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    response = admin_client.get(url)
    assert 'name="audit_reason"' in response.text
    response = admin_client.post(
        url, _user_change_data(citizen, full_name="Budi S", audit_reason="")
    )
    assert response.status_code == 200
    assert "audit_reason" in response.context["adminform"].form.errors
    citizen.refresh_from_db()
    assert citizen.full_name == "Budi"
    assert not _admin_entries().exists()


def test_change_records_field_changes_roles_and_reason(
    admin_client, admin_user, citizen
):
    officers = Group.objects.create(name="officer")
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    response = admin_client.post(
        url,
        _user_change_data(
            citizen,
            full_name="Budi Santoso",
            email="budi.baru@example.org",
            groups=[officers.pk],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="accounts.user.update")
    assert entry.actor == admin_user
    assert entry.actor_role == "superuser"
    assert entry.object_id == str(citizen.pk)
    assert entry.reason == REASON
    ref = {"ref": f"accounts.user:{citizen.pk}#email"}
    name = {"ref": f"accounts.user:{citizen.pk}#full_name"}
    assert entry.changes["full_name"] == [name, name]
    assert "Budi" not in str(entry.changes)
    assert entry.changes["email"] == [ref, ref]
    assert entry.changes["groups"] == [[], [officers.pk]]
    assert "example.org" not in str(entry.changes)
    assert set(entry.changes) == {"full_name", "email", "groups", "date_joined"}


def test_add_user_records_creation_without_the_password(admin_client):
    url = reverse("admin:accounts_user_add")
    response = admin_client.post(
        url,
        {
            "username": "petugas9",
            "usable_password": "true",
            "password1": "Tangerang-2026!x",
            "password2": "Tangerang-2026!x",
            "audit_reason": REASON,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="petugas9")
    entry = AuditEntry.objects.get(action="accounts.user.create")
    assert entry.object_id == str(user.pk)
    assert entry.changes["username"] == [None, "petugas9"]
    assert entry.changes["password"] == [
        None,
        {"ref": f"accounts.user:{user.pk}#password"},
    ]
    assert user.password not in str(entry.changes)


def test_password_change_requires_a_reason_and_is_recorded(admin_client, citizen):
    url = reverse("admin:auth_user_password_change", args=[citizen.pk])
    data = {"password1": "Baru-Sekali-2026!", "password2": "Baru-Sekali-2026!"}
    data["set-password"] = "1"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert 'name="audit_reason"' in response.text
    assert not _admin_entries().exists()
    response = admin_client.post(url, {**data, "audit_reason": REASON})
    assert response.status_code == 302
    entry = _admin_entries().get()
    assert entry.action == "accounts.user.password_change"
    assert entry.reason == REASON
    ref = {"ref": f"accounts.user:{citizen.pk}#password"}
    assert entry.changes == {"password": [ref, ref]}


def test_delete_asks_for_a_reason_then_records_the_last_values(admin_client, citizen):
    url = reverse("admin:accounts_user_delete", args=[citizen.pk])
    response = admin_client.get(url)
    assert 'name="audit_reason"' in response.text
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert 'id="id_audit_reason_error"' in response.text
    assert User.objects.filter(pk=citizen.pk).exists()
    response = admin_client.post(url, {"post": "yes", "audit_reason": REASON})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    entry = AuditEntry.objects.get(action="accounts.user.delete")
    assert entry.changes["username"] == ["warga1", None]
    assert entry.reason == REASON


def test_bulk_delete_of_roles_asks_for_a_reason(admin_client):
    groups = [Group.objects.create(name=f"role{i}") for i in range(2)]
    url = reverse("admin:auth_group_changelist")
    data = {
        "action": "delete_selected",
        "_selected_action": [g.pk for g in groups],
        "post": "yes",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert 'id="id_audit_reason_error"' in response.text
    mine = Group.objects.filter(pk__in=[g.pk for g in groups])
    assert mine.count() == 2
    response = admin_client.post(url, {**data, "audit_reason": REASON})
    assert response.status_code == 302
    assert not mine.exists()
    entries = AuditEntry.objects.filter(action="auth.group.delete")
    assert sorted(e.object_id for e in entries) == sorted(str(g.pk) for g in groups)


def test_bulk_delete_of_an_audited_model_goes_through_the_bulk_helper(
    admin_client, citizen
):
    url = reverse("admin:accounts_user_changelist")
    response = admin_client.post(
        url,
        {
            "action": "delete_selected",
            "_selected_action": [citizen.pk],
            "post": "yes",
            "audit_reason": REASON,
        },
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    entry = AuditEntry.objects.get(action="accounts.user.delete")
    assert entry.reason == REASON
    assert entry.changes["email"] == [
        {"ref": f"accounts.user:{citizen.pk}#email"},
        None,
    ]


def test_role_created_with_permissions_is_recorded(admin_client):
    permission = Permission.objects.get(codename="verify_chain")
    response = admin_client.post(
        reverse("admin:auth_group_add"),
        {
            "name": "pemeriksa-khusus",
            "permissions": [permission.pk],
            "audit_reason": REASON,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="auth.group.create")
    assert entry.changes["name"] == [None, "pemeriksa-khusus"]
    assert entry.changes["permissions"] == [None, [permission.pk]]


def test_mixin_refuses_list_editable():
    class Editable(AuditedModelAdmin):
        list_display = ("username", "full_name")
        list_editable = ("full_name",)

    from django.contrib import admin

    errors = Editable(User, admin.site).check()
    assert "audit.E003" in [e.id for e in errors]


def test_entries_are_read_only_and_shown_in_wib(admin_client, citizen):
    from django.db import transaction

    from audit.context import audit_actor
    from audit.services import audit_record

    with audit_actor(user=citizen), transaction.atomic():
        entry = audit_record(action="test.view", obj=citizen, actor_role="citizen")
    changelist = admin_client.get(reverse("admin:audit_auditentry_changelist"))
    assert changelist.status_code == 200
    assert "WIB" in changelist.text
    assert f"user:{citizen.pk}" in changelist.text
    assert reverse("admin:audit_auditentry_add") not in changelist.text
    detail = admin_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.text
    assert "Budi" in detail.text  # the actor, shown by name
    delete = admin_client.post(
        reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_changelist_never_counts_the_whole_table(admin_client, settings):
    """The paginator counts at most CAP + 1 rows (or asks the planner)."""
    from django.db import transaction

    from audit.admin import LargeTablePaginator
    from audit.services import audit_record

    with transaction.atomic():
        for i in range(4):
            audit_record(action="test.page", object_type="x", object_id=i)
    queryset = AuditEntry.objects.order_by("-id")
    assert LargeTablePaginator(queryset, 2).count == queryset.count()
    LargeTablePaginator.CAP, cap = 2, LargeTablePaginator.CAP
    try:
        assert LargeTablePaginator(queryset.filter(action="test.page"), 2).count == 3
    finally:
        LargeTablePaginator.CAP = cap
