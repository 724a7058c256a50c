from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import StaffRole

from .selectors import TrailFilter


class TrailFilterForm(forms.Form):
    """The workspace's filters; ``filters()`` gives a ``TrailFilter``."""

    date_from = forms.DateField(
        label=_("From (WIB date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Until (WIB date, inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reference = forms.CharField(
        label=_("Application reference"), required=False, max_length=32
    )
    actor = forms.CharField(
        label=_("Actor (username or system:task)"), required=False, max_length=120
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[
            ("", _("Any role")),
            *StaffRole.choices,
            # What the admin site records for its operators (audit.admin).
            ("superuser", _("Superuser (admin site)")),
            ("staff", _("Staff (admin site)")),
        ],
    )
    agency = forms.CharField(
        label=_("Agency or office code"), required=False, max_length=64
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("Exact, or a prefix ending in a dot, e.g. application."),
    )
    object_type = forms.CharField(
        required=False, max_length=100, widget=forms.HiddenInput
    )
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self, *, ascending: bool = False) -> TrailFilter:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        for key in ("reference", "actor", "agency", "action"):
            if key in data:
                data[key] = data[key].strip()
        return TrailFilter(**data, ascending=ascending)


class VerifyForm(forms.Form):
    full = forms.BooleanField(
        label=_("Check the whole chain from the first sealed entry (slower)"),
        label_suffix="",
        required=False,
    )
