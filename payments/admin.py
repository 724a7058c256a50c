"""Admin of payments. Fee rules are configuration: admins edit the parameters
(audited with a reason) and confirm them (then no longer shown as assumed).
Bills, payments, callbacks and refunds are read-only: the services are their
only write path (locks, the workflow, the audit trail)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedModelAdmin, ReadOnlyAdmin, _wib

from .choices import BuildingFunction
from .models import Bill, FeeRule, GatewayCallback, Payment, Refund
from .services import _fee_rule_confirm


class FeeRuleForm(forms.ModelForm):
    class Meta:
        model = FeeRule
        fields = [
            "service",
            "kind",
            "fixed_amount",
            "unit_price_idr_per_m2",
            "locality_index",
            "integrated_indices",
            "built_index",
            "exemptions",
            "description",
            "description_en",
            "basis",
        ]

    def clean_integrated_indices(self):
        value = self.cleaned_data["integrated_indices"] or {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Enter an object of function: index."))
        for key, index in value.items():
            if key not in BuildingFunction.values:
                raise forms.ValidationError(
                    _("Unknown building function %(key)s.") % {"key": key}
                )
            try:
                number = Decimal(str(index))
            except InvalidOperation:
                number = Decimal(-1)
            if not number.is_finite() or number < 0:
                raise forms.ValidationError(
                    _("The index of %(key)s must be a number of at least 0.")
                    % {"key": key}
                )
        return {k: str(v) for k, v in value.items()}

    def clean_exemptions(self):
        value = self.cleaned_data["exemptions"] or []
        if not isinstance(value, list) or not all(
            isinstance(e, dict) and e.get("code") and e.get("text") for e in value
        ):
            raise forms.ValidationError(
                _('Enter a list of {"code": ..., "text": ..., "text_en": ...}.')
            )
        return value


@admin.register(FeeRule)
class FeeRuleAdmin(AuditedModelAdmin):
    form = FeeRuleForm
    list_display = (
        "service",
        "kind",
        "status",
        "fixed_amount",
        "unit_price_idr_per_m2",
    )
    list_filter = ("kind", "status")
    search_fields = ("service__code",)
    readonly_fields = ("status", "confirmed_by", "confirmed_at")
    actions = ["confirm"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Confirm the parameters (no longer assumed)"))
    def confirm(self, request, queryset) -> None:
        for rule in queryset.order_by("pk"):
            _fee_rule_confirm(rule=rule, user=request.user)
        messages.success(request, _("Fee rules confirmed."))


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ("billing_code", "application", "amount", "status", "due_wib")
    list_filter = ("status",)
    search_fields = ("billing_code", "application__reference")
    list_select_related = ("application",)

    @admin.display(description=_("due at (WIB)"))
    def due_wib(self, bill: Bill) -> str:
        return _wib(bill.due_at)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("bill", "amount", "channel", "gateway_transaction_id", "paid_wib")
    list_filter = ("channel",)
    search_fields = ("bill__billing_code", "gateway_transaction_id", "reference")
    list_select_related = ("bill",)
    exclude = ("evidence",)

    @admin.display(description=_("paid at (WIB)"))
    def paid_wib(self, payment: Payment) -> str:
        return _wib(payment.paid_at)


@admin.register(GatewayCallback)
class GatewayCallbackAdmin(ReadOnlyAdmin):
    list_display = (
        "received_wib",
        "outcome",
        "transaction_id",
        "billing_code",
        "amount",
    )
    list_filter = ("outcome",)
    search_fields = ("transaction_id", "billing_code")

    @admin.display(description=_("received at (WIB)"))
    def received_wib(self, callback: GatewayCallback) -> str:
        return _wib(callback.received_at)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("payment", "amount", "reason", "status", "created_at")
    list_filter = ("status", "reason")
    list_select_related = ("payment__bill",)
