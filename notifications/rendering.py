"""Sandboxed rendering of notification templates.

Why the Django template language, restricted, rather than ``string.Template``: the
texts need the recipient's language for dates and amounts (``{{ due_at|date:"j F Y
H:i" }}`` gives "5 Maret 2026 14:00" in Indonesian, in WIB) and small conditionals
(the purpose of a one-time code). What makes it safe:

* the engine has no loaders and only the tags and filters listed below: no
  ``{% load %}``, ``{% include %}``, ``{% extends %}``, ``{% url %}``, ``{% debug %}``;
* every variable is a plain value (``notifications.variables``): no object, so no
  method or relation can be reached;
* a template may name only its event's declared variables, without any ``.lookup``;
  ``template_validate`` refuses anything else when an admin saves it.

Output is plain text (autoescape off); the inbox page escapes it when showing it.
"""

from typing import Any

from django.contrib.humanize.templatetags import humanize
from django.core.exceptions import ValidationError
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import FilterExpression, Node, VariableNode
from django.template.defaulttags import FirstOfNode, IfNode, TemplateLiteral
from django.template.smartif import TokenBase
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .events import Event

ALLOWED_TAGS = ("if", "firstof", "comment")
ALLOWED_FILTERS = (
    "capfirst",
    "date",
    "default",
    "default_if_none",
    "floatformat",
    "lower",
    "pluralize",
    "time",
    "title",
    "upper",
    "yesno",
)

_library = Library()
for _name in ALLOWED_TAGS:
    _library.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    _library.filters[_name] = defaultfilters.register.filters[_name]
_library.filters["intcomma"] = humanize.register.filters["intcomma"]

_engine = Engine(dirs=[], app_dirs=False, loaders=[], autoescape=False)
# Replace the default builtins (every default tag and filter) with the short list.
_engine.template_builtins = [_library]


def template_validate(source: str, *, event: Event) -> None:
    """Compile ``source`` and check it names only ``event``'s variables.

    Raises ``django.core.exceptions.ValidationError`` with a translated message.
    """
    try:
        template = _engine.from_string(source)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("The template has an error: %(error)s") % {"error": error}
        ) from error
    allowed = set(event.variables)
    for name in sorted(_variable_names(template.nodelist)):
        if "." in name or name not in allowed:
            raise ValidationError(
                _("Unknown variable %(name)s. Allowed: %(allowed)s.")
                % {"name": name, "allowed": ", ".join(event.variables)}
            )


def render_text(source: str, *, context: dict[str, Any], language: str) -> str:
    """Render ``source`` with ``context`` in ``language`` and Asia/Jakarta time.

    Raises ``TemplateSyntaxError`` for a broken template (admins cannot save one).
    """
    with translation.override(language), timezone.override("Asia/Jakarta"):
        return _engine.from_string(source).render(Context(context, autoescape=False))


def _variable_names(nodelist) -> set[str]:
    names: set[str] = set()
    for node in _walk(nodelist):
        for expression in _expressions(node):
            names |= _expression_names(expression)
    return names


def _walk(nodelist):
    for node in nodelist:
        yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _walk(getattr(node, attr, None) or [])
        if isinstance(node, IfNode):
            for _condition, child in node.conditions_nodelists:
                yield from _walk(child)


def _expressions(node: Node) -> list[FilterExpression]:
    if isinstance(node, VariableNode):
        return [node.filter_expression]
    if isinstance(node, FirstOfNode):
        return list(node.vars)
    if isinstance(node, IfNode):
        found: list[FilterExpression] = []
        for condition, _child in node.conditions_nodelists:
            found.extend(_condition_expressions(condition))
        return found
    return []


def _condition_expressions(condition) -> list[FilterExpression]:
    if condition is None:
        return []
    if isinstance(condition, TemplateLiteral):
        return [condition.value]
    if isinstance(condition, TokenBase):
        return [
            *_condition_expressions(getattr(condition, "first", None)),
            *_condition_expressions(getattr(condition, "second", None)),
        ]
    return []


def _expression_names(expression: FilterExpression) -> set[str]:
    names = set()
    variables = [expression.var]
    for _func, args in expression.filters:
        variables.extend(arg for is_lookup, arg in args if is_lookup)
    for variable in variables:
        lookups = getattr(variable, "lookups", None)
        if lookups:  # a Variable that is looked up, not a literal
            names.add(".".join(lookups))
    return names
