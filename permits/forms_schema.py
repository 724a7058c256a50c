"""Application forms as JSON Schema, and their rendering as Django forms.

``effective_schema(version)`` is the version's ``form_schema`` when an admin
has set one; otherwise a default built here: the applicant's identity first,
then the fields of the service family (practice licences of Dinkes, BPJS data
corrections), keyed by service code. The catalogue overlay loader does not
carry form schemas, so the defaults live on the permits side (issue 6, item 5).

``schema_form_class(schema)`` renders a ``django.forms.Form`` subclass from a
schema's top-level ``properties`` (string, number, integer, boolean, date and
enum, whose choices are labelled by ``x-enum-titles``/``x-enum-titles-en`` when
given); the server validates the submitted JSON again with ``jsonschema``.
"""

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

IDENTITY_PROPERTIES: dict[str, dict[str, Any]] = {
    "full_name": {
        "type": "string",
        "title": "Nama lengkap",
        "minLength": 1,
        "maxLength": 150,
        "x-title-en": "Full name",
    },
    "nik": {
        "type": "string",
        "title": "NIK",
        "pattern": "^[0-9]{16}$",
        "x-title-en": "National identity number (NIK)",
    },
    "phone": {
        "type": "string",
        "title": "Nomor telepon",
        "pattern": "^[0-9+ ]{8,16}$",
        "x-title-en": "Phone number",
    },
}

PRACTICE_LICENCE_PROPERTIES: dict[str, dict[str, Any]] = {
    "str_number": {
        "type": "string",
        "title": "Nomor STR",
        "minLength": 1,
        "maxLength": 40,
        "x-title-en": "Registration certificate (STR) number",
    },
    "practice_place": {
        "type": "string",
        "title": "Nama tempat praktik",
        "minLength": 1,
        "maxLength": 150,
        "x-title-en": "Place of practice",
    },
    "practice_address": {
        "type": "string",
        "title": "Alamat tempat praktik",
        "minLength": 1,
        "maxLength": 300,
        "x-title-en": "Address of the place of practice",
    },
    "licence_sequence": {
        "type": "integer",
        "title": "SIP ke-",
        "enum": [1, 2, 3],
        "x-title-en": "Licence number (1st, 2nd or 3rd)",
    },
    "independent_practice": {
        "type": "boolean",
        "title": "Praktik mandiri",
        "x-title-en": "Independent practice",
    },
}

#: What a BPJS participant-data correction may change (issue 8): value, label
#: in Indonesian, label in English. The health-facility choice (*faskes*) is
#: BPJS Kesehatan's only.
BPJS_DATA_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("nama", "Nama", "Name"),
    ("tanggal_lahir", "Tanggal lahir", "Date of birth"),
    ("nik", "NIK", "NIK"),
    ("anggota_keluarga", "Anggota keluarga", "Family member"),
    ("alamat", "Alamat", "Address"),
    ("faskes", "Fasilitas kesehatan (FKTP)", "Health facility (FKTP)"),
)


def _bpjs_properties(*, health: bool) -> dict[str, dict[str, Any]]:
    """Fields of a BPJS correction. The card number is the JKN-KIS card's 13
    digits (Kesehatan) or the KPJ's 11 (Ketenagakerjaan)."""
    items = [i for i in BPJS_DATA_ITEMS if health or i[0] != "faskes"]
    return {
        "participant_number": {
            "type": "string",
            "title": "Nomor kartu JKN-KIS" if health else "Nomor KPJ",
            "pattern": "^[0-9]{13}$" if health else "^[0-9]{11}$",
            "x-title-en": (
                "JKN-KIS card number (13 digits)"
                if health
                else "KPJ participant number (11 digits)"
            ),
        },
        "data_item": {
            "type": "string",
            "title": "Data yang diubah",
            "enum": [i[0] for i in items],
            "x-enum-titles": [i[1] for i in items],
            "x-enum-titles-en": [i[2] for i in items],
            "x-title-en": "Data item to correct",
        },
        "old_value": {
            "type": "string",
            "title": "Data lama",
            "minLength": 1,
            "maxLength": 200,
            "x-title-en": "Current (wrong) value",
        },
        "new_value": {
            "type": "string",
            "title": "Data baru",
            "minLength": 1,
            "maxLength": 200,
            "x-title-en": "Correct value",
        },
        "effective_date": {
            "type": "string",
            "format": "date",
            "title": "Tanggal berlaku",
            "x-title-en": "Effective date",
        },
    }


BPJS_HEALTH_CORRECTION_PROPERTIES = _bpjs_properties(health=True)
BPJS_EMPLOYMENT_CORRECTION_PROPERTIES = _bpjs_properties(health=False)
_BPJS_REQUIRED = ["participant_number", "data_item", "old_value", "new_value"]

#: What a building approval (PBG) form asks about the building: its address,
#: total floor area (m², the PP 16/2021 fee formula's LLt) and function (PP
#: 16/2021 art. 4; values are ``payments.choices.BuildingFunction``'s).
BUILDING_PROPERTIES: dict[str, dict[str, Any]] = {
    "building_address": {
        "type": "string",
        "title": "Alamat bangunan",
        "minLength": 1,
        "maxLength": 300,
        "x-title-en": "Address of the building",
    },
    "floor_area_m2": {
        "type": "number",
        "title": "Luas total lantai bangunan (m²)",
        "minimum": 1,
        "maximum": 1000000,
        "x-title-en": "Total floor area (m²)",
    },
    "building_function": {
        "type": "string",
        "title": "Fungsi bangunan",
        "enum": [
            "residential",
            "religious",
            "business",
            "social_cultural",
            "special",
            "mixed",
        ],
        "x-enum-titles": [
            "Hunian",
            "Keagamaan",
            "Usaha",
            "Sosial dan budaya",
            "Khusus",
            "Campuran",
        ],
        "x-enum-titles-en": [
            "Residential",
            "Religious",
            "Business",
            "Social and cultural",
            "Special",
            "Mixed",
        ],
        "x-title-en": "Building function",
    },
}

FAMILIES: dict[str, tuple[dict, list[str]]] = {
    "practice_licence": (
        PRACTICE_LICENCE_PROPERTIES,
        ["str_number", "practice_place", "practice_address", "licence_sequence"],
    ),
    "bpjs_health_correction": (BPJS_HEALTH_CORRECTION_PROPERTIES, _BPJS_REQUIRED),
    "building": (
        BUILDING_PROPERTIES,
        ["building_address", "floor_area_m2", "building_function"],
    ),
    "bpjs_employment_correction": (
        BPJS_EMPLOYMENT_CORRECTION_PROPERTIES,
        _BPJS_REQUIRED,
    ),
}

#: Service codes of the catalogue and the family of their form.
SERVICE_FAMILIES: dict[str, str] = {
    "sip-dokter": "practice_licence",
    "sip-bidan": "practice_licence",
    "sip-perawat": "practice_licence",
    "sipa": "practice_licence",
    "sip-refraksionis": "practice_licence",
    "pbg-rts-10jam": "building",
    "pbg-umum": "building",
    "bpjstk-ubah-data": "bpjs_employment_correction",
    "bpjskes-ubah-data": "bpjs_health_correction",
}


def default_schema(service_code: str) -> dict[str, Any]:
    """The default JSON Schema (draft 2020-12) for ``service_code``: identity
    fields, then the family's fields when the service has one."""
    properties = copy.deepcopy(IDENTITY_PROPERTIES)
    required = ["full_name", "nik", "phone"]
    family = SERVICE_FAMILIES.get(service_code)
    if family:
        extra, extra_required = FAMILIES[family]
        properties.update(copy.deepcopy(extra))
        required += extra_required
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
    }


def effective_schema(version) -> dict[str, Any]:
    """``version.form_schema`` if set, else ``default_schema`` of its service."""
    return version.form_schema or default_schema(version.service.code)


def revision_targets(version, language: str | None = None) -> list[tuple[str, str]]:
    """What an officer may ask the applicant to fix, as ``(key, label)``: the
    form's fields (key = field name, label = its title) then the documents
    (key = requirement code, label = the catalogue's requirement name), in
    ``language`` (default: the active one)."""
    from django.utils.translation import get_language

    english = (language or get_language() or "id").startswith("en")
    out = []
    for key, spec in effective_schema(version).get("properties", {}).items():
        label = (english and spec.get("x-title-en")) or spec.get("title") or key
        out.append((key, str(label)))
    for item in version.requirements or []:
        code = item.get("code")
        if code:
            out.append((code, version.requirement_name(code, language)))
    return out


def display_value(value: Any, spec: dict | None = None) -> str:
    """One answer as a person reads it, in the active language: booleans as
    Yes/No (*Ya*/*Tidak*), enum values by their titles, ISO dates
    (``format: date``) as ``20 November 2026``, numbers with the locale's
    decimal separator; anything else as text."""
    from django.utils import formats
    from django.utils.dateparse import parse_date
    from django.utils.translation import get_language, gettext

    spec = spec or {}
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if "enum" in spec:
        english = (get_language() or "id").startswith("en")
        titles = (english and spec.get("x-enum-titles-en")) or spec.get("x-enum-titles")
        if titles and value in spec["enum"]:
            return str(titles[spec["enum"].index(value)])
    if isinstance(value, str) and spec.get("format") == "date":
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is not None:
            return formats.date_format(day, "j F Y")
    if isinstance(value, int | float):
        return formats.number_format(value, use_l10n=True)
    return str(value)


def answers(
    version, form_data: dict, *, skip: tuple[str, ...] = (), keep_empty: bool = False
) -> list:
    """``[(label, text)]`` of ``form_data`` in the schema's order, labelled by
    the field titles and shown with ``display_value`` (active language); keys
    the schema does not know follow, as they are; ``skip`` keys and (unless
    ``keep_empty``) empty answers are left out."""
    from django.utils.translation import get_language

    english = (get_language() or "id").startswith("en")
    properties = effective_schema(version).get("properties", {})
    keys = [k for k in properties if k in form_data]
    keys += [k for k in form_data if k not in properties]
    out = []
    for key in keys:
        value = form_data[key]
        if key in skip or (value in ("", None) and not keep_empty):
            continue
        spec = properties.get(key, {})
        label = (english and spec.get("x-title-en")) or spec.get("title") or key
        out.append((str(label), display_value(value, spec)))
    return out


def _field(name: str, spec: dict, *, required: bool, english: bool) -> forms.Field:
    label = spec.get("x-title-en") if english and spec.get("x-title-en") else None
    label = label or spec.get("title") or name
    kwargs: dict[str, Any] = {"label": label, "required": required}
    if "enum" in spec:
        choices = [("", "---------")] if not required else []
        titles = spec.get("x-enum-titles-en" if english else "x-enum-titles")
        titles = titles or spec.get("x-enum-titles") or spec["enum"]
        choices += [(str(v), str(t)) for v, t in zip(spec["enum"], titles, strict=True)]
        field: forms.Field = forms.TypedChoiceField(
            choices=choices,
            coerce=int if spec.get("type") == "integer" else str,
            **kwargs,
        )
    elif spec.get("type") == "boolean":
        field = forms.BooleanField(label=label, required=False)
    elif spec.get("type") == "integer":
        field = forms.IntegerField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), **kwargs
        )
    elif spec.get("type") == "number":
        field = forms.FloatField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), **kwargs
        )
    elif spec.get("format") == "date":
        field = forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}), **kwargs
        )
    else:
        field = forms.CharField(
            max_length=spec.get("maxLength"),
            min_length=spec.get("minLength"),
            **kwargs,
        )
        if spec.get("pattern"):
            from django.core.validators import RegexValidator

            field.validators.append(
                RegexValidator(spec["pattern"], message=_("Enter a valid value."))
            )
    return field


def schema_form_class(schema: dict, *, english: bool = False, strict: bool = True):
    """A ``forms.Form`` subclass with one field per top-level property, in the
    schema's order. ``strict=False`` (saving a draft) makes every field
    optional: drafts may be incomplete."""
    required = set(schema.get("required", [])) if strict else set()
    fields = {
        name: _field(name, spec, required=name in required, english=english)
        for name, spec in schema.get("properties", {}).items()
    }
    return type("ApplicationSchemaForm", (forms.Form,), fields)


def form_to_json(cleaned: dict) -> dict:
    """Cleaned form data as JSON values (dates as ISO strings; empties left
    out)."""
    out = {}
    for key, value in cleaned.items():
        if value in (None, ""):
            continue
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out
