"""Admin of the queue: set up service groups (prefix, services, booking slots),
counters and their operators, priority groups and office supervisors. Every
change is written to the audit trail. Tickets and bookings are read-only here:
they change only through the counter desk, the kiosk and the end-of-day sweep.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, field_changes

from .models import (
    Booking,
    Counter,
    CounterOperator,
    OfficeSupervisor,
    PriorityGroup,
    QueueTicket,
    ServiceGroup,
)


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions write ``queue.<model>.<verb>`` audit entries."""

    def _fields(self, obj) -> list[str]:
        return [f.name for f in obj._meta.concrete_fields if f.name != "id"]

    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        obj.save()
        audit_record(
            action=f"queue.{obj._meta.model_name}.{'update' if change else 'create'}",
            obj=obj,
            changes=field_changes(before, obj, self._fields(obj)),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for name in ("services", "service_groups"):
            if name in form.cleaned_data:
                audit_record(
                    action=f"queue.{form.instance._meta.model_name}.{name}",
                    obj=form.instance,
                    changes={
                        name: [None, sorted(str(o.pk) for o in form.cleaned_data[name])]
                    },
                )

    def delete_model(self, request, obj):
        audit_record(action=f"queue.{obj._meta.model_name}.delete", obj=obj, changes={})
        obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("pk"):
            self.delete_model(request, obj)


class ServiceGroupForm(forms.ModelForm):
    class Meta:
        model = ServiceGroup
        fields = [
            "office",
            "prefix",
            "name",
            "name_en",
            "services",
            "booking_slot_minutes",
            "booking_capacity",
            "average_service_minutes",
            "sort_order",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        office, services = data.get("office"), data.get("services")
        if office and services:
            taken = (
                ServiceGroup.objects.filter(office=office, services__in=services)
                .exclude(pk=self.instance.pk)
                .values_list("services__code", flat=True)
            )
            if taken:
                raise forms.ValidationError(
                    _("Already in another group of this office: %(codes)s.")
                    % {"codes": ", ".join(sorted(set(taken)))}
                )
        return data


@admin.register(ServiceGroup)
class ServiceGroupAdmin(AuditedAdmin):
    form = ServiceGroupForm
    list_display = [
        "prefix",
        "name",
        "office",
        "booking_slot_minutes",
        "booking_capacity",
        "is_active",
    ]
    list_filter = ["office", "is_active"]
    search_fields = ["name", "prefix"]
    filter_horizontal = ["services"]


class CounterOperatorInline(admin.TabularInline):
    model = CounterOperator
    extra = 1
    autocomplete_fields = ["officer"]


@admin.register(Counter)
class CounterAdmin(AuditedAdmin):
    list_display = ["__str__", "office", "agency", "is_active"]
    list_filter = ["office", "is_active"]
    filter_horizontal = ["service_groups", "services"]
    inlines = [CounterOperatorInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_record(
                action="queue.counteroperator.delete",
                obj=obj,
                changes={"officer": [obj.officer_id, None]},
            )
            obj.delete()
        for obj in instances:
            obj.save()
            audit_record(
                action="queue.counteroperator.create",
                obj=obj,
                changes={
                    "officer": [None, obj.officer_id],
                    "counter": [None, obj.counter_id],
                },
            )
        formset.save_m2m()


@admin.register(PriorityGroup)
class PriorityGroupAdmin(AuditedAdmin):
    list_display = ["code", "name", "sort_order", "is_active"]


@admin.register(OfficeSupervisor)
class OfficeSupervisorAdmin(AuditedAdmin):
    list_display = ["officer", "office"]
    list_filter = ["office"]
    autocomplete_fields = ["officer"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QueueTicket)
class QueueTicketAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "local_date",
        "office",
        "service",
        "status",
        "channel",
        "counter",
        "wait_seconds",
        "service_seconds",
    ]
    list_filter = ["status", "channel", "office", "local_date"]
    search_fields = ["number", "application_reference"]
    date_hierarchy = "issued_at"
    exclude = ["nik_hash"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["code", "office", "service", "slot_starts_at", "status"]
    list_filter = ["status", "office"]
    search_fields = ["code", "application_reference"]
    date_hierarchy = "slot_starts_at"
    exclude = ["nik_hash"]
