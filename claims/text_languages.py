"""Which texts of the record are translated, and the columns each language's text lives in.

claims/translation.py registers these fields with django-modeltranslation, which adds a column
per language (``summary_en``, ``summary_uk``, ``summary_ru``); the admin and the services name
those columns through the helpers here. (Kept apart from the registration, which patches the
models when imported.)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from claims.models import TEXT_LANGUAGES

# By model name: the fields whose text the desk translates.
TRANSLATED_FIELDS: dict[str, tuple[str, ...]] = {
    "Status": ("label", "meaning"),
    "Topic": ("name",),
    "Claim": ("summary",),
    "StatusUpdate": ("rationale",),
}


def other_languages() -> list[str]:
    """The languages the desk translates into: every language of the site but its own."""
    return [code for code in TEXT_LANGUAGES if code != settings.LANGUAGE_CODE]


def language_columns(field: str) -> list[str]:
    """The columns of a translated field, the desk's language first: ``summary_en``, ``summary_uk``…"""
    return [f"{field}_{code}" for code in (settings.LANGUAGE_CODE, *other_languages())]


def missing_in(language: str, fields: tuple[str, ...]) -> Q:
    """Rows where any of ``fields`` has no text in ``language``."""
    condition = Q()
    for field in fields:
        column = f"{field}_{language}"
        condition |= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    return condition


def translation_in(record: Any, field: str, language: str) -> str | None:
    """The text of a translated ``field`` of ``record`` in ``language``, or None where there is none."""
    return getattr(record, f"{field}_{language}", None) or None


def text_language(record: Any, field: str) -> str:
    """The language ``record.<field>`` reads in: the active one if translated into it, else the desk's."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if translation_in(record, field, language) else settings.LANGUAGE_CODE
