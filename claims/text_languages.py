"""Which texts of the record are translated, and the columns each language's text lives in.

claims/translation.py registers these fields with django-modeltranslation, which adds a column
per language (``summary_en``, ``summary_uk``, ``summary_ru``); the admin and the services name
those columns through the helpers here. (Kept apart from the registration, which patches the
models when imported.)
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

# By model name: the fields whose text the desk translates.
TRANSLATED_FIELDS: dict[str, tuple[str, ...]] = {
    "Status": ("label", "meaning"),
    "Topic": ("name",),
    "Claim": ("summary",),
    "StatusUpdate": ("rationale",),
}


def other_languages() -> list[str]:
    """The languages the desk translates into: every language of the site but its own."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


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
