"""Manual confirmation: the evidence file and the database row commit or fail
together. A failure after the file is saved (the payment row refused) or at
the commit itself (a deferred check) leaves no file in storage and the bill
unpaid. The failures are real PostgreSQL errors raised by a trigger the test
installs, not mocks."""

import datetime as dt

from django.db import DatabaseError, connection
from django.utils import timezone

import pytest

from payments.choices import BillStatus
from payments.models import Payment
from payments.services import payment_confirm_manual

from .conftest import PDF

pytestmark = pytest.mark.postgres

FAIL = """
CREATE FUNCTION test_refuse_payment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
"""


def _refuse_payments(kind: str, when: str, timing: str = "") -> None:
    """Install ``CREATE <kind> test_refuse <when> ON payment <timing>``, a
    trigger that raises on every new payment row."""
    with connection.cursor() as cursor:
        cursor.execute(FAIL)
        cursor.execute(
            f"CREATE {kind} test_refuse {when} ON {Payment._meta.db_table} "
            f"{timing} FOR EACH ROW EXECUTE FUNCTION test_refuse_payment()"
        )


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _confirm(bill, cashier):
    return payment_confirm_manual(
        bill=bill,
        user=cashier.user,
        amount=bill.amount,
        paid_at=timezone.now() - dt.timedelta(minutes=5),
        reference="TELLER-77",
        evidence=PDF,
    )


@pytest.mark.django_db
def test_a_failure_after_the_file_is_saved_deletes_the_file(
    bill, cashier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _refuse_payments("TRIGGER", "BEFORE INSERT")
    with pytest.raises(DatabaseError, match="refused by the test"):
        _confirm(bill, cashier)
    assert _files(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_a_failure_at_commit_deletes_the_file(bill, cashier, settings, tmp_path):
    """A deferred constraint trigger fires at COMMIT, after every statement
    of the service succeeded: the commit fails and the file goes."""
    settings.MEDIA_ROOT = tmp_path
    _refuse_payments(
        "CONSTRAINT TRIGGER", "AFTER INSERT", "DEFERRABLE INITIALLY DEFERRED"
    )
    try:
        with pytest.raises(DatabaseError, match="refused by the test"):
            _confirm(bill, cashier)
        assert _files(tmp_path) == []
        assert not Payment.objects.exists()
        bill.refresh_from_db()
        assert bill.status != BillStatus.PAID
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER test_refuse ON {Payment._meta.db_table}")
            cursor.execute("DROP FUNCTION test_refuse_payment()")


@pytest.mark.django_db
def test_a_confirmed_payment_keeps_its_file(bill, cashier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    payment = _confirm(bill, cashier)
    assert [p.name for p in _files(tmp_path)] == [payment.evidence.name.split("/")[-1]]
