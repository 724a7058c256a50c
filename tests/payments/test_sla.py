"""The bill routes payment through the applicant's payment step, so the SLA
engine pauses the clock while the bill is unpaid and resumes it on payment;
services whose SLA counts from the payment notice start their clock when the
bill is issued (catalogue ``sla.clock_start``, the 10-hour PBG)."""

import pytest

from sla.models import SegmentKind, SlaSegment, SlaTimer, TimerState
from tests.sla.conftest import city_calendar  # noqa: F401  (fixture)

from .conftest import issue, make_pbg_service, message, post_callback, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendars(city_calendar):  # noqa: F811
    """The city-wide working-time calendar the SLA engine counts on."""


def _service_timer(application):
    return SlaTimer.objects.get(application=application, step__isnull=True)


def test_the_clock_pauses_while_the_bill_is_unpaid(client, at_fee_step, assessor):
    bill = issue(at_fee_step, assessor)
    assert _service_timer(at_fee_step).state == TimerState.PAUSED
    open_pause = SlaSegment.objects.get(
        application=at_fee_step, kind=SegmentKind.PAUSED, ended_at__isnull=True
    )
    assert post_callback(client, message(bill)).status_code == 200
    open_pause.refresh_from_db()
    assert open_pause.ended_at is not None
    assert _service_timer(at_fee_step).state == TimerState.RUNNING


def test_the_clock_of_the_10_hour_pbg_starts_at_the_payment_notice(
    perkim, dpmptsp, citizen, reviewer, assessor
):
    from permits.services import application_step_complete

    service = make_pbg_service(
        perkim=perkim,
        dpmptsp=dpmptsp,
        code="pbg-10jam",
        clock_start="payment_notice_sent",
    )
    application, _ = submit(service, citizen)
    assert _service_timer(application).started_at is None
    application_step_complete(
        application=application,
        step=application.steps.get(order=1),
        user=reviewer.user,
        seen_version=application.version,
    )
    application.refresh_from_db()
    issue(application, assessor)
    timer = _service_timer(application)
    assert timer.started_at is not None
    # Issued and straight into the payment step: the clock waits for the payer.
    assert timer.state == TimerState.PAUSED
