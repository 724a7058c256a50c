"""Admin of the workspace: internal notes, read-only and without their text
(personal data; notes are written only through ``workspace.services``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdmin, _wib

from .models import InternalNote


@admin.register(InternalNote)
class InternalNoteAdmin(ReadOnlyAdmin):
    list_display = ("application", "author", "agency", "created_wib")
    list_filter = ("agency",)
    search_fields = ("=application__reference",)
    list_select_related = ("application", "author", "agency")
    ordering = ("-created_at", "pk")
    fields = ("uuid", "application", "author", "agency", "created_wib")
    readonly_fields = fields

    @admin.display(description=_("created at (WIB)"))
    def created_wib(self, note: InternalNote) -> str:
        return _wib(note.created_at)
