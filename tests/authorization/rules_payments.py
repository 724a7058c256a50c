"""Routes of fees and payments. Lists answer everyone signed in with their own
scope (an empty list for those who see nothing); object routes need a bill,
checked per actor in ``tests/payments``; the gateway endpoints refuse anyone
without the HMAC signature (401), whoever they are."""

from .rules import Rule, public, signed_in

API = "api:payments-api:"
VIEWS = "tests/payments/test_views.py"
API_TESTS = "tests/payments/test_api.py"

RULES = {
    f"{API}fee-rule-list": public(),
    f"{API}fee-rule-detail": public(elsewhere=API_TESTS),
    f"{API}bill-list": signed_in(),
    f"{API}bill-detail": Rule(elsewhere=API_TESTS),
    f"{API}bill-reissue": Rule(elsewhere=API_TESTS),
    f"{API}bill-confirm": Rule(elsewhere=API_TESTS),
    f"{API}refund-list": signed_in(),
    f"{API}refund-detail": Rule(elsewhere=API_TESTS),
    f"{API}refund-approve": Rule(elsewhere=API_TESTS),
    f"{API}refund-reject": Rule(elsewhere=API_TESTS),
    f"{API}payment-callback-list": signed_in(),
    f"{API}payment-callback-detail": Rule(elsewhere=API_TESTS),
    f"{API}gateway-callback": Rule(method="post"),
    f"{API}gateway-inquiry": Rule(method="post"),
    "payments:bill_detail": Rule(elsewhere=VIEWS),
    "payments:bill_reissue": Rule(elsewhere=VIEWS),
    "payments:confirm": Rule(elsewhere=VIEWS),
    "payments:evidence": Rule(elsewhere=VIEWS),
    "payments:bill_issue": Rule(elsewhere=VIEWS),
    # Refunds: the list answers everyone signed in with their scope (as the
    # API's list); request and decision need a paid bill: tests/payments.
    "payments:refund_list": signed_in(),
    "payments:refund_request": Rule(elsewhere=VIEWS),
    "payments:refund_detail": Rule(elsewhere=VIEWS),
    "payments:refund_decide": Rule(elsewhere=VIEWS),
}
