"""Read and check the seed catalogue and its overlay; build the plan to load.

Pure: nothing here touches the database. :func:`read_catalogue` validates
``agencies/data/catalogue.json`` (source facts, kept untouched) against
``schemas/catalogue.schema.json`` and ``catalogue.overrides.json`` (owned by the
project) against ``schemas/overrides.schema.json``, then checks what a schema
cannot (references between records), and returns a :class:`CataloguePlan`.
Any problem raises :class:`CatalogueError` naming the file, the record and the
field, so that ``agencies.services.catalogue_apply`` never starts on bad input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.utils.text import slugify

import jsonschema

from .choices import ServiceCategory, SlaBasis, SlaClockStart, StepKind

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_PATH = DATA_DIR / "catalogue.json"
OVERLAY_PATH = DATA_DIR / "catalogue.overrides.json"
SCHEMA_DIR = DATA_DIR / "schemas"

CATEGORIES = {
    "perizinan": ServiceCategory.PERMIT,
    "non-perizinan": ServiceCategory.NON_PERMIT,
    "data correction": ServiceCategory.DATA_CORRECTION,
    "civil registration": ServiceCategory.CIVIL_REGISTRATION,
}
WEEKDAYS = {"Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6}
KECAMATAN_CALENDARS = "@kecamatan"


class CatalogueError(Exception):
    """The catalogue or overlay is malformed. ``record`` names the entry (e.g.
    ``services[6] 'sip-dokter'``) and ``field`` the path inside it."""

    def __init__(self, message: str, *, file: str, record: str, field: str = ""):
        self.message, self.file, self.record, self.field = message, file, record, field
        where = f"{record}, field {field}" if field else record
        super().__init__(f"{file}: {where}: {message}")


@dataclass(frozen=True)
class Interval:
    weekday: int
    opens_at: dt.time
    closes_at: dt.time


@dataclass
class StepPlan:
    order: int
    name: str
    name_en: str
    kind: str
    agency: str | None
    role: str
    external_system: str
    pauses_sla: bool
    sla_value: int | None
    sla_unit: str
    parallel_group: str


@dataclass
class ServicePlan:
    code: str
    agency: str
    issuer_agency: str | None
    issuer_system: str
    issuer_text: str
    category: str
    applicant_type: str
    version: dict[str, Any]
    steps: list[StepPlan]
    digest: str = ""

    def __post_init__(self) -> None:
        payload = {"version": self.version, "steps": [asdict(s) for s in self.steps]}
        self.digest = hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


@dataclass
class CalendarPlan:
    code: str
    name: str
    name_en: str
    kind: str
    intervals: list[Interval]
    is_assumed: bool = False
    source: str = ""
    note: str = ""


@dataclass
class OfficePlan:
    code: str
    name: str
    name_en: str
    kind: str
    agency: str | None
    calendar: str
    district: str | None = None  # Kemendagri code
    address: str = ""


@dataclass
class OverridePlan:
    code: str
    name: str
    name_en: str
    date_from: dt.date
    date_to: dt.date
    calendars: list[str]
    intervals: list[Interval]
    is_closed: bool
    is_provisional: bool
    source: str
    note: str


@dataclass
class CataloguePlan:
    agencies: list[dict[str, Any]] = field(default_factory=list)
    districts: list[dict[str, Any]] = field(default_factory=list)
    calendars: list[CalendarPlan] = field(default_factory=list)
    offices: list[OfficePlan] = field(default_factory=list)
    overrides: list[OverridePlan] = field(default_factory=list)
    services: list[ServicePlan] = field(default_factory=list)
    cuti_bersama: dict[int, list[dt.date]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_catalogue(
    catalogue_path: Path = CATALOGUE_PATH, overlay_path: Path = OVERLAY_PATH
) -> CataloguePlan:
    """Validate both files and return the plan. Raises ``CatalogueError``."""
    catalogue = _read_json(catalogue_path)
    overlay = _read_json(overlay_path)
    _validate(catalogue, "catalogue.schema.json", catalogue_path.name, catalogue)
    _validate(overlay, "overrides.schema.json", overlay_path.name, overlay)
    return _Builder(catalogue, overlay, catalogue_path.name, overlay_path.name).build()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogueError("file not found", file=path.name, record="(file)") from exc
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"not valid JSON: {exc.msg}",
            file=path.name,
            record=f"line {exc.lineno}",
            field=f"column {exc.colno}",
        ) from exc


def _validate(data: Any, schema_name: str, file: str, root: Any) -> None:
    schema = json.loads((SCHEMA_DIR / schema_name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    path = list(error.absolute_path)
    record, rest = _record_name(path, root)
    raise CatalogueError(
        error.message[:300], file=file, record=record, field=_dotted(rest)
    )


def _record_name(path: list, root: Any) -> tuple[str, list]:
    """Split a JSON path into the record (``services[6] 'sip-dokter'``) and the
    field path inside it."""
    if not path:
        return "(top level)", []
    if len(path) >= 2 and isinstance(path[1], int):
        item = root[path[0]][path[1]] if isinstance(root, dict) else None
        label = ""
        if isinstance(item, dict):
            label = item.get("code") or item.get("location") or ""
        name = f"{path[0]}[{path[1]}]" + (f" '{label}'" if label else "")
        return name, path[2:]
    if len(path) >= 2:
        return f"{path[0]} '{path[1]}'", path[2:]
    return str(path[0]), []


def _dotted(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _hhmm(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _weekly(spec: dict[str, list[list[str]]]) -> list[Interval]:
    return [
        Interval(WEEKDAYS[day], _hhmm(a), _hhmm(b))
        for day, pairs in spec.items()
        for a, b in pairs
    ]


class _Builder:
    def __init__(self, catalogue: dict, overlay: dict, cat_file: str, ovl_file: str):
        self.cat, self.ovl = catalogue, overlay
        self.cat_file, self.ovl_file = cat_file, ovl_file
        self.plan = CataloguePlan()
        self.translations: dict[str, str] = overlay["translations"]
        self.used_translations: set[str] = set()

    def fail(self, message: str, record: str, field_: str = "", *, overlay=False):
        raise CatalogueError(
            message,
            file=self.ovl_file if overlay else self.cat_file,
            record=record,
            field=field_,
        )

    def en(self, text: str) -> str:
        if text in self.translations:
            self.used_translations.add(text)
            return self.translations[text]
        return ""

    def build(self) -> CataloguePlan:
        self._agencies()
        self._districts()
        self._calendars_and_offices()
        self._services()
        self._cuti_bersama()
        unused = sorted(set(self.translations) - self.used_translations)
        for text in unused:
            self.plan.warnings.append(f"translation never used: {text[:60]!r}")
        return self.plan

    # --- agencies, regions ---------------------------------------------------------
    def _agencies(self) -> None:
        seen: set[str] = set()
        extra = self.ovl["agencies"]
        for i, item in enumerate(self.cat["agencies"]):
            code = item["code"]
            if code in seen:
                self.fail("duplicate agency code", f"agencies[{i}] '{code}'", "code")
            seen.add(code)
            more = extra.get(code, {})
            self.plan.agencies.append(
                {
                    "code": code,
                    "name": item["name"],
                    "name_en": item["name_en"],
                    "short_name": more.get("short_name", ""),
                    "kind": item["kind"],
                    "role": more.get("role", ""),
                    "role_en": item["role"],
                }
            )
        for code in extra:
            if code not in seen:
                self.fail(
                    "no such agency in the catalogue",
                    f"agencies '{code}'",
                    "",
                    overlay=True,
                )
        self.agency_codes = seen

    def _districts(self) -> None:
        seen_codes: set[str] = set()
        for i, item in enumerate(self.cat["districts"]):
            record = f"districts[{i}] '{item['code']}'"
            if item["code"] in seen_codes:
                self.fail("duplicate district code", record, "code")
            seen_codes.add(item["code"])
            if item["nik_prefix"] != item["code"].replace(".", ""):
                self.fail(
                    "NIK prefix does not match the Kemendagri code",
                    record,
                    "nik_prefix",
                )
            villages = []
            names: set[str] = set()
            for j, village in enumerate(item["kelurahan_detail"]):
                if not village["code"].startswith(item["code"] + "."):
                    self.fail(
                        "village code is outside its district",
                        record,
                        f"kelurahan_detail[{j}].code",
                    )
                if village["name"] in names:
                    self.fail(
                        "duplicate village name", record, f"kelurahan_detail[{j}].name"
                    )
                names.add(village["name"])
                villages.append({"code": village["code"], "name": village["name"]})
            self.plan.districts.append(
                {
                    "code": item["code"],
                    "bps_code": item["bps_code"],
                    "nik_prefix": item["nik_prefix"],
                    "name": item["name"],
                    "source": item.get("source", ""),
                    "villages": villages,
                }
            )

    # --- calendars and offices ---------------------------------------------------
    def _service_hours(self, location: str, record: str, field_: str) -> list[dict]:
        found = [h for h in self.cat["service_hours"] if h["location"] == location]
        if not found:
            self.fail(
                f"no service_hours entry with location {location!r}",
                record,
                field_,
                overlay=True,
            )
        for entry in found:
            if entry["open"] >= entry["close"]:
                self.fail(
                    "closes before it opens", f"service_hours '{location}'", "close"
                )
        return found

    def _intervals_from_hours(self, entries: list[dict]) -> list[Interval]:
        return [
            Interval(WEEKDAYS[day], _hhmm(e["open"]), _hhmm(e["close"]))
            for e in entries
            for day in e["days"]
        ]

    def _check_intervals(self, intervals: list[Interval], record: str, field_: str):
        by_day: dict[int, list[Interval]] = {}
        for interval in intervals:
            if interval.closes_at <= interval.opens_at:
                self.fail(
                    "an interval closes before it opens", record, field_, overlay=True
                )
            by_day.setdefault(interval.weekday, []).append(interval)
        for day in by_day.values():
            day.sort(key=lambda i: i.opens_at)
            for a, b in itertools.pairwise(day):
                if b.opens_at < a.closes_at:
                    self.fail("intervals overlap", record, field_, overlay=True)

    def _calendars_and_offices(self) -> None:
        calendars: dict[str, CalendarPlan] = {}
        for i, item in enumerate(self.ovl["calendars"]):
            record = f"calendars[{i}] '{item['code']}'"
            if item["code"] in calendars:
                self.fail("duplicate calendar code", record, "code", overlay=True)
            source = item.get("source", "")
            if "weekly" in item:
                intervals = _weekly(item["weekly"])
                field_ = "weekly"
            else:
                entries = []
                for location in item["from_service_hours"]:
                    entries += self._service_hours(
                        location, record, "from_service_hours"
                    )
                intervals = self._intervals_from_hours(entries)
                source = source or "; ".join(e.get("source", "") for e in entries)
                field_ = "from_service_hours"
            self._check_intervals(intervals, record, field_)
            calendars[item["code"]] = CalendarPlan(
                code=item["code"],
                name=item["name"],
                name_en=item["name_en"],
                kind=item["kind"],
                intervals=intervals,
                is_assumed=item.get("is_assumed", False),
                source=source,
                note=item.get("note", ""),
            )

        offices: list[OfficePlan] = []
        for i, item in enumerate(self.ovl["offices"]["fixed"]):
            record = f"offices.fixed[{i}] '{item['code']}'"
            calendar = calendars.get(item["calendar"])
            if calendar is None or calendar.kind != "service_hours":
                self.fail(
                    "not a service-hours calendar", record, "calendar", overlay=True
                )
            agency = item.get("agency")
            if agency is not None and agency not in self.agency_codes:
                self.fail("no such agency", record, "agency", overlay=True)
            offices.append(
                OfficePlan(
                    code=item["code"],
                    name=item["name"],
                    name_en=item["name_en"],
                    kind=item["kind"],
                    agency=agency,
                    calendar=item["calendar"],
                    address=item.get("address", ""),
                )
            )
        per = self.ovl["offices"]["per_kecamatan"]
        kecamatan_calendars = []
        weekly = _weekly(per["weekly"])
        self._check_intervals(weekly, "offices.per_kecamatan", "weekly")
        for district in self.plan.districts:
            slug = slugify(district["name"])
            fill = {"slug": slug, "district": district["name"]}
            code = per["calendar_code"].format(**fill)
            calendars[code] = CalendarPlan(
                code=code,
                name=per["calendar_name"].format(**fill),
                name_en=per["calendar_name_en"].format(**fill),
                kind="service_hours",
                intervals=weekly,
                is_assumed=per.get("is_assumed", False),
                source=per.get("source", ""),
            )
            kecamatan_calendars.append(code)
            offices.append(
                OfficePlan(
                    code=per["code"].format(**fill),
                    name=per["name"].format(**fill),
                    name_en=per["name_en"].format(**fill),
                    kind="kecamatan",
                    agency=None,
                    calendar=code,
                    district=district["code"],
                )
            )
        seen_offices: set[str] = set()
        for office in offices:
            if office.code in seen_offices:
                self.fail(
                    "duplicate office code",
                    f"offices '{office.code}'",
                    "code",
                    overlay=True,
                )
            seen_offices.add(office.code)

        seen_overrides: set[str] = set()
        for i, item in enumerate(self.ovl["calendar_overrides"]):
            record = f"calendar_overrides[{i}] '{item['code']}'"
            if item["code"] in seen_overrides:
                self.fail("duplicate override code", record, "code", overlay=True)
            seen_overrides.add(item["code"])
            date_from = dt.date.fromisoformat(item["date_from"])
            date_to = dt.date.fromisoformat(item["date_to"])
            if date_to < date_from:
                self.fail("ends before it starts", record, "date_to", overlay=True)
            codes: list[str] = []
            for code in item["calendars"]:
                if code == KECAMATAN_CALENDARS:
                    codes += kecamatan_calendars
                elif code in calendars:
                    codes.append(code)
                else:
                    self.fail(
                        f"no such calendar {code!r}", record, "calendars", overlay=True
                    )
            source = item.get("source", "")
            if "from_service_hours" in item:
                entries = self._service_hours(
                    item["from_service_hours"], record, "from_service_hours"
                )
                intervals = self._intervals_from_hours(entries)
                source = source or "; ".join(e.get("source", "") for e in entries)
                note = item.get("note") or entries[0].get("note", "")
            else:
                intervals = _weekly(item.get("weekly", {}))
                note = item.get("note", "")
            self._check_intervals(intervals, record, "weekly")
            if not intervals and not item.get("is_closed"):
                self.fail(
                    "an override needs hours or is_closed",
                    record,
                    "weekly",
                    overlay=True,
                )
            self.plan.overrides.append(
                OverridePlan(
                    code=item["code"],
                    name=item["name"],
                    name_en=item["name_en"],
                    date_from=date_from,
                    date_to=date_to,
                    calendars=codes,
                    intervals=intervals,
                    is_closed=item.get("is_closed", False),
                    is_provisional=item.get("is_provisional", False),
                    source=source,
                    note=note,
                )
            )
        self.plan.calendars = list(calendars.values())
        self.plan.offices = offices

    # --- services -----------------------------------------------------------------
    def _services(self) -> None:
        seen: set[str] = set()
        overlay_services = self.ovl["services"]
        for i, item in enumerate(self.cat["services"]):
            code = item["code"]
            record = f"services[{i}] '{code}'"
            if code in seen:
                self.fail("duplicate service code", record, "code")
            seen.add(code)
            if item["agency"] not in self.agency_codes:
                self.fail(f"no such agency {item['agency']!r}", record, "agency")
            issuer = self.ovl["issuers"].get(item["issuer"])
            if issuer is None:
                self.fail(
                    f"issuer {item['issuer']!r} is not mapped in the overlay's issuers",
                    record,
                    "issuer",
                )
            if (
                issuer["agency"] is not None
                and issuer["agency"] not in self.agency_codes
            ):
                self.fail(
                    f"no such agency {issuer['agency']!r}",
                    f"issuers '{item['issuer']}'",
                    "agency",
                    overlay=True,
                )
            if item["fee"]["type"] == "free" and item["fee"]["amount"]:
                self.fail("a free service cannot have an amount", record, "fee.amount")
            steps = self._steps(item, record, overlay_services.get(code, {}))
            self.plan.services.append(
                ServicePlan(
                    code=code,
                    agency=item["agency"],
                    issuer_agency=issuer["agency"],
                    issuer_system=issuer.get("system", ""),
                    issuer_text=item["issuer"],
                    category=CATEGORIES[item["category"]],
                    applicant_type=item["applicant_type"],
                    version=self._version_fields(item),
                    steps=steps,
                )
            )
        for code in overlay_services:
            if code not in seen:
                self.fail(
                    "no such service in the catalogue",
                    f"services '{code}'",
                    overlay=True,
                )

    def _version_fields(self, item: dict) -> dict[str, Any]:
        sla, fee, validity = item["sla"], item["fee"], item["validity"]
        requirements, codes = [], set()
        for name in item["requirements"]:
            base = slugify(re.sub(r"[/&+]", " ", name))[:56] or "syarat"
            code, n = base, 2
            while code in codes:
                code, n = f"{base}-{n}", n + 1
            codes.add(code)
            requirements.append({"code": code, "name": name, "name_en": self.en(name)})
        note = sla.get("note", "")
        if sla.get("effective") == "first_day_of_next_month":
            note = (note + " " if note else "") + (
                "Perubahan berlaku tanggal 1 bulan berikutnya."
            )
        return {
            "name": item["name"],
            "name_en": item["name_en"],
            "requirements": requirements,
            "eligibility": item.get("eligibility", {}),
            "sla_value": sla["value"],
            "sla_unit": sla["unit"],
            "sla_basis": sla["basis"],
            "sla_provisional": sla["basis"] == SlaBasis.ASSUMED,
            "sla_clock_start": sla.get("clock_start", SlaClockStart.SUBMITTED),
            "sla_note": note,
            "sla_note_en": self.en(note),
            "fee_type": fee["type"],
            "fee_amount": fee["amount"],
            "fee_rule": fee["rule"],
            "fee_rule_en": self.en(fee["rule"]),
            "fee_exemptions": [
                {"text": t, "text_en": self.en(t)} for t in fee.get("exemptions", [])
            ],
            "validity_text": validity["text"],
            "validity_text_en": self.en(validity["text"]),
            "validity_months": validity["months"],
            "legal_basis": [
                {"text": t, "text_en": self.en(t)} for t in item["legal_basis"]
            ],
            "sources": item["sources"],
            "confidence": item["confidence"],
            "notes": item.get("notes", ""),
            "notes_en": self.en(item.get("notes", "")),
            "volume_note": item.get("volume_note", ""),
        }

    def _steps(self, item: dict, record: str, service_overlay: dict) -> list[StepPlan]:
        source_steps = item["steps"]
        layout = service_overlay.get("steps") or [
            {"from": i} for i in range(len(source_steps))
        ]
        used: set[int] = set()
        steps: list[StepPlan] = []
        ovl_record = f"services '{item['code']}'"
        for position, entry in enumerate(layout):
            field_ = f"steps[{position}]"
            if "from" in entry:
                index = entry["from"]
                if index >= len(source_steps):
                    self.fail(
                        f"no source step {index}",
                        ovl_record,
                        field_ + ".from",
                        overlay=True,
                    )
                if index in used:
                    self.fail(
                        f"source step {index} used twice",
                        ovl_record,
                        field_ + ".from",
                        overlay=True,
                    )
                used.add(index)
                src = source_steps[index]
                spec = {
                    **self._defaults_for(src, record, f"steps[{index}]"),
                    **self.ovl["steps_by_name"].get(src["name"], {}),
                    **{k: v for k, v in entry.items() if k != "from"},
                }
                spec.setdefault("name", src["name"])
                if "sla" not in spec:
                    spec["sla"] = src["sla_hours_or_days"]
                where, where_field, in_overlay = record, f"steps[{index}]", False
            else:
                spec = dict(entry)
                spec.setdefault("sla", None)
                where, where_field, in_overlay = ovl_record, field_, True
            steps.append(self._step(spec, position, where, where_field, in_overlay))
        missing = sorted(set(range(len(source_steps))) - used)
        if missing:
            self.fail(
                f"source steps {missing} are left out of the overlay's steps",
                ovl_record,
                "steps",
                overlay=True,
            )
        self._check_parallel(steps, ovl_record)
        return steps

    def _defaults_for(self, src: dict, record: str, field_: str) -> dict:
        agency = src["agency"]
        if agency is None:
            return {"kind": StepKind.APPLICANT, "agency": None}
        if agency not in self.agency_codes:
            if agency not in self.ovl["external_systems"]:
                self.fail(
                    f"no such agency or external system {agency!r}",
                    record,
                    f"{field_}.agency",
                )
            # A national system named in place of an agency (e.g. "OSS").
            return {
                "kind": StepKind.EXTERNAL_SYSTEM,
                "agency": None,
                "external_system": agency,
            }
        return {"kind": StepKind.AGENCY, "agency": agency}

    def _step(self, spec: dict, order: int, record: str, field_: str, in_overlay: bool):
        kind = spec["kind"]
        agency = spec.get("agency")
        role = spec.get("role", "")
        name_en = spec.get("name_en") or self.en(spec["name"])
        if spec.get("name_en") and spec["name"] in self.translations:
            self.used_translations.add(spec["name"])

        def fail(message: str, sub: str) -> None:
            self.fail(message, record, f"{field_}.{sub}", overlay=in_overlay)

        if agency is not None and agency not in self.agency_codes:
            fail(f"no such agency {agency!r}", "agency")
        if kind == StepKind.AGENCY:
            if agency is None:
                fail("an agency step needs an agency", "agency")
            if not role:
                fail(
                    "no role for this agency step: add it to the overlay's "
                    "steps_by_name or to this service's steps",
                    "role",
                )
        elif kind == StepKind.APPLICANT:
            if agency is not None or role:
                fail("an applicant step has no agency and no role", "kind")
        elif not spec.get("external_system"):
            fail("an external-system step names its system", "external_system")
        sla = spec.get("sla")
        return StepPlan(
            order=order,
            name=spec["name"],
            name_en=name_en,
            kind=kind,
            agency=agency,
            role=role if kind != StepKind.APPLICANT else "",
            external_system=spec.get("external_system", ""),
            pauses_sla=spec.get("pauses_sla", kind == StepKind.APPLICANT),
            sla_value=sla["value"] if sla else None,
            sla_unit=sla["unit"] if sla else "",
            parallel_group=spec.get("parallel_group", ""),
        )

    def _check_parallel(self, steps: list[StepPlan], record: str) -> None:
        closed: set[str] = set()
        previous = ""
        for step in steps:
            group = step.parallel_group
            if group != previous and previous:
                closed.add(previous)
            if group and group in closed:
                self.fail(
                    f"parallel group {group!r} is not contiguous",
                    record,
                    f"steps[{step.order}].parallel_group",
                    overlay=True,
                )
            previous = group
        counts: dict[str, int] = {}
        for step in steps:
            if step.parallel_group:
                counts[step.parallel_group] = counts.get(step.parallel_group, 0) + 1
        for group, n in counts.items():
            if n < 2:
                self.fail(
                    f"parallel group {group!r} has a single step",
                    record,
                    "steps",
                    overlay=True,
                )

    def _cuti_bersama(self) -> None:
        dates = self.cat.get("calendar", {}).get("cuti_bersama", {})
        self.plan.cuti_bersama = {
            int(year): [dt.date.fromisoformat(d) for d in days]
            for year, days in dates.items()
        }
