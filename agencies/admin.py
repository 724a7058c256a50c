"""Admin for the catalogue, offices, calendars and holidays.

Every save asks for a reason and is written to the audit trail. Service content
is versioned: saving a service with changed content creates a new
``ServiceVersion`` (the old one stays, unchanged, for the applications that use
it). Versions and their steps are read-only here.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .choices import VersionOrigin
from .forms import (
    AuditedModelForm,
    IntervalForm,
    ServiceAdminForm,
    WeeklyIntervalFormSet,
)
from .models import (
    Agency,
    Calendar,
    CalendarOverride,
    District,
    Holiday,
    Office,
    OverrideInterval,
    Service,
    ServiceStep,
    ServiceVersion,
    Village,
    WeeklyInterval,
)
from .selectors import holiday_coverage_warning
from .services import (
    _service_update,
    _service_version_create,
    record_change,
    record_deletion,
)
from .services.catalogue import IDENTITY_FIELDS, VERSION_FIELDS

DELETED_IN_ADMIN = _("Deleted in the admin.")


class AuditedAdmin(admin.ModelAdmin):
    """Saves through the audit trail with the reason typed in the form."""

    form = AuditedModelForm

    def save_model(self, request, obj, form, change):
        before = type(obj).objects.get(pk=obj.pk) if change and obj.pk else None
        obj.save()
        request._audit_reason = form.cleaned_data["change_reason"]
        record_change(obj=obj, before=before, reason=request._audit_reason)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data["change_reason"]
        # The database still holds the old values until the formset saves.
        befores = {
            f.instance.pk: type(f.instance).objects.get(pk=f.instance.pk)
            for f in formset.initial_forms
            if f.instance.pk
        }
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_deletion(obj=obj, reason=reason)
            obj.delete()
        for obj in instances:
            obj.save()
            record_change(obj=obj, before=befores.get(obj.pk), reason=reason)
        formset.save_m2m()

    def delete_model(self, request, obj):
        record_deletion(obj=obj, reason=str(DELETED_IN_ADMIN))
        obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("pk"):
            self.delete_model(request, obj)


class NoDeleteMixin:
    """Rows other data points at; correct them instead of deleting."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(NoDeleteMixin, AuditedAdmin):
    list_display = [
        "code",
        "short_name",
        "name",
        "kind",
        "working_calendar",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "name_en", "short_name"]


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0
    fields = ["code", "name"]
    readonly_fields = ["code", "name"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(District)
class DistrictAdmin(NoDeleteMixin, AuditedAdmin):
    list_display = ["code", "name", "nik_prefix", "bps_code"]
    search_fields = ["code", "name", "nik_prefix"]
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(NoDeleteMixin, AuditedAdmin):
    list_display = ["code", "name", "district"]
    list_filter = ["district"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "agency", "district", "service_calendar"]
    list_filter = ["kind", "agency"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["agency", "district", "service_calendar"]
    autocomplete_fields = ["village"]


class WeeklyIntervalInline(admin.StackedInline):
    """The weekly hours: one block per opening interval (WIB), validated by
    ``WeeklyIntervalFormSet``; saving recomputes the open deadlines counted on
    the calendar (``sla.signals``) and audits each row with the reason.
    Stacked, not tabular: every field gets its own visible label (the tabular
    inline labels its time fields only by a column heading, which screen
    readers do not announce for the input)."""

    model = WeeklyInterval
    form = IntervalForm
    formset = WeeklyIntervalFormSet
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(NoDeleteMixin, AuditedAdmin):
    """A calendar's weekly hours, with "Preview the deadlines it moves" (the
    SLA admin's preview, fed the unsaved rows)."""

    list_display = ["code", "name", "kind", "timezone", "is_assumed"]
    list_filter = ["kind", "is_assumed"]
    search_fields = ["code", "name", "name_en"]
    inlines = [WeeklyIntervalInline]
    change_form_template = "admin/agencies/calendar/change_form.html"


class OverrideIntervalInline(admin.TabularInline):
    model = OverrideInterval
    form = IntervalForm
    extra = 0


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "date_from",
        "date_to",
        "is_closed",
        "is_provisional",
    ]
    list_filter = ["is_provisional", "is_closed"]
    search_fields = ["code", "name", "name_en"]
    filter_horizontal = ["calendars"]
    inlines = [OverrideIntervalInline]

    def save_related(self, request, form, formsets, change):
        before = (
            sorted(form.instance.calendars.values_list("code", flat=True))
            if change
            else []
        )
        super().save_related(request, form, formsets, change)
        after = sorted(form.instance.calendars.values_list("code", flat=True))
        if before != after:
            record_change(
                obj=form.instance,
                before=form.instance,
                reason=form.cleaned_data["change_reason"],
                extra={"calendars": [before, after]},
            )


class HolidayYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=self.value())
        return queryset


@admin.register(Holiday)
class HolidayAdmin(NoDeleteMixin, AuditedAdmin):
    list_display = [
        "date",
        "name",
        "category",
        "source",
        "is_provisional",
        "closes_working_time",
        "closes_service_hours",
    ]
    list_filter = [HolidayYearFilter, "category", "source", "is_provisional"]
    search_fields = ["name", "name_en", "source_reference"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        warning = holiday_coverage_warning()
        if warning:
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


class ServiceStepInline(admin.TabularInline):
    model = ServiceStep
    extra = 0
    can_delete = False
    fields = [
        "order",
        "name",
        "kind",
        "agency",
        "role",
        "external_system",
        "pauses_sla",
        "sla_value",
        "sla_unit",
        "parallel_group",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ServiceVersion)
class ServiceVersionAdmin(admin.ModelAdmin):
    """Read-only: a version never changes (applications point at it)."""

    list_display = [
        "service",
        "number",
        "name",
        "origin",
        "sla_provisional",
        "created_at",
    ]
    list_filter = ["origin", "sla_provisional", "service__agency"]
    search_fields = ["service__code", "name", "name_en"]
    list_select_related = ["service__current_version"]
    inlines = [ServiceStepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Service)
class ServiceAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = ServiceAdminForm
    list_display = [
        "code",
        "name",
        "agency",
        "category",
        "applicant_type",
        "version_number",
        "sla_is_provisional",
        "is_published",
    ]
    list_filter = ["agency", "category", "applicant_type", "is_published"]
    search_fields = ["code", "current_version__name", "current_version__name_en"]
    list_select_related = ["agency", "current_version"]
    readonly_fields = ["current_version"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "current_version",
                    "agency",
                    "issuer_agency",
                    "issuer_system",
                    "issuer_text",
                    "category",
                    "applicant_type",
                    "is_published",
                ]
            },
        ),
        (
            _("Content (saving a change creates a new version)"),
            {"fields": [*VERSION_FIELDS, "steps"]},
        ),
        (_("Reason"), {"fields": ["change_reason"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        return super().get_queryset(request).select_related("current_version")

    def get_readonly_fields(self, request, obj=None):
        return ["code", "current_version"] if obj else ["current_version"]

    @admin.display(description=_("name"), ordering="current_version__name")
    def name(self, obj: Service) -> str:
        return obj.current_version.name if obj.current_version_id else "-"

    @admin.display(description=_("version"))
    def version_number(self, obj: Service) -> int | None:
        return obj.current_version.number if obj.current_version_id else None

    @admin.display(description=_("service level provisional"), boolean=True)
    def sla_is_provisional(self, obj: Service) -> bool | None:
        return obj.current_version.sla_provisional if obj.current_version_id else None

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["change_reason"]
        before = Service.objects.get(pk=obj.pk) if change else None
        identity = {name: getattr(obj, name) for name in IDENTITY_FIELDS}
        if not change:
            identity["code"] = obj.code
        _service_update(service=obj, data=identity, reason=reason, before=before)
        if form.version_changed():
            version = _service_version_create(
                service=obj,
                fields=form.version_fields(),
                steps=form.cleaned_data["step_rows"],
                origin=VersionOrigin.ADMIN,
                reason=reason,
                user=request.user,
            )
            obj.current_version = version
            messages.info(
                request,
                _("Version %(number)s created; applications keep their version.")
                % {"number": version.number},
            )
