"""A finished queue visit of a ticket linked to a citizen's account invites
them once; tickets without an account or not finished do not."""

import pytest

from queueing.choices import TicketChannel
from queueing.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_start,
)
from tests.queueing.conftest import *  # noqa: F403  (office, counters, operator)
from tests.queueing.conftest import NIK_1, NIK_2
from transparency.choices import SurveySource
from transparency.models import SurveyInvitation
from transparency.services import survey_invitations_sweep

pytestmark = pytest.mark.django_db


def test_finished_visit_invites_once(
    office, permit, counter_1, operator, django_user_model
):
    citizen = django_user_model.objects.create_user(username="pengunjung")
    mine = ticket_issue(
        office=office,
        service=permit,
        nik=NIK_1,
        channel=TicketChannel.RECEPTION,
        citizen=citizen,
    )
    anonymous = ticket_issue(office=office, service=permit, nik=NIK_2)
    for _ in range(2):
        ticket_call_next(counter=counter_1, user=operator)
        ticket_start(counter=counter_1, user=operator)
        ticket_finish(counter=counter_1, user=operator)
    assert survey_invitations_sweep() == 1
    assert survey_invitations_sweep() == 0
    invitation = SurveyInvitation.objects.get()
    assert invitation.source == SurveySource.QUEUE_VISIT
    assert invitation.ticket == mine
    assert invitation.citizen == citizen
    assert not SurveyInvitation.objects.filter(ticket=anonymous).exists()
