"""The board's spoken Indonesian numbers, and the demo queue of ``make run``."""

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from queueing.models import Counter, ServiceGroup
from queueing.speech import number_words, spoken_call

from .factories import OfficeFactory, ServiceFactory


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (7, "tujuh"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (20, "dua puluh"),
        (45, "empat puluh lima"),
        (100, "seratus"),
        (101, "seratus satu"),
        (219, "dua ratus sembilan belas"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1234, "seribu dua ratus tiga puluh empat"),
        (21000, "dua puluh satu ribu"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


def test_spoken_call_spells_letters_and_drops_leading_zeros():
    assert (
        spoken_call("B012", "", 3)
        == "Nomor antrean B dua belas, silakan ke loket tiga."
    )
    assert spoken_call("A1000", "Loket 10 Dinkes", 10) == (
        "Nomor antrean A seribu, silakan ke Loket sepuluh Dinkes."
    )


@pytest.mark.django_db
def test_demo_queue_is_idempotent_and_development_only(settings):
    OfficeFactory(code="mpp")
    ServiceFactory(code="ktp-demo", agency__code="DUKCAPIL")
    ServiceFactory(code="izin-demo")
    settings.DEBUG = True
    call_command("seed_queue_demo", stdout=None)
    call_command("seed_queue_demo", stdout=None)
    assert list(
        ServiceGroup.objects.filter(office__code="mpp")
        .values_list("prefix", flat=True)
        .order_by("prefix")
    ) == ["A", "B", "C"]
    assert ServiceGroup.objects.get(prefix="B").services.get().code == "ktp-demo"
    assert ServiceGroup.objects.get(prefix="A").services.get().code == "izin-demo"
    assert Counter.objects.filter(office__code="mpp").count() == 6
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_queue_demo")


@pytest.mark.django_db
def test_demo_service_point_is_open_on_a_weekend_evening(settings):
    """``seed_queue_demo`` adds a clearly named demo office open every day
    00:00-24:00 WIB, so the walk-in queue can be tried at any time."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from agencies.models import Office
    from queueing.opening import ensure_issuing_open

    OfficeFactory(code="mpp")
    ServiceFactory(code="izin-demo")
    settings.DEBUG = True
    call_command("seed_queue_demo", stdout=None)
    call_command("seed_queue_demo", stdout=None)
    office = Office.objects.get(code="demo-24jam")
    assert "DEMO" in office.name
    wib = ZoneInfo("Asia/Jakarta")
    for at in (
        dt.datetime(2026, 11, 28, 21, 30, tzinfo=wib),  # Saturday evening
        dt.datetime(2026, 11, 29, 0, 5, tzinfo=wib),  # Sunday just past midnight
        dt.datetime(2026, 11, 29, 23, 55, tzinfo=wib),  # Sunday before midnight
    ):
        ensure_issuing_open(office, at)  # raises QueueClosed when closed
    counter = Counter.objects.get(office=office)
    assert counter.service_groups.get().services.get().code == "izin-demo"
