from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.admin import REASON, AuditedModelAdmin, reason_form_field
from audit.services import personal_ref

from .models import User


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form, with the reason the audit trail records."""

    audit_reason = reason_form_field()


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("full_name", "preferred_language")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email")
    change_password_form = AuditedPasswordChangeForm
    change_user_password_template = "admin/audit/change_password.html"  # noqa: S105

    def user_change_password(self, request, id, form_url=""):
        # The password and its audit entry commit together.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        match = request.resolver_match
        if match is not None and match.url_name == "auth_user_password_change":
            ref = personal_ref(obj, "password")
            self.audit(
                request,
                action="accounts.user.password_change",
                obj=obj,
                changes={"password": [ref, ref]},
                reason=request.POST.get(REASON, "").strip(),
            )
        return super().log_change(request, obj, message)


# Roles are groups: their permissions are configuration, audited like users.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin, BaseGroupAdmin):
    pass
