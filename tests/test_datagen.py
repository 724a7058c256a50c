"""``manage.py generate_data``: realistic audit data, deterministic for a seed,
loaded in bulk, sealed into a chain that verifies, and never in production."""

import datetime as dt
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from accounts.models import User
from agencies.catalogue_loader import read_catalogue
from agencies.services import catalogue_apply
from audit.context import audit_actor
from audit.models import AuditCheckpoint, AuditEntry, AuditSeal
from audit.verification import audit_verify
from ptsp.datagen import GENERATORS, register
from ptsp.datagen.audit import _Person, _plan, _Simulation
from ptsp.datagen.context import GenerationContext, WeightedServices, annual_volume
from ptsp.datagen.loading import _copy_text

UNTIL = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("note", "volume"),
    [
        ("2025: 1.641 pemohon PBG (semua jenis); PBG hunian terbit 1.059.", 1641),
        ("2021 (s.d. Sept): ±1.400 permohonan NIB via OSS, 484 terbit.", 1400),
        ("2015: rata-rata >100 permohonan akta kelahiran per hari.", 100 * 245),
        ("2015: 70\u2013110 layanan pindah/hari di Dukcapil Kota Tangerang.", 90 * 245),
        ("", None),
        ("Tidak ada data.", None),
    ],
)
def test_annual_volume_reads_the_catalogue_notes(note, volume):
    assert annual_volume(note) == volume


def test_copy_text_escapes_what_copy_would_misread():
    assert _copy_text(None) == "\\N"
    assert _copy_text(True) == "t"
    assert _copy_text("a\tb\nc\\d") == "a\\tb\\nc\\\\d"
    assert _copy_text({"k": "line\nbreak"}) == '{"k":"line\\\\nbreak"}'
    assert _copy_text(dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)) == (
        "2026-01-02T03:04:00+00:00"
    )


def test_a_generator_name_is_registered_once():
    with pytest.raises(ValueError, match="already exists"):
        register("audit", help="again")(lambda context, count: "")
    assert "audit" in GENERATORS


def _load_catalogue() -> None:
    with audit_actor(system="system:test_load"):
        catalogue_apply(plan=read_catalogue(), reason="test", holiday_years=(2026,))


@pytest.mark.django_db
def test_services_are_weighted_by_their_published_volume():
    _load_catalogue()
    weights = WeightedServices.from_catalogue()
    by_code = {s.code: s for s in weights.services}
    # Birth certificates (>100 a day) outweigh PBG (1,641 a year) 15 to 1;
    # a service without a figure weighs the median of the published ones.
    assert weights.share(by_code["akta-kelahiran"]) == pytest.approx(
        15 * weights.share(by_code["pbg-rts-10jam"]), rel=0.01
    )
    assert weights.share(by_code["ktp-el"]) == weights.share(by_code["pbg-rts-10jam"])


def _generate(seed: int, count: int = 400) -> str:
    out = StringIO()
    call_command(
        "generate_data",
        audit=count,
        seed=seed,
        until=UNTIL,
        no_progress=True,
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_generated_audit_data_is_realistic_sealed_and_verifies():
    _load_catalogue()
    catalogue_last = AuditEntry.objects.order_by("-pk").first().pk
    summary = _generate(seed=7)
    entries = AuditEntry.objects.filter(pk__gt=catalogue_last)
    assert "400 audit entries" in summary
    assert entries.count() == 400
    first, last = entries.order_by("id").first(), entries.order_by("id").last()
    # Spread over the two years up to --until (the last stories may run on).
    assert first.occurred_at == dt.datetime(2024, 11, 1, tzinfo=dt.UTC)
    assert last.occurred_at - first.occurred_at > dt.timedelta(days=365)
    times = list(entries.order_by("id").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    actions = set(entries.values_list("action", flat=True))
    assert {"application.create", "document.upload", "application.submit"} <= actions
    assert {"step.start", "step.complete"} <= actions
    officers = entries.filter(actor_role="officer")
    assert officers.exists()
    # Officers act in office hours, Mon-Fri 08:00-15:00 WIB (01:00-08:00 UTC).
    for at in officers.values_list("occurred_at", flat=True):
        assert at.weekday() < 5
        assert 1 <= at.hour < 8
    assert all(e.actor is not None for e in officers.select_related("actor"))
    # Sealed but for the recent tail, checkpointed daily, and the chain verifies.
    assert AuditSeal.objects.count() == AuditEntry.objects.count() - 40
    assert AuditCheckpoint.objects.count() > 10
    result = audit_verify()
    assert result.ok, result.problems
    assert result.unsealed == 40


def _simulated(seed: int, count: int = 300) -> list[tuple]:
    until = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    context = GenerationContext(
        seed=seed, since=until - dt.timedelta(days=730), until=until, progress=False
    )
    citizen = _Person(1, "user:1", "", "", "100.64.0.1")
    officers = {}
    for service in context.weights.services:
        for code, _role in (*_plan(service).agency_steps, (service.agency.code, "")):
            officers[code] = [_Person(2, "user:2", "officer", code, "10.36.71.2")]
    people = {"citizen": [citizen], "officer": officers, "admin": [citizen]}
    return list(_Simulation(context, count, people).rows())


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_entries_and_another_seed_others():
    _load_catalogue()
    first = _simulated(seed=3)
    assert len(first) == 300
    assert _simulated(seed=3) == first
    assert _simulated(seed=4) != first


@pytest.mark.django_db(transaction=True)
def test_a_second_run_with_the_same_seed_is_refused_and_adds_nothing():
    _load_catalogue()
    _generate(seed=3, count=100)
    entries, users = AuditEntry.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match="already holds data of seed 3"):
        _generate(seed=3, count=100)
    assert (AuditEntry.objects.count(), User.objects.count()) == (entries, users)


@pytest.mark.django_db
def test_refused_where_generated_data_could_reach_a_real_trail(settings):
    settings.DATA_GENERATOR_ENABLED = False
    with pytest.raises(CommandError, match="disabled"):
        _generate(seed=1)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_nothing_to_generate_is_an_error():
    with pytest.raises(CommandError, match="--audit N"):
        call_command("generate_data", no_progress=True)
