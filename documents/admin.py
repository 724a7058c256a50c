"""Admin views of issued documents: read-only. Revocation goes through the
register page or the API (``documents.services.document_revoke``), which
checks the signatory rule, requires a reason and notifies the holder."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdmin, _wib

from .models import DocumentCounter, IssuedDocument, RenewalLink


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "kind",
        "service",
        "issued_wib",
        "valid_until_wib",
        "validity_label",
        "render_status",
        "signed",
    )
    list_filter = ("kind", "render_status", "signed")
    search_fields = ("number", "application__reference")
    list_select_related = ("service",)
    exclude = ("verification_token", "holder_identifier", "data")
    raw_id_fields = ("application", "superseded_by", "revoked_by")

    @admin.display(description=_("issued at (WIB)"))
    def issued_wib(self, document: IssuedDocument) -> str:
        return _wib(document.issued_at)

    @admin.display(description=_("valid until (WIB)"))
    def valid_until_wib(self, document: IssuedDocument) -> str:
        return _wib(document.valid_until)

    @admin.display(description=_("validity"))
    def validity_label(self, document: IssuedDocument) -> str:
        return str(document.validity().label)


@admin.register(DocumentCounter)
class DocumentCounterAdmin(ReadOnlyAdmin):
    list_display = ("service", "year", "last_number")
    list_select_related = ("service",)


@admin.register(RenewalLink)
class RenewalLinkAdmin(ReadOnlyAdmin):
    list_display = ("application", "previous", "created_at")
    raw_id_fields = ("application", "previous")
