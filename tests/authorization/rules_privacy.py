"""Routes of personal data: the notice is public; each signed-in person sees
and downloads only their own data (the views take no object id)."""

from .rules import public, signed_in

RULES = {
    "privacy:notice": public(),
    "privacy:accesses": signed_in(),
    "privacy:export": signed_in(),
    "api:privacy-api:accesses": signed_in(),
    # Everyone signed in, auditors included (their own data: an allowed POST).
    "api:privacy-api:export": signed_in(method="post"),
}
