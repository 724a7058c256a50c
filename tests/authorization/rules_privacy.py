"""Routes of the privacy notice and each person's own data (access log,
export)."""

from .rules import public, signed_in

RULES = {
    "privacy:notice": public(),
    "privacy:accesses": signed_in(),
    "privacy:export": signed_in(),
    "api:privacy-api:accesses": signed_in(),
    # Everyone's own data, auditors included (auditor.permissions allows it).
    "api:privacy-api:export": signed_in(method="post", auditor_may_post=True),
}
