"""Bilingual text: Indonesian is the source, English is shown when it exists.

A field ``x`` holds the Indonesian text and ``x_en`` the English translation (may be
empty). :func:`localized` picks the text for the active language and says whether
it fell back to Indonesian, so templates can label the fallback.
"""

from typing import NamedTuple

from django.utils.translation import get_language


class LocalizedText(NamedTuple):
    text: str
    lang: str  # "id" or "en": the language the text is actually in
    is_fallback: bool  # English was wanted but only Indonesian exists


def localized(text_id: str, text_en: str = "", language: str | None = None):
    """The text for ``language`` (default: the active one) as ``LocalizedText``."""
    language = (language or get_language() or "id")[:2]
    if language == "en":
        if text_en:
            return LocalizedText(text_en, "en", False)
        return LocalizedText(text_id, "id", bool(text_id))
    return LocalizedText(text_id, "id", False)


class BilingualNameMixin:
    """For models with ``name`` and ``name_en``."""

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en).text
