"""``load_catalogue``: counts, idempotency, atomicity and the overlay's effect."""

import copy
import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from agencies.catalogue_loader import (
    CATALOGUE_PATH,
    OVERLAY_PATH,
    CatalogueError,
    read_catalogue,
)
from agencies.choices import (
    VersionOrigin,
)
from agencies.models import (
    Agency,
    Calendar,
    CalendarOverride,
    District,
    Holiday,
    Office,
    Service,
    ServiceVersion,
    Village,
)
from agencies.services import _service_version_create, catalogue_apply
from agencies.services.catalogue import step_content
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_load_creates_the_whole_catalogue(catalogue):
    """11 agencies, 46 services with one version each, 13 kecamatan with 104
    kelurahan, the MPP and 13 kecamatan offices, calendars and holidays, each
    creation audited as the loader."""
    assert Agency.objects.count() == 11
    assert Service.objects.count() == 46
    assert ServiceVersion.objects.count() == 46
    assert not Service.objects.filter(current_version__isnull=True).exists()
    assert District.objects.count() == 13
    assert Village.objects.count() == 104
    assert Office.objects.filter(kind="mpp").count() == 1
    assert Office.objects.filter(kind="kecamatan").count() == 13
    assert Calendar.objects.filter(code="kerja-kota", kind="working_time").exists()
    assert CalendarOverride.objects.count() == 3
    assert Holiday.objects.filter(date__year=2027).count() > 15
    cipondoh = District.objects.get(code="36.71.05")
    assert (cipondoh.name, cipondoh.nik_prefix) == ("Cipondoh", "367105")
    assert catalogue.counts["services"] == {"total": 46, "created": 46}
    # Every created row has an audit entry naming the system actor and why.
    entries = AuditEntry.objects.filter(actor_label="system:test_load")
    assert entries.filter(action="service_version.create").count() == 46
    assert entries.filter(action="agency.create").count() == 11
    assert entries.filter(action="holiday.create").exists()
    assert set(entries.values_list("reason", flat=True)) == {"test load"}


def test_second_load_changes_nothing(catalogue, catalogue_plan):
    """Running the loader again writes no row and no audit entry."""
    audit_before = AuditEntry.objects.count()
    report = catalogue_apply(
        plan=catalogue_plan, reason="again", holiday_years=(2026, 2027)
    )
    assert report.changed() == 0
    assert AuditEntry.objects.count() == audit_before
    assert ServiceVersion.objects.count() == 46


def test_command_reports_progress_and_is_idempotent():
    """The command prints one line per kind, then says nothing changed."""
    out = StringIO()
    call_command("load_catalogue", "--no-holidays", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "agencies: 11 (11 created)" in text
    assert "services: 46 (46 created)" in text
    assert "villages: 104 (104 created)" in text
    out = StringIO()
    call_command("load_catalogue", "--no-holidays", stdout=out, stderr=StringIO())
    assert "nothing changed" in out.getvalue()


def _write(tmp_path, catalogue=None, overlay=None):
    cat = json.loads(CATALOGUE_PATH.read_text())
    ovl = json.loads(OVERLAY_PATH.read_text())
    if catalogue:
        catalogue(cat)
    if overlay:
        overlay(ovl)
    cat_path, ovl_path = tmp_path / "catalogue.json", tmp_path / "overrides.json"
    cat_path.write_text(json.dumps(cat, ensure_ascii=False))
    ovl_path.write_text(json.dumps(ovl, ensure_ascii=False))
    return cat_path, ovl_path


def _set(path, value):
    def mutate(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _sip_dokter_index():
    data = json.loads(CATALOGUE_PATH.read_text())
    return next(i for i, s in enumerate(data["services"]) if s["code"] == "sip-dokter")


@pytest.mark.parametrize(
    ("catalogue", "overlay", "file", "record", "field"),
    [
        pytest.param(
            _set(["services", _sip_dokter_index(), "sla", "basis"], "rumor"),
            None,
            "catalogue.json",
            "services[6] 'sip-dokter'",
            "sla.basis",
            id="bad-sla-basis",
        ),
        pytest.param(
            _set(["services", _sip_dokter_index(), "steps", 1, "agency"], "DINKESS"),
            None,
            "catalogue.json",
            "services[6] 'sip-dokter'",
            "steps[1].agency",
            id="unknown-step-agency",
        ),
        pytest.param(
            _set(["districts", 4, "nik_prefix"], "367199"),
            None,
            "catalogue.json",
            "districts[4] '36.71.05'",
            "nik_prefix",
            id="nik-prefix-mismatch",
        ),
        pytest.param(
            _set(["services", _sip_dokter_index(), "fee", "amount"], 5000),
            None,
            "catalogue.json",
            "services[6] 'sip-dokter'",
            "fee.amount",
            id="free-with-amount",
        ),
        pytest.param(
            None,
            _set(
                [
                    "steps_by_name",
                    "Verifikasi & rekomendasi teknis Dinas Kesehatan "
                    "(visitasi bila praktik mandiri)",
                ],
                {"name_en": "no role"},
            ),
            "catalogue.json",
            "services[6] 'sip-dokter'",
            "steps[1].role",
            id="agency-step-without-role",
        ),
        pytest.param(
            None,
            _set(["services", "pbg-umum", "steps", 2, "parallel_group"], "lain"),
            "overrides.json",
            "services 'pbg-umum'",
            "steps",
            id="parallel-group-of-one",
        ),
        pytest.param(
            None,
            _set(["offices", "fixed", 0, "calendar"], "kerja-kota"),
            "overrides.json",
            "offices.fixed[0] 'mpp'",
            "calendar",
            id="office-on-working-time-calendar",
        ),
        pytest.param(
            None,
            _set(["calendars", 0, "kind"], "opening_hours"),
            "overrides.json",
            "calendars[0] 'kerja-kota'",
            "kind",
            id="bad-calendar-kind",
        ),
    ],
)
def test_malformed_input_loads_nothing_and_names_record_and_field(
    tmp_path, catalogue, overlay, file, record, field
):
    """The error names the file, the record and the field; no row is written."""
    cat_path, ovl_path = _write(tmp_path, catalogue, overlay)
    with pytest.raises(CatalogueError) as info:
        read_catalogue(cat_path, ovl_path)
    assert (info.value.file, info.value.record, info.value.field) == (
        file,
        record,
        field,
    )
    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command(
            "load_catalogue",
            "--catalogue",
            str(cat_path),
            "--overrides",
            str(ovl_path),
            stdout=StringIO(),
        )
    assert not Agency.objects.exists()
    assert not AuditEntry.objects.exists()


def test_invalid_json_names_line_and_column(tmp_path):
    cat_path, ovl_path = _write(tmp_path)
    ovl_path.write_text('{"format": 1,\n  "agencies": {,}')
    with pytest.raises(CatalogueError) as info:
        read_catalogue(cat_path, ovl_path)
    assert info.value.record == "line 2"
    assert info.value.field.startswith("column ")


def test_failure_while_writing_rolls_everything_back(catalogue_plan):
    """A rule the database enforces, broken by the last service, undoes the
    agencies, districts and services written before it."""
    plan = copy.deepcopy(catalogue_plan)
    plan.services[-1].version["sla_value"] = 0
    with pytest.raises(CatalogueError) as info:
        catalogue_apply(plan=plan, reason="broken", holiday_years=())
    assert info.value.record == f"services '{plan.services[-1].code}'"
    assert not Agency.objects.exists()
    assert not Service.objects.exists()
    assert not AuditEntry.objects.exists()


def test_catalogue_change_creates_a_new_version(catalogue, catalogue_plan):
    """When a catalogue entry changes, the service gets version 2; version 1 is
    kept unchanged for the applications that use it."""
    plan = copy.deepcopy(catalogue_plan)
    entry = next(s for s in plan.services if s.code == "kk")
    entry.version["sla_value"] = 3
    entry.__post_init__()  # new digest
    v1 = Service.objects.get(code="kk").current_version
    report = catalogue_apply(plan=plan, reason="kk now 3 days", holiday_years=())
    assert report.counts["versions"].get("created") == 1
    service = Service.objects.get(code="kk")
    assert (service.current_version.number, service.current_version.sla_value) == (2, 3)
    v1.refresh_from_db()
    assert (v1.number, v1.sla_value) == (1, 5)


def test_admin_edited_service_is_not_overwritten(catalogue, catalogue_plan):
    """A version made in the admin stays current when the catalogue changes; the
    loader says so instead."""
    service = Service.objects.get(code="kk")
    _service_version_create(
        service=service,
        fields={"sla_value": 2},
        steps=step_content(service.current_version),
        origin=VersionOrigin.ADMIN,
        reason="Kepala Dinas decided 2 days",
    )
    plan = copy.deepcopy(catalogue_plan)
    entry = next(s for s in plan.services if s.code == "kk")
    entry.version["sla_value"] = 3
    entry.__post_init__()
    report = catalogue_apply(plan=plan, reason="reload", holiday_years=())
    assert Service.objects.get(code="kk").current_version.sla_value == 2
    assert any("kk" in notice for notice in report.notices)
