"""Routes of the SLA engine's API (issue 9)."""

from .rules import AGENCY_OFFICERS, Rule

RULES = {
    # Needs parameters (the service and start); checked in the SLA tests.
    "api:sla-api:due": Rule(elsewhere="tests/sla/test_views.py"),
    "api:sla-api:extensions": Rule(
        allow=AGENCY_OFFICERS,
        known_bug="500 FieldError: ordering by 'created' (the field is requested_at)",
    ),
    "api:sla-api:extension-decide": Rule(elsewhere="tests/sla/test_views.py"),
}
