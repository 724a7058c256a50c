"""``{% queue_links %}``: list items linking a queue officer's desks and the
statistics of the offices they run (officer home); nothing for others."""

from django import template

from queueing.permissions import counters_operated_by, offices_supervised_by

register = template.Library()


@register.inclusion_tag("queueing/_officer_links.html", takes_context=True)
def queue_links(context) -> dict:
    user = context["request"].user
    return {
        "counters": counters_operated_by(user).order_by("office__name", "number"),
        "offices": offices_supervised_by(user).order_by("name"),
    }
