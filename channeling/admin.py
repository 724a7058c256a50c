"""Admin views of assisted submissions and BPJS hand-overs: read-only (the
services in ``channeling.services`` are the only write path). Times in WIB;
codes, claim hashes and addresses are never shown."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdmin, _wib

from .models import AssistedSubmission, BpjsHandover


@admin.register(AssistedSubmission)
class AssistedSubmissionAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "office",
        "operator",
        "status",
        "account_created",
        "created_wib",
        "confirmed_wib",
    )
    list_filter = ("status", "account_created", "office__kind", "office")
    search_fields = ("application__reference",)
    fields = (
        "uuid",
        "application",
        "office",
        "operator",
        "citizen",
        "status",
        "account_created",
        "code_channel",
        "created_wib",
        "confirmed_wib",
        "claimed_at",
    )
    readonly_fields = fields
    list_select_related = ("application", "office", "operator__user")

    @admin.display(description=_("created at (WIB)"))
    def created_wib(self, obj: AssistedSubmission) -> str:
        return _wib(obj.created_at)

    @admin.display(description=_("confirmed at (WIB)"))
    def confirmed_wib(self, obj: AssistedSubmission) -> str:
        return _wib(obj.confirmed_at)


@admin.register(BpjsHandover)
class BpjsHandoverAdmin(ReadOnlyAdmin):
    list_display = ("application", "system", "status", "ticket", "external_reference")
    list_filter = ("system", "status")
    search_fields = ("application__reference", "ticket", "external_reference")
    fields = (
        "application",
        "step",
        "system",
        "status",
        "sent_by",
        "ticket",
        "external_reference",
        "reason",
        "attempts",
        "sent_at",
        "finished_at",
    )
    readonly_fields = fields
    list_select_related = ("application",)
