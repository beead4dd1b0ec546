"""schema.org ClaimReview for a claim: the one builder the claim pages and the partner API share.

See https://schema.org/ClaimReview and Google's fact-check markup guidelines. The rating maps a
status to ``ratingValue`` through ``Status.rating_value`` (1 worst … 5 best); statuses that are
not a verdict ("Not yet rated", "Unclear") have no value, so only their label is given, as
``alternateName``. The methodology page lists the mapping.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, StatusUpdate
from people.models import Person

BEST_RATING = 5
WORST_RATING = 1

# The characters that could end a <script> element or start markup, as JSON escapes
# (the same set Django's json_script escapes).
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def claim_review(claim: Claim, *, url: str, latest_update: StatusUpdate | None) -> dict[str, Any]:
    """The ClaimReview of ``claim`` as a JSON-ready dict.

    ``url`` is the absolute URL of the claim's page; ``latest_update`` the published, uncorrected
    update that set the current status (None while the claim has no published verdict). Reads
    ``claim.claimant``, ``claim.current_status`` and ``claim.appearances.all()`` (with sources):
    select or prefetch them to keep this free of queries.
    """
    status = claim.current_status
    rating: dict[str, Any] = {
        "@type": "Rating",
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": status.label,
        "ratingExplanation": latest_update.rationale if latest_update is not None else status.meaning,
    }
    if status.rating_value is not None:
        rating["ratingValue"] = status.rating_value

    item: dict[str, Any] = {
        "@type": "Claim",
        "author": _claimant(claim.claimant),
        "datePublished": claim.made_on.isoformat(),
    }
    appearances = list(claim.appearances.all())
    first = next((appearance for appearance in appearances if appearance.is_first_appearance), None)
    if first is not None:
        item["firstAppearance"] = _creative_work(first.source)
    later = [_creative_work(appearance.source) for appearance in appearances if appearance is not first]
    if later:
        item["appearance"] = later

    published = latest_update.published_at if latest_update is not None else claim.published_at
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.summary,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": {
            "@type": "Organization",
            "name": settings.CLAIMTRACKER_PUBLISHER_NAME,
            "url": settings.CLAIMTRACKER_PUBLISHER_URL,
        },
    }
    if published is not None:
        review["datePublished"] = published.date().isoformat()
    return review


def _claimant(person: Person) -> dict[str, Any]:
    author: dict[str, Any] = {
        "@type": "Organization" if person.kind == Person.Kind.ORGANISATION else "Person",
        "name": person.name,
    }
    if person.role and person.kind == Person.Kind.PERSON:
        author["jobTitle"] = person.role
    if person.wikidata_url:
        author["sameAs"] = person.wikidata_url
    return author


def _creative_work(source: Any) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": source.url, "headline": source.title}
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    return work


def script_safe_json(data: Any) -> SafeString:
    """``data`` as JSON that can sit inside a <script> element: no <, > or & survives literally."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None).translate(_SCRIPT_SAFE)
    # Safe: every character that could end the element or start markup is escaped above.
    return mark_safe(text)  # noqa: S308  # nosec B308 B703
