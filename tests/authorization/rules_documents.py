"""Routes of issued documents and their public verification (issue 14)."""

from .rules import AGENCY_OFFICERS, AUDITORS, Rule, signed_in

_views = "tests/documents/test_views.py"
_api = "tests/documents/test_api.py"

RULES = {
    "documents:register": Rule(allow=AGENCY_OFFICERS | AUDITORS),
    "documents:verify": Rule(elsewhere=_views),
    "documents:detail": Rule(elsewhere=_views),
    "documents:download": Rule(elsewhere=_views),
    "documents:revoke": Rule(elsewhere=_views),
    "documents:renew": Rule(elsewhere=_views),
    "api:documents-api:issued-document-list": signed_in(),
    "api:documents-api:issued-document-detail": Rule(elsewhere=_api),
    "api:documents-api:issued-document-download": Rule(elsewhere=_api),
    "api:documents-api:issued-document-revoke": Rule(elsewhere=_api),
    "api:documents-api:verify": Rule(elsewhere=_api),
}
