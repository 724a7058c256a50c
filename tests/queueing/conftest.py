"""Fixtures of the queue tests: one office open every day, all day (so tests do
not depend on the hour they run), a permits group ``A`` with two services, a
civil-registration group ``B``, two counters and their operators."""

import datetime as dt

import pytest
import time_machine

from .factories import (
    OfficeFactory,
    ServiceFactory,
    ServiceGroupFactory,
    make_counter,
    make_operator,
)

#: NIKs of the right shape (Kota Tangerang, born 1 Jan 1990 / 12 Mar 1985 (f)).
NIK_1 = "3671050101900001"
NIK_2 = "3671055203850002"
NIK_3 = "3171010202920003"


#: Monday 4 May 2026, 10:00 WIB.
MONDAY_10_WIB = dt.datetime(2026, 5, 4, 3, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday_morning():
    """Every queue test starts on a Monday morning with the clock running, so that
    no run falls in the minute 23:59 WIB when the test office is closed."""
    with time_machine.travel(MONDAY_10_WIB, tick=True):
        yield


@pytest.fixture
def office(db):
    return OfficeFactory(name="MPP Uji")


@pytest.fixture
def permit(db):
    return ServiceFactory(code="pbg-uji", name="Persetujuan Bangunan Gedung")


@pytest.fixture
def permit_2(db):
    return ServiceFactory(code="slf-uji", name="Sertifikat Laik Fungsi")


@pytest.fixture
def civil(db):
    return ServiceFactory(code="ktp-uji", name="KTP-el", category="civil_registration")


@pytest.fixture
def group_a(office, permit, permit_2):
    return ServiceGroupFactory(
        office=office, prefix="A", services=[permit, permit_2], booking_capacity=2
    )


@pytest.fixture
def group_b(office, civil):
    return ServiceGroupFactory(
        office=office,
        prefix="B",
        name="Dukcapil",
        name_en="Civil registry",
        services=[civil],
    )


@pytest.fixture
def counter_1(group_a, group_b):
    return make_counter(group_a, group_b, number=1)


@pytest.fixture
def counter_2(group_a):
    return make_counter(group_a, number=2)


@pytest.fixture
def operator(django_user_model, counter_1):
    return make_operator(django_user_model, counter_1, "petugas1")


@pytest.fixture
def operator_2(django_user_model, counter_2):
    return make_operator(django_user_model, counter_2, "petugas2")


@pytest.fixture
def elderly(db):
    """Seeded by a data migration; created again when a transactional test
    flushed the table."""
    from queueing.models import PriorityGroup

    return PriorityGroup.objects.get_or_create(
        code="lansia", defaults={"name": "Lanjut usia", "sort_order": 1}
    )[0]


@pytest.fixture
def pregnant(db):
    from queueing.models import PriorityGroup

    return PriorityGroup.objects.get_or_create(
        code="ibu-hamil", defaults={"name": "Ibu hamil", "sort_order": 3}
    )[0]
