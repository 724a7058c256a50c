"""Routes of the transparency dashboard, satisfaction surveys and complaints
(issue 16): the dashboard is public; surveys and complaints are per person;
the complaint inbox is for agency officers."""

from .rules import AGENCY_OFFICERS, Rule, public, signed_in

_api = "tests/transparency/test_api.py"
_complaints = "tests/transparency/test_complaints.py"

RULES = {
    "transparency:dashboard": public(),
    "transparency:csv": public(),
    "transparency:agency": public(kwargs=lambda w: {"code": "DPMPTSP"}),
    "transparency:survey_list": signed_in(),
    "transparency:survey": Rule(elsewhere="tests/transparency/test_survey.py"),
    "transparency:complaint_list": signed_in(),
    "transparency:complaint_new": signed_in(),
    "transparency:complaint_inbox": Rule(allow=AGENCY_OFFICERS),
    "transparency:complaint_detail": Rule(elsewhere=_complaints),
    "transparency:complaint_answer": Rule(elsewhere=_complaints),
    "transparency:complaint_forward": Rule(elsewhere=_complaints),
    "api:transparency-api:dashboard": public(),
    "api:transparency-api:month-list": public(),
    "api:transparency-api:survey-invitation-list": signed_in(),
    "api:transparency-api:survey-invitation-detail": Rule(elsewhere=_api),
    "api:transparency-api:survey-invitation-answer": Rule(elsewhere=_api),
    "api:transparency-api:complaint-list": signed_in(),
    "api:transparency-api:complaint-detail": Rule(elsewhere=_api),
    "api:transparency-api:complaint-answer": Rule(elsewhere=_api),
    "api:transparency-api:complaint-forward": Rule(elsewhere=_api),
}
