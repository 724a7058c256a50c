from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdmin, _wib

from .models import VerificationRun


@admin.register(VerificationRun)
class VerificationRunAdmin(ReadOnlyAdmin):
    """Stored results of "verify now" (read-only)."""

    list_display = (
        "id",
        "requested_wib",
        "requested_by",
        "full",
        "status",
        "entries_checked",
        "first_broken_entry",
    )
    list_filter = ("status", "full")

    @admin.display(description=_("requested at"), ordering="requested_at")
    def requested_wib(self, obj: VerificationRun) -> str:
        return _wib(obj.requested_at)
