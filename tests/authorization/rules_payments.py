"""Routes of fees, bills, payments and refunds (issue 13). Lists are scoped
per user (checked in the payments tests); gateway calls are signed."""

from .rules import OFFICE_STAFF, SIGNED_IN, Rule, public, signed_in

_views = "tests/payments/test_views.py"
_api = "tests/payments/test_api.py"
_office_bug = "500 for an officer without an agency (office staff): agency is None"

RULES = {
    "payments:bill_detail": Rule(elsewhere=_views),
    "payments:bill_reissue": Rule(elsewhere=_views),
    "payments:confirm": Rule(elsewhere=_views),
    "payments:evidence": Rule(elsewhere=_views),
    "payments:bill_issue": Rule(elsewhere=_views),
    "api:payments-api:gateway-callback": Rule(
        elsewhere="tests/payments/test_callbacks.py"
    ),
    "api:payments-api:gateway-inquiry": Rule(
        elsewhere="tests/payments/test_callbacks.py"
    ),
    "api:payments-api:fee-rule-list": public(),
    "api:payments-api:fee-rule-detail": Rule(elsewhere=_api),
    "api:payments-api:bill-list": signed_in(known_bug=_office_bug),
    "api:payments-api:bill-detail": Rule(elsewhere=_api),
    "api:payments-api:bill-confirm": Rule(elsewhere=_api),
    "api:payments-api:bill-reissue": Rule(elsewhere=_api),
    "api:payments-api:refund-list": signed_in(known_bug=_office_bug),
    "api:payments-api:refund-detail": Rule(elsewhere=_api),
    "api:payments-api:refund-approve": Rule(elsewhere=_api),
    "api:payments-api:refund-reject": Rule(elsewhere=_api),
    "api:payments-api:payment-callback-list": Rule(
        allow=SIGNED_IN - {OFFICE_STAFF}, known_bug=_office_bug
    ),
    "api:payments-api:payment-callback-detail": Rule(elsewhere=_api),
}
