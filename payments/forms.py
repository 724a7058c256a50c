"""HTML forms of payments: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import BuildingFunction, RefundReason
from .gateways.protocol import MAX_AMOUNT


class BillIssueForm(forms.Form):
    """The officer's levy assessment at the SKRD step."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    floor_area_m2 = forms.DecimalField(
        label=_("Total floor area (m²)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    building_function = forms.ChoiceField(
        label=_("Building function"),
        choices=[("", "---------"), *BuildingFunction.choices],
        required=False,
    )
    exemption = forms.ChoiceField(label=_("Exemption"), required=False)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rule, english: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exemption"].choices = [
            ("", _("None")),
            *(
                (e["code"], (e.get("text_en") if english else "") or e["text"])
                for e in rule.exemptions
            ),
        ]
        if rule.kind != "pbg":
            del self.fields["floor_area_m2"]
            del self.fields["building_function"]
        if not rule.exemptions:
            del self.fields["exemption"]


class ManualConfirmForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount paid (IDR)"), min_value=1, max_value=MAX_AMOUNT
    )
    paid_at = forms.DateTimeField(
        label=_("Paid at (WIB)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reference = forms.CharField(label=_("Bank or teller reference"), max_length=64)
    evidence = forms.FileField(label=_("Evidence (PDF, JPEG or PNG)"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefundRequestForm(forms.Form):
    """A Bapenda/BPKD officer asks for (part of) a payment back."""

    amount = forms.IntegerField(
        label=_("Amount to refund (IDR)"), min_value=1, max_value=MAX_AMOUNT
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=RefundReason.choices)
    note = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the money goes back, for the officer who decides."),
    )


class RefundDecisionForm(forms.Form):
    """A second officer approves or rejects a requested refund, with the
    reason recorded in the audit trail."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
