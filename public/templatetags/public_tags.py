"""Small presentation helpers for the public templates."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import date as format_date
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


# A claim card's phrases, one gettext each. A list repeats the card for every claim; {% blocktranslate %}
# with its variables cost a third of a person page of a hundred claims (BENCHMARKS.md, "Languages"),
# this a tenth of that. The sentences are the template's own msgids, so their translations stand.


def _phrase(translated: str, **values: str) -> SafeString:
    # The sentence is ours (or a translator's), its values escaped: as {% blocktranslate %} makes it.
    return mark_safe(translated % {name: conditional_escape(value) for name, value in values.items()})  # noqa: S308  # nosec B308 B703


@register.simple_tag
def made_phrase(claim: Any) -> SafeString:
    """ "made <time>…</time>": when the claim was made, no more precisely than known."""
    return _phrase(
        gettext('made <time datetime="%(iso_date)s">%(date)s</time>'),
        iso_date=datetime_attr(claim.made_on_iso),
        date=claim.made_on_display,
    )


@register.simple_tag
def deadline_phrase(claim: Any) -> SafeString:
    """ "deadline <time>…</time>"."""
    return _phrase(
        gettext('deadline <time datetime="%(iso_date)s">%(date)s</time>'),
        iso_date=format_date(claim.deadline, "Y-m-d"),
        date=format_date(claim.deadline, "j M Y"),
    )


@register.simple_tag
def reported_by_phrase(reporter: str) -> SafeString:
    """ "Reported by …": who reported a paraphrase."""
    return _phrase(gettext("Reported by %(by)s"), by=reporter)


@register.simple_tag
def cited_phrase(title: str) -> SafeString:
    """ "in <cite>…</cite>": the source a quote is taken from."""
    return _phrase(gettext("in <cite>%(title)s</cite>"), title=title)
