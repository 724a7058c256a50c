"""Routes of the privacy notice and each person's own data (access log,
export)."""

from .rules import public, signed_in

RULES = {
    "privacy:notice": public(),
    "privacy:accesses": signed_in(),
    "privacy:export": signed_in(),
}
