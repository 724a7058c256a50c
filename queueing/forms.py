"""Forms of the queue pages. They only parse and validate input; the services
decide."""

import datetime as dt

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agencies.models import Office, Service

from .models import Counter, PriorityGroup
from .nik import nik_normalize


class NikField(forms.CharField):
    """A NIK typed on a touch screen: digits only on the keypad, checked for shape,
    returned normalised (16 digits)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIK (16 digits on your e-KTP)"))
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": r"[0-9 .\-]*",
                "spellcheck": "false",
            }
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return nik_normalize(value)


class KioskForm(forms.Form):
    """The kiosk: NIK, then one button per service (``service`` is its code).
    With ``reception=True`` (staff), a priority group and an application
    reference may be given and the NIK may be left out."""

    nik = NikField()
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), to_field_name="code", label=_("Service")
    )
    priority = forms.ModelChoiceField(
        queryset=PriorityGroup.objects.none(),
        required=False,
        to_field_name="code",
        label=_("Priority group"),
        empty_label=_("None"),
    )
    application_reference = forms.CharField(
        label=_("Application reference (optional)"), max_length=32, required=False
    )

    def __init__(self, *args, services, reception: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        if reception:
            self.fields["nik"].required = False
            self.fields["priority"].queryset = PriorityGroup.objects.filter(
                is_active=True
            )
        else:
            del self.fields["priority"]
            del self.fields["application_reference"]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )
    nik = NikField()


class BookingForm(forms.Form):
    """Book a slot: the service, the day (open days ahead) and a slot with a free
    place; choices are filled by the view from the office's calendar."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        to_field_name="code",
        label=_("Service"),
        empty_label=_("Choose a service"),
    )
    day = forms.ChoiceField(label=_("Day"))
    slot = forms.ChoiceField(label=_("Time"), required=False)
    nik = NikField(required=False)
    # From an officer's invitation link; checked against the citizen's own
    # applications by the view.
    permohonan = forms.CharField(
        required=False, max_length=32, widget=forms.HiddenInput
    )

    def __init__(self, *args, services, days: list[dt.date], slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["day"].choices = [
            (d.isoformat(), date_format(d, "l, j F Y")) for d in days
        ]
        self.fields["slot"].choices = [
            (
                s.starts_at.isoformat(),
                _("%(time)s WIB (%(free)s free)") % {"time": s.label(), "free": s.free},
            )
            for s in slots
            if s.free
        ]

    def clean_day(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data["day"])

    def clean_slot(self) -> dt.datetime | None:
        value = self.cleaned_data.get("slot")
        return parse_datetime(value) if value else None


class TransferForm(forms.Form):
    to_counter = forms.ModelChoiceField(
        queryset=Counter.objects.none(),
        required=False,
        label=_("To counter"),
        empty_label=_("Any counter"),
    )
    to_service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        to_field_name="code",
        label=_("To service"),
        empty_label=_("Same service"),
    )

    def __init__(self, *args, counter: Counter, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_counter"].queryset = Counter.objects.filter(
            office_id=counter.office_id, is_active=True
        ).exclude(pk=counter.pk)
        self.fields["to_service"].queryset = services

    def clean(self):
        data = super().clean()
        if not data.get("to_counter") and not data.get("to_service"):
            raise forms.ValidationError(
                _("Choose a counter or a service to transfer to.")
            )
        return data


class InviteForm(forms.Form):
    """An officer invites an applicant to book a visit at one of the offices
    that take bookings for the application's service."""

    office = forms.ModelChoiceField(
        queryset=Office.objects.none(),
        to_field_name="code",
        label=_("Office"),
        empty_label=None,
    )
    note = forms.CharField(
        label=_("Message to the applicant (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
