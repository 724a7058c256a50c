"""Admin-side template helpers."""

from django import template

from agencies.selectors import holiday_coverage_warning

register = template.Library()


@register.simple_tag(takes_context=True)
def holiday_warning(context) -> str:
    """The missing-holidays warning for users who may see holidays, else ``""``."""
    request = context.get("request")
    if request is None or not request.user.has_perm("agencies.view_holiday"):
        return ""
    return holiday_coverage_warning() or ""
