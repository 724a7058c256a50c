from django import template

from documents.selectors import documents_visible_to

register = template.Library()


@register.simple_tag
def documents_of_application(application, user):
    """The issued documents of ``application`` that ``user`` may see."""
    return list(documents_visible_to(user).filter(application=application))
