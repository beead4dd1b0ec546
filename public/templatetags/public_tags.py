"""Small presentation helpers for the public templates."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from claims.models import StatusUpdate
from public.feeds import approver as update_approver
from public.feeds import byline as update_byline

register = template.Library()

# The characters that could end a <script> element or start markup, as JSON escapes
# (the same set Django's json_script escapes).
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data: Any) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, with <, > and & escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None).translate(_SCRIPT_SAFE)
    # Safe: every character that could end the element or start markup is escaped above.
    return mark_safe(text)  # noqa: S308  # nosec B308 B703


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
def datetime_attr(iso: str) -> str:
    """A valid HTML ``datetime`` value for an ISO period: a range gives its start ("2024-02/2024-11" → "2024-02")."""
    return str(iso).split("/")[0]
