"""Write a checked catalogue plan to the database, idempotently and atomically."""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from agencies.catalogue_loader import (
    CalendarPlan,
    CatalogueError,
    CataloguePlan,
    Interval,
)
from agencies.choices import HolidayCategory, VersionOrigin
from agencies.models import (
    Agency,
    Calendar,
    CalendarOverride,
    District,
    Holiday,
    Office,
    OverrideInterval,
    Service,
    Village,
    WeeklyInterval,
)
from ptsp.pagecache import stamp_bump_on_commit

from .catalogue import _service_update, _service_version_create
from .holidays import _holidays_import
from .records import record_change

Progress = Callable[[str], None]


@dataclass
class LoadReport:
    """Counts per kind: ``{"agencies": {"total": 11, "created": 11, ...}}``."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def bump(self, kind: str, what: str, n: int = 1) -> None:
        bucket = self.counts.setdefault(kind, {"total": 0})
        bucket[what] = bucket.get(what, 0) + n

    def changed(self) -> int:
        return sum(
            n for c in self.counts.values() for k, n in c.items() if k != "total"
        )


def _upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    reason: str,
    report: LoadReport,
    kind: str,
    update: bool = True,
    existing: dict | None = None,
) -> models.Model:
    """Create or update one row and audit it. ``values`` use attribute names
    (``agency_id``). With ``update=False`` an existing row is left as it is (the
    admin owns it after the first load)."""
    report.bump(kind, "total")
    if existing is not None:
        obj = existing.get(next(iter(lookup.values())))
    else:
        obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        record_change(obj=obj, before=None, reason=reason)
        report.bump(kind, "created")
        return obj
    if not update:
        return obj
    if all(getattr(obj, k) == v for k, v in values.items()):
        return obj
    before = model.objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    record_change(obj=obj, before=before, reason=reason)
    report.bump(kind, "updated")
    return obj


@transaction.atomic(durable=True)
def catalogue_apply(
    *,
    plan: CataloguePlan,
    reason: str,
    holiday_years: Iterable[int] = (),
    progress: Progress | None = None,
) -> LoadReport:
    """Load ``plan`` (from ``agencies.catalogue_loader.read_catalogue``) in one
    transaction and return what changed. Running it twice changes nothing.

    Agencies, districts and villages follow the file. Calendars, offices and
    overrides are created when missing and then belong to the admin. A service
    gets a new version when its catalogue content (digest) differs from the
    current version; a current version made in the admin is kept and reported.
    Holidays of ``holiday_years`` are imported from the ``holidays`` package.
    """
    say = progress or (lambda _message: None)
    report = LoadReport()
    # Bulk writes below send no signal (agencies.pagecache): the cached public
    # pages are made stale after the commit here.
    stamp_bump_on_commit("catalogue")

    agencies: dict[str, Agency] = {}
    for item in plan.agencies:
        values = {k: v for k, v in item.items() if k != "code"}
        agencies[item["code"]] = _upsert(
            Agency,
            {"code": item["code"]},
            values,
            reason=reason,
            report=report,
            kind="agencies",
        )
    say(_line("agencies", report))

    districts: dict[str, District] = {}
    villages = {v.code: v for v in Village.objects.all()}
    for item in plan.districts:
        values = {k: item[k] for k in ("bps_code", "nik_prefix", "name", "source")}
        district = _upsert(
            District,
            {"code": item["code"]},
            values,
            reason=reason,
            report=report,
            kind="districts",
        )
        districts[item["code"]] = district
        for village in item["villages"]:
            _upsert(
                Village,
                {"code": village["code"]},
                {"district_id": district.pk, "name": village["name"]},
                reason=reason,
                report=report,
                kind="villages",
                existing=villages,
            )
    say(_line("districts", report) + "; " + _line("villages", report))

    calendars: dict[str, Calendar] = {}
    for calendar_plan in plan.calendars:
        calendars[calendar_plan.code] = _calendar(calendar_plan, reason, report)
    for office in plan.offices:
        _upsert(
            Office,
            {"code": office.code},
            {
                "name": office.name,
                "name_en": office.name_en,
                "kind": office.kind,
                "agency_id": agencies[office.agency].pk if office.agency else None,
                "district_id": districts[office.district].pk
                if office.district
                else None,
                "address": office.address,
                "service_calendar_id": calendars[office.calendar].pk,
            },
            reason=reason,
            report=report,
            kind="offices",
            update=False,
        )
    for override_plan in plan.overrides:
        _override(override_plan, calendars, reason, report)
    say(
        _line("calendars", report)
        + "; "
        + _line("offices", report)
        + "; "
        + _line("overrides", report)
    )

    for service_plan in plan.services:
        _service(service_plan, agencies, reason, report)
    say(_line("services", report) + "; " + _line("versions", report))

    years = sorted(set(holiday_years))
    if years:
        result = _holidays_import(years=years, reason=reason)
        report.counts["holidays"] = {
            "total": Holiday.objects.filter(date__year__in=years).count(),
            "created": result.created,
            "updated": result.updated,
            "removed": result.removed,
        }
        _compare_cuti_bersama(plan, years, report)
        say(_line("holidays", report) + f" ({', '.join(map(str, years))})")
    for notice in report.notices:
        say(f"  note: {notice}")
    return report


def _line(kind: str, report: LoadReport) -> str:
    counts = report.counts.get(kind, {"total": 0})
    extra = ", ".join(f"{n} {k}" for k, n in counts.items() if k != "total" and n)
    return f"{kind}: {counts['total']}" + (f" ({extra})" if extra else "")


def _intervals_of(rows: Iterable) -> set[tuple[int, Any, Any]]:
    return {(r.weekday, r.opens_at, r.closes_at) for r in rows}


def _calendar(plan: CalendarPlan, reason: str, report: LoadReport) -> Calendar:
    existed = Calendar.objects.filter(code=plan.code).exists()
    calendar = _upsert(
        Calendar,
        {"code": plan.code},
        {
            "name": plan.name,
            "name_en": plan.name_en,
            "kind": plan.kind,
            "is_assumed": plan.is_assumed,
            "source": plan.source,
            "note": plan.note,
        },
        reason=reason,
        report=report,
        kind="calendars",
        update=False,
    )
    if not existed:
        WeeklyInterval.objects.bulk_create(
            WeeklyInterval(calendar=calendar, **asdict(i)) for i in plan.intervals
        )
        record_change(
            obj=calendar,
            before=calendar,
            reason=reason,
            extra={"weekly_intervals": [[], _intervals_json(plan.intervals)]},
        )
    return calendar


def _intervals_json(intervals: Iterable[Interval]) -> list[str]:
    return [f"{i.weekday} {i.opens_at:%H:%M}-{i.closes_at:%H:%M}" for i in intervals]


def _override(plan, calendars: dict[str, Calendar], reason: str, report: LoadReport):
    if CalendarOverride.objects.filter(code=plan.code).exists():
        report.bump("overrides", "total")
        return
    override = _upsert(
        CalendarOverride,
        {"code": plan.code},
        {
            "name": plan.name,
            "name_en": plan.name_en,
            "date_from": plan.date_from,
            "date_to": plan.date_to,
            "is_closed": plan.is_closed,
            "is_provisional": plan.is_provisional,
            "source": plan.source,
            "note": plan.note,
        },
        reason=reason,
        report=report,
        kind="overrides",
    )
    override.calendars.set([calendars[code] for code in plan.calendars])
    OverrideInterval.objects.bulk_create(
        OverrideInterval(override=override, **asdict(i)) for i in plan.intervals
    )
    record_change(
        obj=override,
        before=override,
        reason=reason,
        extra={
            "calendars": [[], sorted(plan.calendars)],
            "intervals": [[], _intervals_json(plan.intervals)],
        },
    )


def _service(plan, agencies: dict[str, Agency], reason: str, report: LoadReport):
    report.bump("services", "total")
    identity = {
        "agency": agencies[plan.agency],
        "issuer_agency": agencies[plan.issuer_agency] if plan.issuer_agency else None,
        "issuer_system": plan.issuer_system,
        "issuer_text": plan.issuer_text,
        "category": plan.category,
        "applicant_type": plan.applicant_type,
    }
    service = (
        Service.objects.select_related("current_version").filter(code=plan.code).first()
    )
    if service is None:
        service = _service_update(
            service=Service(code=plan.code), data=identity, reason=reason, before=None
        )
        report.bump("services", "created")
    elif any(getattr(service, k) != v for k, v in identity.items()):
        before = Service.objects.get(pk=service.pk)
        _service_update(service=service, data=identity, reason=reason, before=before)
        report.bump("services", "updated")

    current = service.current_version
    report.bump("versions", "total")
    if current is not None and current.origin == VersionOrigin.ADMIN:
        last_loaded = (
            service.versions.filter(origin=VersionOrigin.CATALOGUE)
            .order_by("-number")
            .values_list("source_digest", flat=True)
            .first()
        )
        if last_loaded != plan.digest:
            report.notices.append(
                f"{plan.code}: the catalogue changed, but version {current.number} "
                "was edited in the admin and stays current."
            )
        return
    if current is not None and current.source_digest == plan.digest:
        return
    steps = []
    for step in plan.steps:
        data = asdict(step)
        data.pop("order")
        data["agency"] = agencies[step.agency] if step.agency else None
        steps.append(data)
    try:
        _service_version_create(
            service=service,
            fields=dict(plan.version),
            steps=steps,
            origin=VersionOrigin.CATALOGUE,
            reason=reason,
            source_digest=plan.digest,
        )
    except ValidationError as exc:
        # Rolls the whole load back; name the record for the operator.
        fields = getattr(exc, "error_dict", {"": None})
        raise CatalogueError(
            "; ".join(exc.messages),
            file="catalogue.json",
            record=f"services '{plan.code}'",
            field=", ".join(f for f in fields if f and f != "__all__"),
        ) from exc
    report.bump("versions", "created")


def _compare_cuti_bersama(plan: CataloguePlan, years: list[int], report: LoadReport):
    """Note where the catalogue's cuti bersama list and the table disagree."""
    for year in years:
        listed = set(plan.cuti_bersama.get(year, []))
        if not listed:
            continue
        table = set(
            Holiday.objects.filter(
                date__year=year, category=HolidayCategory.GOVERNMENT
            ).values_list("date", flat=True)
        )
        if listed != table:
            missing = ", ".join(str(d) for d in sorted(listed - table)) or "-"
            extra = ", ".join(str(d) for d in sorted(table - listed)) or "-"
            report.notices.append(
                f"cuti bersama {year} differs from the catalogue: "
                f"missing {missing}; not in the catalogue {extra}."
            )
