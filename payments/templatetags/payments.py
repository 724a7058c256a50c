"""Template tags of payments: the published fee rule on the service page and
the bills on the application page."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from payments.choices import BillStatus, BuildingFunction
from payments.selectors import (
    bills_of_application,
    fee_rule_for,
    fee_step_for,
    payment_step_waiting,
    unbilled_payment_step_for,
)

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """``270000`` → ``Rp 270.000`` (grouping of the active language)."""
    if value in (None, ""):
        return ""
    return f"Rp {intcomma(int(value))}"


@register.filter
def decimal(value) -> str:
    """``"0.00500"`` or ``Decimal("0.70")`` → ``0,005`` / ``0,7`` on Indonesian
    pages (``0.005`` / ``0.7`` on English ones): the active language's decimal
    separator, trailing zeros dropped; non-numbers are returned as they are."""
    from decimal import Decimal, InvalidOperation

    from django.utils import formats

    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    number = (
        number.quantize(1) if number == number.to_integral() else number.normalize()
    )
    return formats.number_format(number, use_l10n=True)


@register.inclusion_tag("payments/_fee_rule.html")
def fee_rule_panel(service) -> dict:
    rule = fee_rule_for(service)
    labels = dict(BuildingFunction.choices)
    indices = (
        [(labels.get(k, k), v) for k, v in sorted(rule.integrated_indices.items())]
        if rule.kind == "pbg"
        else []
    )
    return {"rule": rule, "indices": indices}


@register.inclusion_tag("payments/_application_payments.html", takes_context=True)
def application_payments(context, application) -> dict:
    user = context["request"].user
    bills = list(bills_of_application(application))
    return {
        "request": context["request"],
        "application": application,
        "bills": bills,
        "open_bill": next((b for b in bills if b.status == BillStatus.OPEN), None),
        "can_issue": fee_step_for(application, user) is not None
        or unbilled_payment_step_for(application, user) is not None,
    }


@register.simple_tag
def payment_pending(application) -> bool:
    """Whether the application waits for the applicant's payment (not for a
    revision): the page offers "pay", not "fix"."""
    return payment_step_waiting(application) is not None
