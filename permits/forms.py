"""HTML forms of applications (the answers form is rendered from the JSON
Schema by ``forms_schema.schema_form_class``)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentsForm(forms.Form):
    """One optional file input per requirement of the version."""

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in requirements:
            self.fields[f"doc_{item['code']}"] = forms.FileField(
                label=item.get("name") or item["code"],
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/jpeg,image/png"}
                ),
            )


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=32, help_text=_("E.g. PTSP-2026-000123.")
    )
    code = forms.CharField(
        label=_("Tracking code"), max_length=32, help_text=_("From your receipt.")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OfficerActionForm(forms.Form):
    """Input of an officer's action at a step; which fields matter depends on
    the action (note, fields to revise and deadline, reason, external
    reference)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fields = forms.CharField(
        label=_("Fields or documents to fix"),
        required=False,
        help_text=_("Separate with commas."),
    )
    deadline = forms.DateField(
        label=_("Applicant deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    external_reference = forms.CharField(
        label=_("External reference"), required=False, max_length=120
    )
