"""Forms of the citizen's channel page: they only parse; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import MESSAGE_CHANNELS, Channel
from .phones import phone_normalise


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=20,
        help_text=_("An Indonesian mobile number, e.g. 0812 3456 7890."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
        ),
    )

    def clean_phone(self) -> str:
        return phone_normalise(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
            }
        ),
    )


_LABELS = {
    Channel.WHATSAPP: _("WhatsApp"),
    Channel.SMS: _("SMS"),
    Channel.EMAIL: _("E-mail"),
}


class ChannelOrderForm(forms.Form):
    """Up to three channels, first choice first; empty places are skipped."""

    first = forms.ChoiceField(label=_("First choice"))
    second = forms.ChoiceField(label=_("Second choice"), required=False)
    third = forms.ChoiceField(label=_("Third choice"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c, _LABELS[c]) for c in MESSAGE_CHANNELS]
        self.fields["first"].choices = choices
        for name in ("second", "third"):
            self.fields[name].choices = [("", _("(none)")), *choices]

    @classmethod
    def for_channels(cls, channels: list[str]) -> "ChannelOrderForm":
        names = ("first", "second", "third")
        return cls(initial=dict(zip(names, channels, strict=False)))

    def channels(self) -> list[str]:
        data = self.cleaned_data
        return [data[n] for n in ("first", "second", "third") if data.get(n)]
