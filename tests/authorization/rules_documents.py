"""Routes of issued documents (pages and API). The world's submitted
application has its receipt (pending: not rendered, so downloads are checked
in tests/documents/test_permissions.py with a rendered permit). Someone
else's document is a 404 (``hidden``)."""

from .rules import (
    ADMIN,
    AGENCY_A,
    AGENCY_OFFICERS,
    AUDITOR,
    CITIZEN_A,
    SIGNED_IN,
    Rule,
    public,
    signed_in,
)

SEES_DOCUMENT = frozenset({CITIZEN_A, ADMIN, AUDITOR}) | AGENCY_A
HIDDEN = SIGNED_IN - SEES_DOCUMENT
_doc = lambda w: {"uuid": w.application.issued_documents.get().uuid}  # noqa: E731
_token = lambda w: {  # noqa: E731
    "token": w.application.issued_documents.get().verification_token
}
_reason = lambda w: {"reason": "Uji otorisasi."}  # noqa: E731
ELSEWHERE = "tests/documents/test_permissions.py"

RULES = {
    "documents:verify": public(kwargs=_token),
    "documents:register": Rule(allow=AGENCY_OFFICERS | {AUDITOR, ADMIN}),
    "documents:detail": Rule(allow=SEES_DOCUMENT, hidden=HIDDEN, kwargs=_doc),
    "documents:download": Rule(elsewhere=ELSEWHERE),
    # Only an admin or the issuer's signatory may revoke; an admin reaches the
    # service, which refuses a receipt with a message.
    "documents:revoke": Rule(
        allow=frozenset({ADMIN}),
        hidden=HIDDEN,
        method="post",
        kwargs=_doc,
        data=_reason,
    ),
    # The holder reaches the service, which says a receipt is not renewable.
    "documents:renew": Rule(
        allow=frozenset({CITIZEN_A}), hidden=HIDDEN, method="post", kwargs=_doc
    ),
    "api:documents-api:issued-document-list": signed_in(),
    "api:documents-api:issued-document-detail": Rule(
        allow=SEES_DOCUMENT, hidden=HIDDEN, kwargs=_doc
    ),
    "api:documents-api:issued-document-download": Rule(elsewhere=ELSEWHERE),
    "api:documents-api:issued-document-revoke": Rule(
        allow=frozenset({ADMIN}),
        hidden=HIDDEN,
        method="post",
        kwargs=_doc,
        data=_reason,
    ),
    "api:documents-api:verify": public(kwargs=_token),
}
