"""HTML forms of applications (the answers form is rendered from the JSON
Schema by ``forms_schema.schema_form_class``)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

WIB = dt.timezone(dt.timedelta(hours=7))


class DocumentsForm(forms.Form):
    """One optional file input per requirement of the version (``doc_<code>``),
    labelled in the page's language, and, where the applicant uploaded a file
    for the same requirement before (KTP, KK ...), a choice to reuse it
    (``reuse_<code>``, the document's UUID).

    ``reusable`` maps a requirement code to the applicant's own earlier
    ``ApplicationDocument`` rows (``selectors.documents_of``); only those can be
    chosen, so another citizen's document id is refused as an invalid choice.
    """

    def __init__(self, *args, requirements=(), english=False, reusable=None, **kwargs):
        super().__init__(*args, **kwargs)
        reusable = reusable or {}
        for item in requirements:
            code = item["code"]
            name = (english and item.get("name_en")) or item.get("name") or code
            self.fields[f"doc_{code}"] = forms.FileField(
                label=name,
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/jpeg,image/png"}
                ),
            )
            earlier = reusable.get(code)
            if earlier:
                self.fields[f"reuse_{code}"] = forms.ChoiceField(
                    label=_("Or reuse an earlier file for “%(name)s”") % {"name": name},
                    required=False,
                    choices=[("", _("No, not this time"))]
                    + [
                        (
                            str(doc.uuid),
                            f"{doc.original_name or doc.requirement_code} "
                            f"({doc.created_at.astimezone(WIB):%d-%m-%Y})",
                        )
                        for doc in earlier
                    ],
                )

    def clean(self):
        """Refuse a file sent under a requirement the version does not list (a
        hand-made request: the page only offers the version's requirements);
        the answers of the draft are still saved by the view."""
        cleaned = super().clean()
        for name in self.files or {}:
            if name not in self.fields:
                code = name.removeprefix("doc_")[:64]
                raise forms.ValidationError(
                    _(
                        "“%(code)s” is not a requirement of this service; choose "
                        "one of the documents listed on the form."
                    ),
                    code="unknown_requirement",
                    params={"code": code},
                )
        return cleaned

    def reuse_choices(self) -> dict[str, str]:
        """``{requirement code: document UUID}`` the applicant chose to reuse
        where no new file was uploaded for the same requirement."""
        out = {}
        for name, value in self.cleaned_data.items():
            code = name.removeprefix("reuse_")
            if (
                name.startswith("reuse_")
                and value
                and not self.cleaned_data.get(f"doc_{code}")
            ):
                out[code] = value
        return out


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
