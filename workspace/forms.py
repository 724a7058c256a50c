"""Forms of the officer workspace."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer


class BulkActionForm(forms.Form):
    """One action on the ticked tasks: claim them, or (supervisors) give them
    to an officer with one reason."""

    ACTIONS = [("claim", _("Claim")), ("assign", _("Assign to"))]

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    steps = forms.TypedMultipleChoiceField(
        label=_("Tasks"),
        coerce=int,
        error_messages={"required": _("Tick at least one task.")},
    )
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=Officer.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, step_ids=(), officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = [(i, i) for i in step_ids]
        if officers is not None:
            self.fields["officer"].queryset = officers

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign":
            if not data.get("officer"):
                self.add_error("officer", _("Choose the officer."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give a reason for the assignment."))
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (not shown to the applicant)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
