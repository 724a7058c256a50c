"""Routes of the audit trail: verification for auditors and admins; the
signed checkpoints are public (anyone may check the seal)."""

from .rules import ADMIN, Rule, public

RULES = {
    # Staff, or a user granted audit.verify_chain; the auditor role does not
    # hold it yet (issue 15 decides).
    "api:audit-api:verify": Rule(allow=frozenset({ADMIN})),
    "api:audit-api:checkpoints": public(),
    "api:audit-api:checkpoint-latest": public(elsewhere="tests/audit/test_api.py"),
}
