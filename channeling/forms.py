"""HTML forms of the counter and of BPJS corrections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.choices import ApplicantType
from agencies.models import Service


class AssistedStartForm(forms.Form):
    """Which service, and who the citizen at the counter is."""

    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a service"),
    )
    nik = forms.CharField(
        label=_("Citizen's NIK"),
        max_length=24,
        help_text=_("16 digits, from the KTP-el or family card."),
    )
    full_name = forms.CharField(
        label=_("Citizen's full name"),
        max_length=150,
        required=False,
        help_text=_("Needed when the citizen has no account yet."),
    )
    phone = forms.CharField(
        label=_("Citizen's mobile phone number"),
        max_length=24,
        required=False,
        help_text=_("Needed when the citizen has no account yet, e.g. 0812 3456 7890."),
    )
    email = forms.EmailField(
        label=_("Citizen's e-mail address (optional)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = (
            Service.objects.filter(is_published=True, current_version__isnull=False)
            .exclude(applicant_type=ApplicantType.BUSINESS)
            .select_related("current_version", "agency")
            .order_by("agency__code", "code")
        )
        field = self.fields["service"]
        field.queryset = qs
        field.label_from_instance = lambda s: (
            f"{s.agency.code} · {s.current_version.display_name}"
        )


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code the citizen received"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )


class ClaimForm(forms.Form):
    identifier = forms.CharField(
        label=_("Your NIK or mobile phone number"), max_length=24
    )
    code = forms.CharField(
        label=_("The code from the service point"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ReferenceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reference = forms.CharField(label=_("BPJS reference of the change"), max_length=120)


class RejectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
