"""Who may do what with fees and payments (rules for ``accounts.permissions``).

Manual confirmation and refunds belong to the regional revenue and finance
agencies (Bapenda, BPKD; ``selectors.REVENUE_AGENCIES``); a refund is decided
by a signatory or supervisor of those agencies who did not request it (four
eyes). Source: issue 13.
"""

from accounts.choices import SIGNATORY_ROLES, OfficerRole
from accounts.permissions import is_admin, officer_of, rule, user_can

from .selectors import is_revenue_officer

DECIDERS = frozenset({*SIGNATORY_ROLES, OfficerRole.SUPERVISOR})


@rule("payment.confirm")
def _confirm(user, bill) -> bool:
    return is_revenue_officer(user)


@rule("refund.request")
def _refund_request(user, payment) -> bool:
    return is_revenue_officer(user)


@rule("refund.decide")
def _refund_decide(user, refund) -> bool:
    officer = officer_of(user)
    return (
        is_revenue_officer(user)
        and officer.role in DECIDERS
        and (refund is None or refund.requested_by_id != user.pk)
    )


@rule("bill.reissue")
def _reissue(user, bill) -> bool:
    return bill.application.applicant_id == user.pk or user_can(
        user, "application.view", bill.application
    )


@rule("fee_rule.confirm")
def _confirm_rule(user, rule_obj) -> bool:
    return is_admin(user)
