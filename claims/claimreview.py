"""schema.org ClaimReview for a claim: the one builder the claim pages and the partner API share.

Domain knowledge, not presentation: which claims carry a verdict, how a status maps to a rating
and which source counts as a claim's first appearance. The public pages embed the result as
JSON-LD (``public_tags.jsonld``), the API returns it as is, and the admin warns with
``claim_review_summary_warning``.

See https://schema.org/ClaimReview and Google's fact-check markup guidelines. A ClaimReview is
a verdict: a claim still at its scale's default status ("Not yet rated") has none. The rating
names the status (``name``, and ``alternateName`` as before) and maps it to ``ratingValue``
through ``Status.rating_value`` (1 worst … 5 best); a status that is not on that line
("Unclear") has no value. The methodology page lists the mapping.

Dates state no more than is known: the claim's ``datePublished`` is its date at its precision
("2024-09", "2024"), and a source counts as its ``firstAppearance`` only if it was published no
later than the last day the claim may have been made; otherwise it is one more ``appearance``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

from claims.models import Claim, ClaimAppearance, StatusUpdate
from claims.text_languages import translation_in
from people.models import Person

BEST_RATING = 5
WORST_RATING = 1
# Google's fact-check guideline: keep claimReviewed short (it is shown in a search result snippet).
CLAIM_REVIEWED_GUIDELINE_LENGTH = 75


def claim_review_summary_warning(summary: str) -> str | None:
    """A warning for the admin when ``summary`` (the ClaimReview ``claimReviewed``) is longer than Google advises."""
    length = len(summary.strip())
    if length <= CLAIM_REVIEWED_GUIDELINE_LENGTH:
        return None
    # Translators: claimReviewed is a schema.org property name; keep it as is.
    warning = ngettext(
        "The summary is %(length)d character; Google advises at most %(limit)d for a fact check's "
        "claimReviewed, so search results may cut it short.",
        "The summary is %(length)d characters; Google advises at most %(limit)d for a fact check's "
        "claimReviewed, so search results may cut it short.",
        length,
    )
    return warning % {"length": length, "limit": CLAIM_REVIEWED_GUIDELINE_LENGTH}


def claim_review(claim: Claim, *, url: str, latest_update: StatusUpdate | None) -> dict[str, Any] | None:
    """The ClaimReview of ``claim`` as a JSON-ready dict, or None while it has no verdict.

    ``url`` is the absolute URL of the claim's page; ``latest_update`` the published, uncorrected
    update that set the current status. Reads ``claim.claimant``, ``claim.current_status`` and
    ``claim.appearances.all()`` (with sources): select or prefetch them to keep this free of queries.
    """
    status = claim.current_status
    if status.is_default:
        return None
    language = review_language(claim, latest_update)
    with translation.override(language):
        return _claim_review(claim, url=url, latest_update=latest_update, language=language)


def review_language(claim: Claim, latest_update: StatusUpdate | None) -> str:
    """The language of the whole review: the active one if every text of it is translated into it, else English.

    One review never mixes languages: ``inLanguage`` states the language of all its texts.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return language
    status = claim.current_status
    explained_by = (latest_update, "rationale") if latest_update is not None else (status, "meaning")
    texts = [(claim, "summary"), (status, "label"), explained_by]
    if all(translation_in(record, field, language) for record, field in texts):
        return language
    return settings.LANGUAGE_CODE


def _claim_review(
    claim: Claim, *, url: str, latest_update: StatusUpdate | None, language: str
) -> dict[str, Any] | None:
    status = claim.current_status
    rating: dict[str, Any] = {
        "@type": "Rating",
        "name": status.label,
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
        "datePublished": claim.made_on_iso,
    }
    first, later = _first_and_later_appearances(claim)
    if first is not None:
        item["firstAppearance"] = _creative_work(first.source)
    if later:
        item["appearance"] = [_creative_work(appearance.source) for appearance in later]

    published = latest_update.published_at if latest_update is not None else claim.published_at
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "inLanguage": language,
        "claimReviewed": claim.summary,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": {
            "@type": "Organization",
            "name": settings.CLAIMTRACKER_PUBLISHER_NAME,
            "url": settings.CLAIMTRACKER_SITE_URL,
        },
    }
    if published is not None:
        review["datePublished"] = published.date().isoformat()
    return review


def _first_and_later_appearances(claim: Claim) -> tuple[ClaimAppearance | None, list[ClaimAppearance]]:
    """The appearance marked first, if its source could be the first (not published after the claim
    may have been made); every other appearance in order."""
    appearances = list(claim.appearances.all())
    first = next((appearance for appearance in appearances if appearance.is_first_appearance), None)
    if first is not None:
        published_on = first.source.published_on
        if published_on is None or published_on > claim.made_on_latest:
            first = None
    return first, [appearance for appearance in appearances if appearance is not first]


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
