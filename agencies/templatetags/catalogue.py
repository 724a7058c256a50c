"""Template helpers for bilingual catalogue text and service levels."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.choices import FeeType, SlaUnit
from agencies.text import localized

register = template.Library()


def _get(obj: Any, name: str) -> str:
    if isinstance(obj, dict):
        return obj.get(name) or ""
    return getattr(obj, name, "") or ""


@register.simple_tag
def bitext(obj: Any, field: str, en_field: str = "") -> str:
    """``{% bitext version "fee_rule" %}``: the English text (``fee_rule_en``) in
    English when there is one, else the Indonesian marked ``lang="id"`` and
    labelled "(Bahasa Indonesia)"."""
    text = localized(_get(obj, field), _get(obj, en_field or f"{field}_en"))
    if text.is_fallback:
        return format_html(
            '<span lang="id">{}</span> <span class="lang-fallback">{}</span>',
            text.text,
            _("(Bahasa Indonesia)"),
        )
    return text.text


@register.simple_tag
def sla_text(value: int | None, unit: str) -> str:
    """``5 working days`` / ``10 working hours``."""
    if not value:
        return ""
    if unit == SlaUnit.WORKING_HOURS:
        return ngettext("%(count)s working hour", "%(count)s working hours", value) % {
            "count": value
        }
    return ngettext("%(count)s working day", "%(count)s working days", value) % {
        "count": value
    }


@register.simple_tag
def fee_text(version: Any) -> str:
    """``Free of charge``, ``Rp 150.000`` or the fee type when computed per case."""
    if version.fee_type == FeeType.FREE:
        return _("Free of charge")
    if version.fee_amount is not None:
        return "Rp " + f"{version.fee_amount:,}".replace(",", ".")
    return _("%(type)s, computed per application") % {
        "type": version.get_fee_type_display()
    }
