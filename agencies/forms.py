"""Forms: the public catalogue filter and the admin's service editor."""

from itertools import pairwise
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

import jsonschema

from .choices import SlaUnit, StepKind, StepRole
from .models import Agency, Service, ServiceVersion
from .services.catalogue import VERSION_FIELDS, step_content, version_content

_TEXT_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {
            "text": {"type": "string", "minLength": 1},
            "text_en": {"type": "string"},
        },
    },
}
JSON_SHAPES: dict[str, dict] = {
    "requirements": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "name"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
                "name": {"type": "string", "minLength": 1},
                "name_en": {"type": "string"},
            },
        },
    },
    "legal_basis": _TEXT_LIST,
    "fee_exemptions": _TEXT_LIST,
    "sources": {"type": "array", "items": {"type": "string", "pattern": "^https?://"}},
    "eligibility": {"type": "object"},
    "form_schema": {"type": "object"},
    "steps": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["name", "kind"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "name_en": {"type": "string"},
                "kind": {"enum": list(StepKind.values)},
                "agency": {"type": ["string", "null"]},
                "role": {"enum": ["", *StepRole.values]},
                "external_system": {"type": "string"},
                "pauses_sla": {"type": "boolean"},
                "sla_value": {"type": ["integer", "null"], "minimum": 1},
                "sla_unit": {"enum": ["", *SlaUnit.values]},
                "parallel_group": {"type": "string", "pattern": "^[a-z0-9-]{0,32}$"},
            },
        },
    },
}


def _shape_error(value: Any, shape: dict) -> str | None:
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(shape).iter_errors(value)
    )
    if error is None:
        return None
    where = "".join(
        f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
    )
    return f"{where.lstrip('.') or '(top)'}: {error.message}"


class ReasonFormMixin(forms.Form):
    """Adds the required reason that every audited admin edit carries."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail with your name."),
    )


class AuditedModelForm(ReasonFormMixin, forms.ModelForm):
    pass


def _with_version_fields(form_class):
    """Declare the ``ServiceVersion`` content fields on the form class, so the
    admin's fieldsets can show them (they are not fields of ``Service``)."""
    fields = fields_for_model(ServiceVersion, fields=VERSION_FIELDS)
    for field in fields.values():
        if isinstance(field, forms.JSONField):
            field.widget = forms.Textarea(attrs={"rows": 6, "cols": 100})
    fields["sla_provisional"].help_text = _(
        "Untick and set the basis to “Confirmed” to confirm an assumed service "
        "level; this creates a new version."
    )
    form_class.base_fields.update(fields)
    form_class.declared_fields.update(fields)
    return form_class


@_with_version_fields
class ServiceAdminForm(AuditedModelForm):
    """Edits a service's identity and, through extra fields, the content of its
    next version. Saving changed content creates a new ``ServiceVersion``; the
    current one never changes."""

    steps = forms.JSONField(
        label=_("steps"),
        help_text=_(
            "A list of steps in order: name, name_en, kind (applicant, agency or "
            "external_system), agency (code or null), role (front_office, verifier, "
            "technical_reviewer or approver), external_system, pauses_sla, "
            "sla_value, sla_unit, parallel_group."
        ),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
    )

    class Meta:
        model = Service
        fields = [
            "code",
            "agency",
            "issuer_agency",
            "issuer_system",
            "issuer_text",
            "category",
            "applicant_type",
            "is_published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.current_version if self.instance.pk else None
        if current is not None:
            for name, value in version_content(current).items():
                self.initial.setdefault(name, value)
            self.initial.setdefault("steps", _steps_for_form(step_content(current)))
        # Fixed order: identity, version content, steps, reason last.
        order = [*self._meta.fields, *VERSION_FIELDS, "steps", "change_reason"]
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, shape in JSON_SHAPES.items():
            if name in cleaned and cleaned[name] is not None:
                problem = _shape_error(cleaned[name], shape)
                if problem:
                    self.add_error(name, problem)
        if "steps" in cleaned and not self.has_error("steps"):
            try:
                cleaned["step_rows"] = _steps_from_form(cleaned["steps"])
            except ValidationError as exc:
                self.add_error("steps", exc)
        return cleaned

    def version_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in VERSION_FIELDS}

    def version_changed(self) -> bool:
        current = self.instance.current_version if self.instance.pk else None
        if current is None:
            return True
        if version_content(current) != self.version_fields():
            return True
        return _steps_for_form(step_content(current)) != _steps_for_form(
            self.cleaned_data["step_rows"]
        )


def _steps_for_form(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        item = dict(step)
        agency = item.get("agency")
        item["agency"] = agency.code if isinstance(agency, Agency) else agency
        out.append(item)
    return out


def _steps_from_form(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    codes = {s.get("agency") for s in steps if s.get("agency")}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    rows = []
    for number, step in enumerate(steps, start=1):
        code = step.get("agency")
        if code and code not in agencies:
            raise ValidationError(
                _("Step %(number)s: no agency with code %(code)s.")
                % {"number": number, "code": code}
            )
        rows.append(
            {
                "name": step["name"],
                "name_en": step.get("name_en", ""),
                "kind": step["kind"],
                "agency": agencies.get(code) if code else None,
                "role": step.get("role", ""),
                "external_system": step.get("external_system", ""),
                "pauses_sla": step.get(
                    "pauses_sla", step["kind"] == StepKind.APPLICANT
                ),
                "sla_value": step.get("sla_value"),
                "sla_unit": step.get("sla_unit", ""),
                "parallel_group": step.get("parallel_group", ""),
            }
        )
    return rows


class MinuteTimeField(forms.TimeField):
    """A time shown and typed as HH:MM (``ptsp.formats``) whose stored value
    may carry seconds: "unchanged" while the shown minute is, so that saving
    a form does not cut a stored 23:59:59.999999 (an interval running to
    midnight, as ``seed_queue_demo``'s 24-hour calendar has) to 23:59."""

    def has_changed(self, initial, data) -> bool:
        try:
            value = self.to_python(data)
        except ValidationError:
            return True
        if isinstance(initial, str):
            try:
                initial = self.to_python(initial)
            except ValidationError:
                return True
        if initial is None or value is None:
            return initial != value
        return value not in (initial, initial.replace(second=0, microsecond=0))


class IntervalForm(forms.ModelForm):
    """An opening interval's row in the admin: its times as ``MinuteTimeField``,
    and an unchanged time keeps its stored value (seconds included)."""

    class Meta:
        field_classes = {"opens_at": MinuteTimeField, "closes_at": MinuteTimeField}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        for name, field in self.fields.items():
            if isinstance(field, MinuteTimeField) and name not in self.changed_data:
                stored = self.initial.get(name)
                if stored is not None and name in cleaned:
                    cleaned[name] = stored
        return cleaned


class WeeklyIntervalFormSet(forms.BaseInlineFormSet):
    """The calendar's weekly hours in the admin: one row per opening interval.

    Each row must close after it opens (also a database constraint); intervals
    of one weekday may not overlap or touch (two rows 08:00-12:00 and
    12:00-15:00 are one interval: type it once). ``weekly()`` gives the hours
    as the SLA calculator takes them, for the preview before saving."""

    def clean(self) -> None:
        super().clean()
        by_day: dict[int, list[tuple]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue  # a row's own errors (e.g. the database check) suffice
            opens, closes = data.get("opens_at"), data.get("closes_at")
            if opens is None or closes is None or data.get("weekday") is None:
                continue
            if closes <= opens:
                form.add_error(
                    "closes_at", _("The closing time must be after the opening time.")
                )
                continue
            by_day.setdefault(int(data["weekday"]), []).append((opens, closes, form))
        for intervals in by_day.values():
            intervals.sort(key=lambda row: row[0])
            for (_o, previous_closes, _f), (opens, _c, form) in pairwise(intervals):
                if opens <= previous_closes:
                    form.add_error(
                        "opens_at",
                        _(
                            "This interval overlaps another one on the same day. "
                            "Merge them into one row."
                        ),
                    )

    def weekly(self) -> dict[int, list[tuple]]:
        """``{weekday 0=Mon: [(opens, closes), ...]}`` of the valid, kept rows
        (call after ``is_valid()``); a weekday without a row is closed."""
        weekly: dict[int, list[tuple]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("opens_at") is None:
                continue
            weekly.setdefault(int(data["weekday"]), []).append(
                (data["opens_at"], data["closes_at"])
            )
        return {day: sorted(rows) for day, rows in weekly.items()}
