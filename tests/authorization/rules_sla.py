"""Routes of the SLA engine: "when would it be due" is public like the
catalogue; extensions are for officers of an agency (another agency's
application is a 404, checked in ``tests/sla/test_views.py``)."""

from .rules import AGENCY_OFFICERS, Rule, public

RULES = {
    "api:sla-api:due": public(query="service=sip-dokter"),
    "api:sla-api:extensions": Rule(allow=AGENCY_OFFICERS),
    "api:sla-api:extension-decide": Rule(
        allow=AGENCY_OFFICERS, method="post", elsewhere="tests/sla/test_views.py"
    ),
}
