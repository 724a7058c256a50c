"""Survey invitations (once per application, after its outcome) and answers."""

import pytest

from notifications.models import Notification
from permits.choices import ApplicationStatus
from transparency.models import SurveyInvitation, SurveyResponse
from transparency.services import SurveyError, survey_invitations_sweep, survey_submit

from .conftest import issue, reject, submit

pytestmark = pytest.mark.django_db
ALL_THREE = {f"u{i}": 3 for i in range(1, 10)}


@pytest.fixture
def issued(submitted, front_office, verifier, approver):
    return issue(submitted, front_office, verifier, approver)


def test_issued_application_invites_exactly_once(issued, citizen):
    """The sweep invites after the outcome; a second run adds nothing and
    sends nothing (unique key per application)."""
    assert issued.status == ApplicationStatus.ISSUED
    assert survey_invitations_sweep() == 1
    assert survey_invitations_sweep() == 0
    invitation = SurveyInvitation.objects.get()
    assert invitation.application == issued
    assert invitation.citizen == citizen
    assert invitation.agency == issued.service.agency
    assert Notification.objects.filter(event="survey.invited").count() >= 1
    assert (
        Notification.objects.filter(event="survey.invited")
        .values("dedupe_key")
        .distinct()
        .count()
        == 1
    )


def test_rejection_invites_but_open_applications_do_not(licence, citizen, front_office):
    rejected, _ = submit(licence, citizen, key="r")
    submit(licence, citizen, key="o")
    reject(rejected, front_office)
    assert survey_invitations_sweep() == 1
    assert SurveyInvitation.objects.get().application == rejected


def test_outcomes_older_than_the_lookback_are_not_invited(issued, settings):
    import datetime as dt

    from django.utils import timezone

    later = timezone.now() + dt.timedelta(
        days=settings.TRANSPARENCY_SURVEY_LOOKBACK_DAYS
    )
    assert survey_invitations_sweep(now=later + dt.timedelta(days=1)) == 0


def test_answer_records_nine_scores_once(issued, citizen):
    survey_invitations_sweep()
    invitation = SurveyInvitation.objects.get()
    response = survey_submit(
        invitation=invitation, user=citizen, answers=ALL_THREE, suggestion=" Cepat "
    )
    assert response.answers == [3] * 9
    assert response.suggestion == "Cepat"
    assert (response.agency_id, response.service_id) == (
        issued.service.agency_id,
        issued.service_id,
    )
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    with pytest.raises(SurveyError, match="already"):
        survey_submit(invitation=invitation, user=citizen, answers=ALL_THREE)
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    "answers",
    [
        {**ALL_THREE, "u5": 5},
        {**ALL_THREE, "u9": 0},
        {"u1": 3},
        {**ALL_THREE, "u2": "3"},
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(issued, citizen, answers):
    survey_invitations_sweep()
    invitation = SurveyInvitation.objects.get()
    with pytest.raises(SurveyError, match="1 to 4"):
        survey_submit(invitation=invitation, user=citizen, answers=answers)
    assert not SurveyResponse.objects.exists()


def test_someone_elses_invitation_is_refused(issued, other_citizen):
    survey_invitations_sweep()
    with pytest.raises(SurveyError, match="not yours"):
        survey_submit(
            invitation=SurveyInvitation.objects.get(),
            user=other_citizen,
            answers=ALL_THREE,
        )
