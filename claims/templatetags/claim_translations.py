"""Saying in a page which texts of the record are translated, and which are shown in English.

Pages read a translated field (``claim.summary``) in the reader's language, falling back to the
desk's English (django-modeltranslation). These filters tell the template which happened, so the
page can mark an English text with ``lang="en"`` and a note, never show an empty string, and label
the desk's translations as such.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.text_languages import translation_in

register = template.Library()


def _reader_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@register.filter
def shown_untranslated(record: Any, field: str) -> bool:
    """The reader's language is not the desk's, and this text has no translation into it."""
    language = _reader_language()
    if language == settings.LANGUAGE_CODE or record is None:
        return False
    return translation_in(record, field, language) is None


@register.filter
def shown_translated(record: Any, field: str) -> bool:
    """This text is shown in the desk's translation into the reader's language."""
    language = _reader_language()
    if language == settings.LANGUAGE_CODE or record is None:
        return False
    return translation_in(record, field, language) is not None


@register.filter
def text_lang(record: Any, field: str) -> SafeString:
    """`` lang="en"`` for an element showing a text that falls back to English; nothing otherwise."""
    if shown_untranslated(record, field):
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return SafeString("")


@register.simple_tag
def desk_lang() -> SafeString:
    """`` lang="en"`` on a page in another language, for the record's untranslated texts (the claim text)."""
    if _reader_language() == settings.LANGUAGE_CODE:
        return SafeString("")
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)


@register.filter
def in_desk_language(text: object) -> SafeString:
    """The text, marked ``lang="en"`` when the page is in another language: the record's untranslated words."""
    if _reader_language() == settings.LANGUAGE_CODE:
        return format_html("{}", text)
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, text)
