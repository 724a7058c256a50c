"""Routes of the auditor workspace: auditors and admins read the whole trail;
everyone else is refused (403). "Verify now" is the one POST auditors may make
(``auditor.permissions.AUDITOR_WRITE_ALLOWED``)."""

from .rules import ADMIN, AUDITOR, OFFICER_A, Rule

READERS = frozenset({AUDITOR, ADMIN})

RULES = {
    "auditor:workspace": Rule(allow=READERS),
    "auditor:export": Rule(allow=READERS, query="action=application."),
    "auditor:integrity": Rule(allow=READERS),
    "auditor:verify": Rule(allow=READERS, method="post"),
    "auditor:application_timeline": Rule(
        allow=READERS, kwargs=lambda w: {"reference": w.application.reference}
    ),
    "auditor:officer_timeline": Rule(
        allow=READERS, kwargs=lambda w: {"username": w.users[OFFICER_A].username}
    ),
    "auditor:object_timeline": Rule(
        allow=READERS,
        kwargs=lambda w: {"object_type": "agencies.service", "object_id": w.service.pk},
    ),
    "api:auditor-api:entries": Rule(allow=READERS),
    # GET: the integrity status; POST (verify now) in tests/auditor/test_api.py.
    "api:auditor-api:verify": Rule(allow=READERS),
}
