"""The fake gateway speaks the protocol over real HTTP on loopback: it asks
the portal what a code owes, pays it with a signed callback, and a gateway
with the wrong secret is refused."""

import urllib.error
import urllib.request

import pytest

from payments.choices import BillStatus
from payments.gateways.fake import FakeGateway
from payments.models import GatewayCallback

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake(live_server, settings):
    gateway = FakeGateway(
        portal_url=live_server.url, secret=settings.PAYMENTS_GATEWAY_SECRET
    ).start()
    yield gateway
    gateway.stop()


def test_the_fake_gateway_pays_a_bill(fake, bill):
    status, answer = fake.inquire(bill.billing_code)
    assert status == 200
    assert answer["amount"] == bill.amount
    # A forger without the secret is refused and nothing changes.
    assert fake.pay(bill.billing_code, amount=bill.amount, secret="wrong")[0] == 401
    bill.refresh_from_db()
    assert bill.status == BillStatus.OPEN
    status, answer = fake.pay(bill.billing_code)
    assert (status, answer["outcome"]) == (200, "accepted")
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert list(
        GatewayCallback.objects.order_by("pk").values_list("outcome", flat=True)
    ) == ["bad_signature", "accepted"]


def test_the_pay_page_refuses_an_unknown_code(fake, bill):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{fake.url}/pay/3671260000000000", timeout=10)  # noqa: S310
    assert error.value.code == 404
    with urllib.request.urlopen(  # noqa: S310
        f"{fake.url}/pay/{bill.billing_code}", timeout=10
    ) as page:
        assert "Bayar Rp 270.000" in page.read().decode()
