"""Routes of transparency: the figures are public; surveys and complaints are
the citizen's own or their agency's (objects checked in
``tests/transparency/test_permissions.py``, which builds them)."""

from .rules import (
    ADMIN,
    AGENCY_OFFICERS,
    AUDITOR,
    SUPERVISOR_A,
    Rule,
    public,
    signed_in,
)

_elsewhere = "tests/transparency/test_permissions.py"

RULES = {
    "transparency:dashboard": public(),
    "transparency:csv": public(),
    "transparency:ikm_csv": public(),
    "transparency:agency": public(kwargs=lambda w: {"code": "DPMPTSP"}),
    "transparency:survey_list": signed_in(),
    "transparency:survey": Rule(elsewhere=_elsewhere),
    "transparency:complaint_list": signed_in(),
    "transparency:complaint_new": signed_in(),
    # Officers with an agency; complaints to other agencies are not listed.
    "transparency:complaint_inbox": Rule(allow=AGENCY_OFFICERS),
    "transparency:complaint_detail": Rule(elsewhere=_elsewhere),
    "transparency:complaint_answer": Rule(elsewhere=_elsewhere),
    "transparency:complaint_forward": Rule(elsewhere=_elsewhere),
    "api:transparency-api:dashboard": public(),
    "api:transparency-api:month-list": public(),
    # DPMPTSP's supervisor (not its front office), auditors and admins.
    "api:transparency-api:workload": Rule(
        allow=frozenset({SUPERVISOR_A, AUDITOR, ADMIN}), query="agency=DPMPTSP"
    ),
    "api:transparency-api:survey-invitation-list": signed_in(),
    "api:transparency-api:survey-invitation-detail": Rule(elsewhere=_elsewhere),
    "api:transparency-api:survey-invitation-answer": Rule(elsewhere=_elsewhere),
    "api:transparency-api:complaint-list": signed_in(),
    "api:transparency-api:complaint-detail": Rule(elsewhere=_elsewhere),
    "api:transparency-api:complaint-answer": Rule(elsewhere=_elsewhere),
    "api:transparency-api:complaint-forward": Rule(elsewhere=_elsewhere),
}
