from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Validity


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Number, reference or holder"), required=False, max_length=100
    )
    validity = forms.ChoiceField(
        label=_("Validity"),
        required=False,
        choices=[("", _("All")), *list(Validity.choices)],
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
