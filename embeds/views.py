"""Cards other sites may frame (a claim's status, a person's or a term's scorecard), and the
oEmbed endpoint that hands out their iframe.

The cards are the only pages any site may frame: their views replace ``frame-ancestors 'none'``
and drop ``X-Frame-Options: DENY``; every other response keeps both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from claims import wording
from claims.dates import describe_day
from claims.freshness import claim_freshness, scorecard_freshness
from claims.models import Claim, Status
from claims.scorecards import Scorecard, pledges, scorecard
from claims.wording import with_wording
from claimtracker.page_cache import PUBLIC_MAX_AGE, Freshness, public_page
from people.models import Person, Term

CARD_WIDTH = 480
CARD_HEIGHT = 260


def card_freshness(slug: str) -> Freshness | None:
    """The claim page's validators (a superset of what the card shows), marked as the card's own."""
    fresh = claim_freshness(slug)
    if fresh is None:
        return None
    return Freshness(last_modified=fresh.last_modified, etag=f'"card-{fresh.etag.strip(chr(34))}"')


def card_claim(slug: str) -> Claim | None:
    # The card shows the claimant, the status badge and the claim worded as its source has it.
    # The status is the stored current status: updates awaiting approval (or removed) never set it.
    return (
        with_wording(Claim.objects.published().select_related("claimant", "current_status")).filter(slug=slug).first()
    )


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_page(card_freshness)
def claim_card(request: HttpRequest, slug: str) -> HttpResponse:
    claim = card_claim(slug)
    if claim is None:
        withdrawn = Claim.objects.withdrawal_notice(slug)
        return render(request, "embeds/absent.html", {"withdrawn": withdrawn}, status=410 if withdrawn else 404)
    return render(
        request,
        "embeds/card.html",
        {
            "claim": claim,
            "claim_url": request.build_absolute_uri(claim.get_absolute_url()),
        },
    )


def _rich_embed(request: HttpRequest, card_url: str, title: str) -> dict[str, Any]:
    """The iframe of a card, at the card's size or the consumer's maximum if smaller."""
    width = _dimension(request.GET.get("maxwidth"), CARD_WIDTH)
    height = _dimension(request.GET.get("maxheight"), CARD_HEIGHT)
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" style="border:0;max-width:100%"></iframe>',
        card_url,
        width,
        height,
        title,
    )
    return {"version": "1.0", "type": "rich", "html": html, "width": width, "height": height}


def _oembed_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message}}, status=status)


def _our_hosts(request: HttpRequest) -> set[str]:
    return {request.get_host().lower(), urlsplit(settings.CLAIMTRACKER_SITE_URL).netloc.lower()}


def _our_page(url: str, request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    """The URL name and arguments of a page on this site at ``url``, or None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in _our_hosts(request):
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    return match.view_name, match.kwargs


def _claim_slug(url: str, request: HttpRequest) -> str | None:
    """The slug of a claim page URL on this site, or None."""
    page = _our_page(url, request)
    if page is None or page[0] != "public:claim-detail":
        return None
    return page[1]["slug"]


def _dimension(raw: str | None, default: int) -> int:
    """The default, or the consumer's maximum if it is smaller (the card is fluid)."""
    if raw is None or not raw.strip().isdigit() or int(raw) == 0:
        return default
    return min(default, int(raw))


@require_safe
def oembed(request: HttpRequest) -> JsonResponse:
    """The embed of a claim page or a scorecard page, in the language of the page's address
    (``/uk/claims/…`` in Ukrainian)."""
    url = request.GET.get("url", "")
    language = translation.get_language_from_path(urlsplit(url.strip()).path) or translation.get_language()
    with translation.override(language):
        response = _oembed(request, url)
    response["Content-Language"] = language
    return response


def _oembed(request: HttpRequest, url: str) -> JsonResponse:
    if request.GET.get("format", "json") != "json":
        return _oembed_error(_("Only format=json is supported."), 501)
    page = _our_page(url, request)
    if page is not None and page[0] in SCORECARD_PAGES:
        return _scorecard_oembed(request, *page)
    slug = page[1].get("slug") if page is not None and page[0] == "public:claim-detail" else None
    claim = card_claim(slug) if slug else None
    if claim is None:
        withdrawn = Claim.objects.withdrawal_notice(slug) if slug else None
        if withdrawn is not None:
            return _oembed_error(
                _("This claim was withdrawn: %(reason)s") % {"reason": withdrawn.withdrawal_reason}, 404
            )
        return _oembed_error(_("No published claim at this URL."), 404)
    card_url = request.build_absolute_uri(reverse("embeds:claim-card", kwargs={"slug": claim.slug}))
    title = _("%(claimant)s: %(claim)s — %(status)s") % {
        "claimant": claim.claimant.name,
        "claim": claim.summary,
        "status": claim.current_status.label,
    }
    response = JsonResponse(
        {
            **_rich_embed(request, card_url, title),
            "title": claim.summary,
            # Worded as on the claim's page: a paraphrase is never put in quotation marks.
            "description": _("%(claim)s (made %(when)s). Status: %(status)s.")
            % {"claim": wording.plain_wording(claim), "when": claim.made_when, "status": claim.current_status.label},
            "author_name": claim.claimant.name,
            "author_url": request.build_absolute_uri(claim.claimant.get_absolute_url()),
            "provider_name": settings.CLAIMTRACKER_PUBLISHER_NAME,
            "provider_url": settings.CLAIMTRACKER_PUBLISHER_URL,
            "cache_age": PUBLIC_MAX_AGE,
        }
    )
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


# --- Scorecards: a person's pledges, or a term's ----------------------------------------------------

SCORECARD_PAGES = {"public:person-scorecard", "public:term-scorecard"}


def scorecard_person(slug: str) -> Person | None:
    """Someone with a published claim: nobody else has a public page, so nobody else a scorecard."""
    return Person.objects.tracked().filter(slug=slug).first()


def scorecard_term(pk: int) -> Term | None:
    """A term of office of someone with a published claim, with that person."""
    return Term.objects.of_tracked_people().select_related("person").filter(pk=pk).first()


def marked_freshness(fresh: Freshness | None, marker: str, *parts: object) -> Freshness | None:
    """``fresh`` as the validators of another view of the same data (a card, an image), in the active language."""
    if fresh is None:
        return None
    digest = hashlib.sha256(repr((fresh.etag, translation.get_language(), parts)).encode()).hexdigest()[:32]
    return Freshness(last_modified=fresh.last_modified, etag=f'"{marker}-{digest}"')


def term_dates(term: Term) -> str:
    """The term's first and last day in words ("from 20 January 2025" while its end is not known)."""
    if term.ends_on is None:
        return _("from %(start)s") % {"start": describe_day(term.starts_on)}
    return _("%(start)s – %(end)s") % {"start": describe_day(term.starts_on), "end": describe_day(term.ends_on)}


def term_day(card: Scorecard) -> str:
    """ "Day 123" of the scorecard's term, or nothing outside it."""
    return _("Day %(day)d") % {"day": card.term_day} if card.term_day is not None else ""


def percent(value: int | None) -> str:
    return _("%(percent)d%%") % {"percent": value or 0}


def totals_line(card: Scorecard) -> str:
    """ "12 pledges · 5 with a verdict · 7 still being tracked"."""
    return " · ".join(
        [
            ngettext("%(count)d pledge", "%(count)d pledges", card.total) % {"count": card.total},
            ngettext("%(count)d with a verdict", "%(count)d with a verdict", card.final_total)
            % {"count": card.final_total},
            ngettext("%(count)d still being tracked", "%(count)d still being tracked", card.still_tracked)
            % {"count": card.still_tracked},
        ]
    )


def shares_caption(card: Scorecard) -> str:
    """What the shares are of: the pledges with a verdict, not all of them."""
    return ngettext(
        "Of the %(count)d pledge with a verdict:", "Of the %(count)d pledges with a verdict:", card.final_total
    ) % {"count": card.final_total}


def scorecard_description(card: Scorecard) -> str:
    """The verdicts' shares and the counts in a sentence: "Kept 40%, Broken 60% of the pledges with a verdict. …"."""
    if card.final_total == 0:
        return _("No verdicts yet. %(totals)s.") % {"totals": totals_line(card)}
    shares = ", ".join(f"{figure.status.label} {percent(figure.percent)}" for figure in card.verdicts)
    return _("%(shares)s of the pledges with a verdict. %(totals)s.") % {"shares": shares, "totals": totals_line(card)}


@dataclass(frozen=True)
class BarSegment:
    status: Status
    count: int
    # A share of the bar's width, written for CSS whatever the language ("33.333", never "33,333").
    width: str


def bar_segments(card: Scorecard) -> list[BarSegment]:
    return [
        BarSegment(figure.status, figure.count, f"{figure.count * 100 / card.total:.3f}")
        for figure in card.figures
        if figure.count
    ]


def _page_url(request: HttpRequest, name: str, **kwargs: object) -> str | None:
    """The absolute URL of a public page, or None if this site has no such page."""
    try:
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return None


def person_card_freshness(slug: str) -> Freshness | None:
    # The scorecard pages' validators: any write to the record, and the newsroom's day ("Day N").
    return marked_freshness(scorecard_freshness("person", slug), "scorecard-card")


def term_card_freshness(pk: int) -> Freshness | None:
    return marked_freshness(scorecard_freshness("term", pk), "scorecard-card")


def _scorecard_card(
    request: HttpRequest, *, title: str, subtitle: str, card: Scorecard, page_url: str | None
) -> HttpResponse:
    return render(
        request,
        "embeds/scorecard_card.html",
        {
            "title": title,
            "subtitle": subtitle,
            "card": card,
            "day": term_day(card),
            "shares": [(figure, percent(figure.percent)) for figure in card.verdicts] if card.final_total else [],
            "shares_caption": shares_caption(card),
            "totals": totals_line(card),
            "segments": bar_segments(card),
            "page_url": page_url,
        },
    )


def _no_scorecard(request: HttpRequest) -> HttpResponse:
    return render(request, "embeds/scorecard_absent.html", status=404)


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_page(person_card_freshness)
def person_scorecard_card(request: HttpRequest, slug: str) -> HttpResponse:
    person = scorecard_person(slug)
    if person is None:
        return _no_scorecard(request)
    return _scorecard_card(
        request,
        title=person.name,
        subtitle=person.role,
        card=scorecard(pledges(person=person)),
        page_url=_page_url(request, "public:person-scorecard", slug=person.slug),
    )


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_page(term_card_freshness)
def term_scorecard_card(request: HttpRequest, pk: int) -> HttpResponse:
    term = scorecard_term(pk)
    if term is None:
        return _no_scorecard(request)
    return _scorecard_card(
        request,
        title=term.person.name,
        subtitle=f"{term.office} · {term_dates(term)}",
        card=scorecard(pledges(term=term), term=term),
        page_url=_page_url(request, "public:term-scorecard", pk=term.pk),
    )


def _scorecard_oembed(request: HttpRequest, page: str, kwargs: dict[str, Any]) -> JsonResponse:
    """The embed of a person's or a term's scorecard page: the scorecard card's iframe."""
    person: Person | None
    if page == "public:person-scorecard":
        person = scorecard_person(kwargs["slug"])
        term = None
        card_path = reverse("embeds:person-scorecard-card", kwargs={"slug": person.slug}) if person else ""
    else:
        term = scorecard_term(kwargs["pk"])
        person = term.person if term is not None else None
        card_path = reverse("embeds:term-scorecard-card", kwargs={"pk": term.pk}) if term else ""
    if person is None:
        return _oembed_error(_("No published scorecard at this URL."), 404)
    card = scorecard(pledges(person=person) if term is None else pledges(term=term), term=term)
    if term is None:
        title = _("Scorecard: %(name)s") % {"name": person.name}
    else:
        title = _("Scorecard: %(name)s, %(office)s (%(dates)s)") % {
            "name": person.name,
            "office": term.office,
            "dates": term_dates(term),
        }
    response = JsonResponse(
        {
            **_rich_embed(request, request.build_absolute_uri(card_path), title),
            "title": title,
            "description": scorecard_description(card),
            "author_name": person.name,
            "author_url": request.build_absolute_uri(person.get_absolute_url()),
            "provider_name": settings.CLAIMTRACKER_PUBLISHER_NAME,
            "provider_url": settings.CLAIMTRACKER_PUBLISHER_URL,
            "cache_age": PUBLIC_MAX_AGE,
        }
    )
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
