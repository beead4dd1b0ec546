"""How a claim's words are shown, for every template that shows them (public pages and embedded cards).

A quote is the speaker's words in quotation marks; a paraphrase never is (see ``claims.wording``).
"""

from __future__ import annotations

from django import template

from claims import wording
from claims.models import Claim

register = template.Library()


@register.filter
def nest_quotes(text: str) -> str:
    """Text to go inside our own “…”: inner double quotation marks become single ‘…’.

    Returns plain text, so autoescaping still applies; chain ``linebreaksbr`` after it.
    """
    return wording.nest_quotes(str(text))


@register.filter
def reporter(claim: Claim) -> str:
    """Who reported a paraphrased claim (see ``claims.wording.reporter_of``)."""
    return wording.reporter_of(claim)


@register.filter
def translation_label(claim: Claim) -> str:
    """'Translated from Ukrainian (uk)', in the current interface language."""
    return wording.translation_label(claim)


@register.filter
def quoted_from(claim: Claim) -> str:
    return wording.quoted_from(claim)


@register.filter
def language_name(tag: str) -> str:
    """A language tag's name in the current interface language ("uk" → "Ukrainian"), or the tag if unknown."""
    return wording.language_name(str(tag))
