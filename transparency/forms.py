"""HTML forms of the survey and complaints."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer
from agencies.models import Office
from permits.models import Application

from .choices import ComplaintSubject
from .ikm import ELEMENTS

#: The answer scale of PermenPANRB 14/2017 (Lampiran): 1 tidak sesuai ... 4
#: sangat sesuai.
SCALE_CHOICES = [
    (1, _("1 - Not good")),
    (2, _("2 - Fair")),
    (3, _("3 - Good")),
    (4, _("4 - Very good")),
]

QUESTIONS = {
    "u1": _("How well did the requirements match the service?"),
    "u2": _("How easy was the procedure?"),
    "u3": _("How fast was the service?"),
    "u4": _("How fair was the fee (or was it free as published)?"),
    "u5": _("How well did the result match what was promised?"),
    "u6": _("How competent were the staff?"),
    "u7": _("How polite and friendly were the staff?"),
    "u8": _("How well are complaints and suggestions handled?"),
    "u9": _("How good are the facilities?"),
}


class SurveyForm(forms.Form):
    """The nine questions (radio buttons 1..4) and a suggestion."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in ELEMENTS:
            self.fields[name] = forms.TypedChoiceField(
                label=f"{name.upper()}. {label}",
                help_text=QUESTIONS[name],
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose a score.")},
            )
        self.fields["suggestion"] = forms.CharField(
            label=_("Suggestion (optional)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )


class ComplaintForm(forms.Form):
    """What the complaint is about and what happened. The subject lists are
    scoped: the citizen's own applications, active offices, and officers who
    handled the citizen's applications."""

    kind = forms.ChoiceField(
        label=_("The complaint is about"),
        choices=ComplaintSubject.choices,
        widget=forms.RadioSelect,
    )
    application = forms.ModelChoiceField(
        label=_("Application"), queryset=Application.objects.none(), required=False
    )
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False
    )
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=Officer.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        applications = (
            Application.objects.filter(applicant=user, reference__isnull=False)
            .select_related("service_version")
            .order_by("-submitted_at")
        )
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.reference} - {a.service_version.name}"
        )
        self.fields["office"].queryset = Office.objects.filter(is_active=True).order_by(
            "name"
        )
        self.fields["officer"].queryset = (
            Officer.objects.filter(
                is_active=True, application_steps__application__applicant=user
            )
            .select_related("user", "agency")
            .distinct()
        )
        self.fields["officer"].label_from_instance = lambda o: (
            f"{o.user.full_name or o.user.get_username()}"
            f"{' (' + o.agency.code + ')' if o.agency_id else ''}"
        )
        self.fields["officer"].help_text = _("Officers who handled your applications.")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = {
            ComplaintSubject.APPLICATION: "application",
            ComplaintSubject.OFFICE: "office",
            ComplaintSubject.OFFICER: "officer",
        }.get(kind)
        if needed and not data.get(needed):
            self.add_error(needed, _("Please choose one."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the citizen"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
