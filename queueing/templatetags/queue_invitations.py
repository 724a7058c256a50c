"""``{% booking_invite_form application %}``: the officer's "invite to book a
visit" form on an application page (nothing for anyone else)."""

from django import template

from queueing.forms import InviteForm
from queueing.invitations import can_invite, offices_for_invitation

register = template.Library()


@register.inclusion_tag("queueing/_invite_form.html", takes_context=True)
def booking_invite_form(context, application) -> dict:
    request = context["request"]
    if not can_invite(request.user, application):
        return {"form": None}
    offices = offices_for_invitation(application)
    return {
        "application": application,
        "form": InviteForm(offices=offices) if offices.exists() else None,
        "csrf_token": context.get("csrf_token"),
    }
