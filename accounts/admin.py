"""Admin of accounts: users (NIK masked unless the viewer may see it), staff
creation one by one and from CSV, officers, businesses and delegations. Every
change writes an audit entry (``audit.services.audit_record``) in the admin's
transaction."""

import contextlib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.choices import StaffRole
from accounts.forms import StaffImportForm
from accounts.models import Business, BusinessMembership, Delegation, Officer, User
from accounts.permissions import user_can
from accounts.services.staff import CSV_COLUMNS, _officer_update
from agencies.models import Agency, Office
from audit.admin import REASON, AuditedModelAdmin, reason_form_field
from audit.services import audit_record, field_changes, personal_ref

_PERSONAL = {"email", "phone", "nik"}

# Authenticator devices hold TOTP secrets: no admin page shows them. A lost
# phone is handled by the "reset two-step verification" action on users.
with contextlib.suppress(admin.sites.NotRegistered):
    admin.site.unregister(TOTPDevice)
_USER_AUDITED = [
    "username",
    "full_name",
    "email",
    "phone",
    "nik",
    "preferred_language",
    "is_active",
    "is_staff",
    "is_superuser",
]


class StaffCreateForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=150)
    email = forms.EmailField(label=_("e-mail address"))
    role = forms.ChoiceField(label=_("role"), choices=StaffRole)
    agency = forms.ModelChoiceField(
        label=_("agency"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
    )
    office = forms.ModelChoiceField(
        label=_("office"),
        queryset=Office.objects.filter(is_active=True),
        required=False,
    )
    nip = forms.CharField(label=_("NIP"), max_length=18, required=False)
    send_invitation = forms.BooleanField(
        label=_("E-mail an invitation to choose a password"),
        required=False,
        initial=True,
    )


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form, with the reason the audit trail records."""

    audit_reason = reason_form_field()


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    # Changes are recorded by AuditedModelAdmin with a required reason; personal
    # fields (NIK, e-mail, phone, password, name) as references only.
    audit_personal_fields = ("nik", "email", "phone", "password", "full_name")
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

    change_list_template = "admin/accounts/user/change_list.html"
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Portal"),
            {
                "fields": (
                    "full_name",
                    "preferred_language",
                    "phone",
                    "nik",
                    "email_verified_at",
                    "phone_verified_at",
                    "closed_at",
                )
            },
        ),
    )
    readonly_fields = (
        "email_verified_at",
        "phone_verified_at",
        "closed_at",
        "nik_masked",
    )
    list_display = (
        "username",
        "full_name",
        "email",
        "is_staff",
        "is_active",
        "closed_at",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "full_name", "email")
    actions = ["reset_two_factor"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        person = getattr(response, "context_data", {}) or {}
        person = person.get("original")
        if (
            request.method == "GET"
            and person is not None
            and person.nik
            and user_can(request.user, "account.view_nik", person)
        ):
            from privacy.access import record_access
            from privacy.choices import AccessKind

            record_access(request, subject=person, kind=AccessKind.NIK)
        return response

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or user_can(request.user, "account.view_nik", obj):
            return fieldsets
        return [
            (
                name,
                {
                    **opts,
                    "fields": tuple(
                        "nik_masked" if f == "nik" else f for f in opts["fields"]
                    ),
                },
            )
            for name, opts in fieldsets
        ]

    def get_search_fields(self, request):
        # Searching by NIK would reveal it one digit at a time.
        fields = super().get_search_fields(request)
        if user_can(request.user, "account.view_nik"):
            return (*fields, "=nik")
        return fields

    @admin.display(description=_("NIK"))
    def nik_masked(self, obj: User) -> str:
        return obj.nik_masked or "-"

    @admin.action(description=_("Reset two-step verification (lost phone)"))
    def reset_two_factor(self, request, queryset):
        if not user_can(request.user, "account.manage_staff"):
            raise PermissionDenied
        total = sum(
            services.staff_two_factor_reset(user=user, reason="reset by an admin")
            for user in queryset.order_by("pk")
        )
        self.message_user(
            request,
            ngettext("%(count)d device removed.", "%(count)d devices removed.", total)
            % {"count": total},
        )

    def get_urls(self):
        own = [
            path(
                "staff/add/",
                self.admin_site.admin_view(self.staff_add_view),
                name="accounts_user_staff_add",
            ),
            path(
                "staff/import/",
                self.admin_site.admin_view(self.staff_import_view),
                name="accounts_user_staff_import",
            ),
        ]
        return own + super().get_urls()

    def _context(self, request, title: str, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def staff_add_view(self, request):
        """Create one staff member (officer, auditor or admin)."""
        if not user_can(request.user, "account.manage_staff"):
            raise PermissionDenied
        form = StaffCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                user = services.staff_create(
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    role=data["role"],
                    agency=data["agency"],
                    office=data["office"],
                    employee_number=data["nip"],
                    invite=data["send_invitation"],
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Staff account %(name)s created.") % {"name": user.username},
                )
                return redirect(reverse("admin:accounts_user_change", args=[user.pk]))
        return TemplateResponse(
            request,
            "admin/accounts/user/staff_add.html",
            self._context(request, _("Add staff member"), form=form),
        )

    def staff_import_view(self, request):
        """Create many staff members from a CSV file: all, or none with a report
        of every problem by line and column."""
        if not user_can(request.user, "account.manage_staff"):
            raise PermissionDenied
        form = StaffImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error(
                    "file", _("Save the file as UTF-8 CSV and upload it again.")
                )
            else:
                try:
                    users = services.staff_import(
                        text=text, invite=form.cleaned_data["send_invitations"]
                    )
                except services.StaffImportError as error:
                    report = error.errors
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d staff account created.",
                            "%(count)d staff accounts created.",
                            len(users),
                        )
                        % {"count": len(users)},
                    )
                    return redirect(reverse("admin:accounts_user_changelist"))
        return TemplateResponse(
            request,
            "admin/accounts/user/staff_import.html",
            self._context(
                request,
                _("Import staff from CSV"),
                form=form,
                report=report,
                columns=",".join(CSV_COLUMNS),
                roles=StaffRole.choices,
            ),
        )


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "agency", "office", "is_active")
    list_filter = ("role", "agency", "office", "is_active")
    search_fields = ("user__username", "user__full_name", "employee_number")
    list_select_related = ("user", "agency", "office")
    fields = ("user", "role", "agency", "office", "employee_number", "is_active")
    readonly_fields = ("user",)

    def has_add_permission(self, request):
        return False  # staff are added with "Add staff member" on the users page

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        _officer_update(officer=Officer.objects.get(pk=obj.pk), **values)


class MembershipInline(admin.TabularInline):
    model = BusinessMembership
    fk_name = "business"
    fields = ("user", "role", "confirmed_at", "ended_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "nib", "npwp", "created_at")
    search_fields = ("name", "=nib", "=npwp")
    fields = ("name", "nib", "npwp", "created_by")
    readonly_fields = ("nib", "created_by")
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False  # citizens declare their businesses

    def save_model(self, request, obj, form, change):
        before = Business.objects.get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        audit_record(
            action="business.admin_change",
            obj=obj,
            changes=field_changes(before, obj, ["name", "npwp"]),
        )


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = (
        "delegator",
        "delegate",
        "kind",
        "starts_at",
        "ends_at",
        "revoked_at",
    )
    list_filter = ("kind",)
    list_select_related = (
        "delegator__user",
        "delegator__agency",
        "delegate__user",
        "delegate__agency",
    )
    search_fields = ("delegator__user__full_name", "delegate__user__full_name")
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return False  # recorded on the officers' delegation page (rules apply)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Roles are groups: their permissions are configuration, audited like users.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin, BaseGroupAdmin):
    pass
