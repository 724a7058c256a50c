"""Template variables: only plain values cross from the caller to a template.

A notification's ``context`` is stored as JSON on the outbox row and rendered later
by a worker, so it may hold only ``str``, ``int``, ``float``, ``bool``, ``None``,
``Decimal`` (amounts in IDR), ``date`` and aware ``datetime`` (rendered in WIB in the
recipient's language), and ``BilingualText`` (a catalogue name in Indonesian and
English, e.g. ``BilingualText.of(application.service_version)``). Model instances
and other objects are refused: a template can then never reach a method or a
related object (safe variables by construction).

Stored JSON: tagged values ``{"$datetime": iso}``, ``{"$date": iso}``,
``{"$decimal": "1500000"}`` and ``{"$text": {"id": ..., "en": ...}}``; anything
else is stored as is, so rows written before a tag existed (a catalogue name as
a plain Indonesian string) still decode, as that string in every language.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agencies.text import localized


class UnsafeVariable(TypeError):
    """A context value is not a plain value (see the module docstring)."""


@dataclass(frozen=True)
class BilingualText:
    """A catalogue text in Indonesian (``id``, the source) and English (``en``,
    may be empty), chosen when the notice is rendered, in the reader's language.

    The rule is ``agencies.text.localized``: English when it exists, else the
    Indonesian. Unlike the ``bitext`` template tag there is no "(Bahasa
    Indonesia)" label: notices are plain text (e-mail, SMS, the inbox).
    """

    id: str
    en: str = ""

    @classmethod
    def of(cls, obj: Any, field: str = "name") -> "BilingualText":
        """From a model (or anything with attributes) ``field`` and
        ``field_en``, e.g. ``BilingualText.of(step)`` for ``step.name`` and
        ``step.name_en``; a missing English attribute gives ``en=""``."""
        return cls(
            id=getattr(obj, field, "") or "",
            en=getattr(obj, f"{field}_en", "") or "",
        )

    def text(self, language: str | None = None) -> str:
        """The text for ``language`` (``"id"``, ``"en"``, ``"en-us"``…;
        default: the active language)."""
        return localized(self.id, self.en, language).text

    def __str__(self) -> str:
        return self.text()

    def __bool__(self) -> bool:
        return bool(self.id or self.en)


def context_encode(context: dict[str, Any]) -> dict[str, Any]:
    """Return ``context`` as JSON-native values, tagging dates, decimals and
    bilingual texts.

    Raises ``UnsafeVariable`` for any other type and ``ValueError`` for a naive
    ``datetime`` (the portal stores aware UTC instants only).
    """
    return {str(key): _encode(key, value) for key, value in context.items()}


def context_decode(
    stored: dict[str, Any], *, language: str | None = None
) -> dict[str, Any]:
    """Inverse of ``context_encode``: tagged values become ``datetime``/``date``/
    ``Decimal``/``BilingualText`` again.

    With ``language`` (``"id"``, ``"en"``) every ``BilingualText`` becomes the
    ``str`` to show in it (English when there is one, else Indonesian); plain
    strings (rows stored before bilingual names) stay as they are.
    """
    return {key: _decode(value, language) for key, value in stored.items()}


def _encode(key: str, value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, BilingualText):
        return {"$text": {"id": value.id, "en": value.en}}
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError(f"Variable {key!r} is a naive datetime; pass aware UTC.")
        return {"$datetime": value.astimezone(dt.UTC).isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise UnsafeVariable(
        f"Variable {key!r} is a {type(value).__name__}; pass a plain value "
        "(str, int, Decimal, date, aware datetime, BilingualText), never an object."
    )


def _decode(value: Any, language: str | None = None) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$datetime":
            return dt.datetime.fromisoformat(raw)
        if tag == "$date":
            return dt.date.fromisoformat(raw)
        if tag == "$decimal":
            return Decimal(raw)
        if tag == "$text" and isinstance(raw, dict):
            text = BilingualText(id=raw.get("id") or "", en=raw.get("en") or "")
            return text if language is None else text.text(language)
    return value
