"""Routes of accounts: sign-in and registration, the account pages, officer
and auditor homes, second factor, delegations."""

from .rules import AUDITOR, CITIZENS, OFFICERS, SIGNED_IN, Rule, public, signed_in

RULES = {
    "accounts:login": public(),
    "accounts:logout": public(method="post", auditor_may_post=True),
    "accounts:register": public(),
    # A step of registration: needs the pending sign-up in the session.
    "accounts:register_verify": Rule(elsewhere="tests/accounts/test_registration.py"),
    "accounts:password_reset": public(),
    "accounts:password_reset_confirm": public(),
    "accounts:home": signed_in(),
    "accounts:profile_edit": signed_in(),
    "accounts:password_change": signed_in(),
    "accounts:email_change": signed_in(),
    "accounts:phone_change": signed_in(),
    # Staff accounts are closed by admins and act for no business.
    "accounts:close": Rule(allow=CITIZENS),
    "accounts:businesses": Rule(allow=CITIZENS),
    "accounts:membership_action": Rule(elsewhere="tests/accounts/test_businesses.py"),
    "accounts:officer_home": Rule(allow=OFFICERS),
    "accounts:delegations": Rule(allow=OFFICERS),
    "accounts:delegation_revoke": Rule(elsewhere="tests/accounts/test_delegations.py"),
    "accounts:auditor_home": Rule(allow=frozenset({AUDITOR})),
    "accounts:two_factor_setup": Rule(allow=SIGNED_IN - CITIZENS),
    "accounts:two_factor_verify": signed_in(),
    "accounts:invitation": Rule(elsewhere="tests/accounts/test_staff.py"),
    "api:accounts-api:me": signed_in(),
    "api:accounts-api:my-businesses": signed_in(),
}
