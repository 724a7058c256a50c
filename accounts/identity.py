"""The identity of an application's subject when it is not the applicant
(*identitas subjek permohonan*): a newborn for a birth certificate, a deceased
person for a death certificate, a family member.

A value, not a model: the applications issue stores it on the application
(``SubjectIdentity.to_json()`` into a ``JSONField``, or its own columns) and
collects it with ``SubjectIdentityForm``. ``subject_identity_validate(data)`` is
the one check, used by the form, a serializer or a service alike.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import SubjectRelationship
from accounts.nik import nik_mask, nik_normalise, nik_parse


@dataclass(frozen=True)
class SubjectIdentity:
    """Who the application is about.

    ``nik`` is optional (a newborn has none yet) and, when given, must agree with
    ``birth_date``. ``death_date`` is set for a deceased person (death
    certificate). Dates are calendar dates in WIB.
    """

    full_name: str
    relationship: str
    birth_date: dt.date
    birth_place: str = ""
    nik: str = ""
    death_date: dt.date | None = None

    @property
    def nik_masked(self) -> str:
        return nik_mask(self.nik)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat()
        data["death_date"] = self.death_date.isoformat() if self.death_date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SubjectIdentity":
        return subject_identity_validate(data)


def subject_identity_validate(
    data: dict[str, Any], *, today: dt.date | None = None
) -> SubjectIdentity:
    """Build a ``SubjectIdentity`` from ``data`` (strings or dates), checking:
    a name; a known relationship; a birth date not in the future; a structurally
    valid NIK (``accounts.nik``) whose birth date is the given one; a death date
    not before the birth nor in the future.

    Raises ``ValidationError`` keyed by field, with translated messages.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def date(name: str) -> dt.date | None:
        value = data.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            errors.setdefault(name, []).append(_("Enter a valid date."))
            return None

    full_name = str(data.get("full_name") or "").strip()
    if not full_name:
        errors.setdefault("full_name", []).append(_("Enter the person's full name."))
    relationship = str(data.get("relationship") or "")
    if relationship not in SubjectRelationship.values:
        errors.setdefault("relationship", []).append(_("Choose the relationship."))
    birth_date = date("birth_date")
    death_date = date("death_date")
    if birth_date is None and "birth_date" not in errors:
        errors.setdefault("birth_date", []).append(_("Enter the date of birth."))
    elif birth_date is not None and birth_date > today:
        errors.setdefault("birth_date", []).append(
            _("The date of birth cannot be in the future.")
        )
    nik = nik_normalise(str(data.get("nik") or ""))
    if nik:
        try:
            info = nik_parse(nik, today=today)
        except ValidationError as error:
            errors.setdefault("nik", []).extend(error.messages)
        else:
            if birth_date is not None and info.birth_date != birth_date:
                errors.setdefault("nik", []).append(
                    _("The NIK gives another date of birth (%(date)s).")
                    % {"date": info.birth_date.strftime("%d-%m-%Y")}
                )
    if death_date is not None:
        if death_date > today:
            errors.setdefault("death_date", []).append(
                _("The date of death cannot be in the future.")
            )
        elif birth_date is not None and death_date < birth_date:
            errors.setdefault("death_date", []).append(
                _("The date of death cannot be before the date of birth.")
            )
    if errors:
        raise ValidationError(errors)
    return SubjectIdentity(
        full_name=full_name,
        relationship=relationship,
        birth_date=birth_date,
        birth_place=str(data.get("birth_place") or "").strip(),
        nik=nik,
        death_date=death_date,
    )


class SubjectIdentityForm(forms.Form):
    """Collects a ``SubjectIdentity``; ``cleaned_data["subject"]`` holds it."""

    full_name = forms.CharField(label=_("Full name of the person"), max_length=150)
    relationship = forms.ChoiceField(
        label=_("Your relationship to the person"), choices=SubjectRelationship
    )
    nik = forms.CharField(
        label=_("Their NIK (if they have one)"), max_length=24, required=False
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_place = forms.CharField(
        label=_("Place of birth"), max_length=100, required=False
    )
    death_date = forms.DateField(
        label=_("Date of death (for a death certificate)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["subject"] = subject_identity_validate(data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data
