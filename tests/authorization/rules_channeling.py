"""Routes of assisted submission at the counters and BPJS corrections
(issue 8): counter staff of an office; object pages in the channeling tests."""

from .rules import AUDITORS, OFFICE_STAFF, Rule, public

_views = "tests/channeling/test_views.py"
_api = "tests/channeling/test_api.py"
COUNTER = frozenset({OFFICE_STAFF})

RULES = {
    "channeling:list": Rule(allow=COUNTER),
    "channeling:start": Rule(allow=COUNTER),
    "channeling:report": Rule(allow=COUNTER | AUDITORS),
    "channeling:claim": public(),
    "channeling:detail": Rule(elsewhere=_views),
    "channeling:resend": Rule(elsewhere=_views),
    "channeling:confirm": Rule(elsewhere=_views),
    "channeling:cancel": Rule(elsewhere=_views),
    "channeling:bpjs": Rule(elsewhere="tests/channeling/test_bpjs.py"),
    "channeling:bpjs_action": Rule(elsewhere="tests/channeling/test_bpjs.py"),
    "api:channeling-api:claim": Rule(elsewhere=_api),
    "api:channeling-api:assisted-list": Rule(allow=COUNTER),
    "api:channeling-api:assisted-detail": Rule(elsewhere=_api),
    "api:channeling-api:assisted-answers": Rule(elsewhere=_api),
    "api:channeling-api:assisted-cancel": Rule(elsewhere=_api),
    "api:channeling-api:assisted-confirm": Rule(elsewhere=_api),
    "api:channeling-api:assisted-documents": Rule(elsewhere=_api),
    "api:channeling-api:assisted-send-code": Rule(elsewhere=_api),
    "api:channeling-api:bpjs-correction-complete": Rule(elsewhere=_api),
    "api:channeling-api:bpjs-correction-handover": Rule(elsewhere=_api),
    "api:channeling-api:bpjs-correction-handovers": Rule(elsewhere=_api),
    "api:channeling-api:bpjs-correction-reject": Rule(elsewhere=_api),
}
