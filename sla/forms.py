"""Forms of the SLA admin pages."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Service


class DueForForm(forms.Form):
    """ "If submitted at this moment to this service, when is it due?" The
    moment is typed in WIB."""

    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(current_version__isnull=False).order_by("code"),
        to_field_name="code",
    )
    submitted_at = forms.DateTimeField(
        label=_("Submitted at (WIB)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Leave empty for now."),
    )

    def clean_submitted_at(self) -> dt.datetime:
        value = self.cleaned_data["submitted_at"]
        return value or timezone.now()


class ClosurePreviewForm(forms.Form):
    """A date that would close (or reopen), for the preview of moved deadlines."""

    date = forms.DateField(
        label=_("Date (WIB)"),
        # ISO, whatever the language: a date input shows nothing for "29/11/2026".
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    reopen = forms.BooleanField(
        label=_("Reopen the date instead of closing it"), required=False
    )
