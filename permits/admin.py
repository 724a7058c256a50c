"""Admin views of applications: read-only for everyone, superusers included.

The workflow's services (``permits.services``) are the only write path: they
lock rows, check versions, append the history and write the audit trail, none
of which an admin form would do. So the admin only shows: no add, change or
delete, and the status is never editable. Lists never count the whole table
(``audit.admin.ReadOnlyAdmin``: ``show_full_result_count = False`` and a
capped paginator). Times are shown in WIB; the applicant only by masked NIK.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdmin, _wib

from .models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    ReferenceCounter,
    StatusChange,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = ApplicationStep
    fields = ("order", "name", "agency", "role", "status", "started_wib", "due_wib")
    readonly_fields = fields
    ordering = ("order",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency")

    @admin.display(description=_("started at (WIB)"))
    def started_wib(self, step: ApplicationStep) -> str:
        return _wib(step.started_at)

    @admin.display(description=_("due at (WIB)"))
    def due_wib(self, step: ApplicationStep) -> str:
        return _wib(step.due_at)


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("at_wib", "from_status", "to_status", "action", "agency", "reason")
    readonly_fields = fields
    ordering = ("created_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency")

    @admin.display(description=_("at (WIB)"))
    def at_wib(self, change: StatusChange) -> str:
        return _wib(change.created_at)


def _masked_nik(user) -> str:
    return user.nik_masked or "-"


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "service",
        "applicant_nik",
        "status",
        "submitted_wib",
    )
    list_filter = ("status", "service")
    search_fields = ("=reference",)
    list_select_related = ("service", "applicant")
    ordering = ("-created_at", "pk")
    # form_data, subject and the tracking code hash are personal or secret.
    fields = (
        "reference",
        "uuid",
        "service",
        "service_version",
        "applicant_nik",
        "business",
        "status",
        "version",
        "submitted_wib",
        "decided_wib",
        "due_wib",
        "applicant_deadline_wib",
    )
    readonly_fields = fields
    inlines = (StepInline, StatusChangeInline)

    @admin.display(description=_("applicant (NIK)"))
    def applicant_nik(self, application: Application) -> str:
        return _masked_nik(application.applicant)

    @admin.display(description=_("submitted at (WIB)"), ordering="submitted_at")
    def submitted_wib(self, application: Application) -> str:
        return _wib(application.submitted_at)

    @admin.display(description=_("decided at (WIB)"))
    def decided_wib(self, application: Application) -> str:
        return _wib(application.decided_at)

    @admin.display(description=_("due at (WIB)"))
    def due_wib(self, application: Application) -> str:
        return _wib(application.due_at)

    @admin.display(description=_("applicant deadline (WIB)"))
    def applicant_deadline_wib(self, application: Application) -> str:
        return _wib(application.applicant_deadline_at)


@admin.register(ApplicationStep)
class ApplicationStepAdmin(ReadOnlyAdmin):
    list_display = ("application", "order", "name", "agency", "role", "status")
    list_filter = ("status", "kind")
    search_fields = ("=application__reference",)
    list_select_related = ("application", "agency")
    ordering = ("-application_id", "order")


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("application", "at_wib", "from_status", "to_status", "action")
    list_filter = ("to_status",)
    search_fields = ("=application__reference",)
    list_select_related = ("application",)
    ordering = ("-created_at", "-pk")
    exclude = ("actor",)

    @admin.display(description=_("at (WIB)"), ordering="created_at")
    def at_wib(self, change: StatusChange) -> str:
        return _wib(change.created_at)


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "requirement_code", "content_type", "size", "created_wib")
    list_filter = ("content_type",)
    search_fields = ("=uuid",)
    ordering = ("-created_at", "pk")
    # The file itself is served only to its owner and the agencies concerned.
    fields = (
        "uuid",
        "owner_nik",
        "requirement_code",
        "content_type",
        "size",
        "sha256",
        "created_wib",
    )
    readonly_fields = fields

    @admin.display(description=_("owner (NIK)"))
    def owner_nik(self, document: ApplicationDocument) -> str:
        return _masked_nik(document.owner)

    @admin.display(description=_("created at (WIB)"), ordering="created_at")
    def created_wib(self, document: ApplicationDocument) -> str:
        return _wib(document.created_at)


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdmin):
    list_display = ("year", "last_number")
    ordering = ("-year",)
