"""The kiosk asks for a NIK, keeps only its keyed hash, and gives one active ticket
per NIK, service and day (no hoarding by touts)."""

import hashlib
import hmac

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

import pytest

from ptsp.exceptions import ApplicationError
from queueing.choices import TicketStatus
from queueing.models import QueueTicket
from queueing.nik import nik_hash, nik_normalize
from queueing.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_start,
)

from .conftest import NIK_1, NIK_2

pytestmark = pytest.mark.django_db


def test_only_a_keyed_hash_is_stored(office, group_a, permit, settings):
    settings.QUEUE_NIK_HASH_KEY = "kunci-rahasia-uji"
    ticket = ticket_issue(office=office, service=permit, nik="3671 0501 0190 0001")
    expected = hmac.new(b"kunci-rahasia-uji", NIK_1.encode(), hashlib.sha256)
    assert ticket.nik_hash == expected.hexdigest()
    row = QueueTicket.objects.filter(pk=ticket.pk).values().get()
    assert not any(NIK_1 in str(value) for value in row.values())


def test_without_a_dedicated_key_the_hash_is_derived_from_the_secret_key(settings):
    settings.QUEUE_NIK_HASH_KEY = ""
    first = nik_hash(NIK_1)
    settings.SECRET_KEY = "another-secret-" + "y" * 40
    assert nik_hash(NIK_1) != first
    assert len(first) == 64
    assert NIK_1 not in first


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "nik_shape"),
        ("36710501019000", "nik_shape"),
        ("3671O50101900001", "nik_shape"),
        ("0071050101900001", "nik_invalid"),  # no province 00
        ("3671053201900001", "nik_invalid"),  # day 32
        ("3671050113900001", "nik_invalid"),  # month 13
    ],
)
def test_malformed_niks_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as caught:
        nik_normalize(raw)
    assert caught.value.code == code


def test_a_woman_s_nik_with_day_plus_forty_is_valid():
    assert nik_normalize(NIK_2) == NIK_2


def test_second_ticket_for_the_same_service_is_refused(office, group_a, permit):
    first = ticket_issue(office=office, service=permit, nik=NIK_1)
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        ticket_issue(office=office, service=permit, nik=NIK_1)
    assert caught.value.message == (
        "This NIK already holds ticket A001 for this service today. One ticket per "
        "service and day."
    )
    assert QueueTicket.objects.get() == first  # nothing was written


def test_another_service_or_another_nik_is_fine(office, group_a, permit, permit_2):
    ticket_issue(office=office, service=permit, nik=NIK_1)
    assert ticket_issue(office=office, service=permit_2, nik=NIK_1).number == "A002"
    assert ticket_issue(office=office, service=permit, nik=NIK_2).number == "A003"


def test_after_being_served_the_nik_may_queue_again(
    office, group_a, permit, counter_1, operator
):
    ticket_issue(office=office, service=permit, nik=NIK_1)
    ticket_call_next(counter=counter_1, user=operator)
    ticket_start(counter=counter_1, user=operator)
    ticket_finish(counter=counter_1, user=operator)
    again = ticket_issue(office=office, service=permit, nik=NIK_1)
    assert again.number == "A002"


def test_the_database_refuses_a_second_active_ticket(office, group_a, permit):
    """The rule holds even for a writer that skips the service's check."""
    ticket = ticket_issue(office=office, service=permit, nik=NIK_1)
    ticket.pk = None
    ticket.uuid = None
    ticket.number = "A999"
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueTicket.objects.create(
            **{
                f.attname: getattr(ticket, f.attname)
                for f in QueueTicket._meta.concrete_fields
                if f.attname not in ("id", "uuid")
            }
        )
    ticket.status = TicketStatus.DONE  # an inactive twin is allowed
    QueueTicket.objects.create(
        **{
            f.attname: getattr(ticket, f.attname)
            for f in QueueTicket._meta.concrete_fields
            if f.attname not in ("id", "uuid")
        }
    )


def test_the_kiosk_requires_a_nik(office, group_a, permit):
    with pytest.raises(ValidationError):
        ticket_issue(office=office, service=permit)
    assert not QueueTicket.objects.exists()
