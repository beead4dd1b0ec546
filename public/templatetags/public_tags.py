"""Small presentation helpers for the public templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from claims.models import StatusUpdate
from public.claimreview import script_safe_json
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
def percent_of(count: int, total: int) -> str:
    """``count`` as a percentage of ``total``, for bar widths: "37.5"."""
    return f"{(100 * count / total) if total else 0:.1f}"
