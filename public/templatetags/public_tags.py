"""Small presentation helpers for the public templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from claims.models import Claim, StatusUpdate
from public import wording
from public.claimreview import script_safe_json
from public.feeds import approver as update_approver
from public.feeds import byline as update_byline

register = template.Library()


@register.filter
def jsonld(data: Any) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, with <, > and & escaped."""
    return script_safe_json(data)


@register.filter
def byline(update: StatusUpdate) -> str:
    return update_byline(update)


@register.filter
def approver(update: StatusUpdate) -> str:
    return update_approver(update)


@register.filter
def percent_of(count: int, total: int) -> str:
    """``count`` as a percentage of ``total``, for bar widths: "37.5"."""
    return f"{(100 * count / total) if total else 0:.1f}"


@register.filter
def nest_quotes(text: str) -> str:
    """Text to go inside our own “…”: inner double quotation marks become single ‘…’.

    Returns plain text, so autoescaping still applies; chain ``linebreaksbr`` after it.
    """
    return wording.nest_quotes(str(text))


@register.filter
def reporter(claim: Claim) -> str:
    """Who reported a paraphrased claim (see ``public.wording.reporter_of``)."""
    return wording.reporter_of(claim)


@register.filter
def translation_label(claim: Claim) -> str:
    return wording.translation_label(claim)


@register.filter
def language_name(tag: str) -> str:
    return wording.language_name(str(tag))


@register.filter
def datetime_attr(iso: str) -> str:
    """A valid HTML ``datetime`` value for an ISO period: a range gives its start ("2024-02/2024-11" → "2024-02")."""
    return str(iso).split("/")[0]
