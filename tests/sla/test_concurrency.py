"""Two beat processes at once on real PostgreSQL: each warning fires once."""

import threading

from django.db import connection, transaction
from django.utils import timezone

import pytest

from audit.context import audit_actor
from notifications.models import Notification
from sla.models import SlaTimer, SlaWarning
from sla.services import _fire, sla_sweep

from .calendars import wib
from .conftest import submit_at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(target, *args) -> list:
    barrier = threading.Barrier(2)
    results: list = []

    def run():
        try:
            barrier.wait(timeout=10)
            with audit_actor(system="system:test"):
                results.append(target(*args))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_concurrent_sweeps_send_each_warning_once(
    licence, citizen, front_office, supervisor
):
    """Eight applications reach 50 % at the same instant; two sweeps start
    together. Every timer gets one 50 % warning row and one message per
    recipient, whichever sweep took it."""
    applications = [
        submit_at(licence, citizen, wib(2026, 8, 4, 8), key=f"k{n}") for n in range(8)
    ]
    results = _race(lambda: sla_sweep(now=wib(2026, 8, 6, 15), batch_size=3))
    assert len(results) == 2
    assert sum(r.warnings for r in results) == 8
    assert SlaWarning.objects.filter(threshold=50).count() == 8
    keys = Notification.objects.filter(event="sla.warning").values_list(
        "dedupe_key", "recipient__username"
    )
    expected = {
        (f"sla:{SlaTimer.objects.get(application=a, step__isnull=True).pk}:50", user)
        for a in applications
        for user in ("fo", "spv")
    }
    assert set(keys) == expected
    # One inbox row and one message per recipient and warning, never twice.
    channels = Notification.objects.filter(event="sla.warning").values_list(
        "dedupe_key", "recipient_id", "channel"
    )
    assert len(channels) == len(set(channels))


def test_the_unique_key_lets_one_of_two_racing_inserts_win(licence, citizen):
    """Without the row lock (a retried task that read before the other
    committed), the unique (timer, threshold) key still lets one insert win."""
    application = submit_at(licence, citizen, wib(2026, 8, 4, 8))
    timer = SlaTimer.objects.get(application=application, step__isnull=True)

    def insert():
        with transaction.atomic():
            return _fire([(timer.pk, None, 75)], timezone.now())

    results = _race(insert)
    assert sorted(len(r) for r in results) == [0, 1]
    assert SlaWarning.objects.filter(timer=timer, threshold=75).count() == 1
