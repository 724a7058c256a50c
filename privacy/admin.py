from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdmin, _wib

from .models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """The staff access log, for auditors: who opened whose data (by account
    id, never by NIK or phone)."""

    list_display = (
        "accessed_wib",
        "viewer",
        "viewer_role",
        "viewer_unit",
        "kind",
        "subject_id",
    )
    list_filter = ("kind", "viewer_role")
    search_fields = ("=viewer__username", "=viewer_unit", "=application__reference")
    list_select_related = ("viewer",)

    @admin.display(description=_("accessed at"), ordering="accessed_at")
    def accessed_wib(self, obj: PersonalDataAccess) -> str:
        return _wib(obj.accessed_at)
