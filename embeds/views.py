"""Status cards other sites may frame, and the oEmbed endpoint that hands out their iframe.

The card is the only page any site may frame: its view replaces ``frame-ancestors 'none'`` and
drops ``X-Frame-Options: DENY``; every other response keeps both.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from claims import wording
from claims.freshness import claim_freshness
from claims.models import Claim
from claims.wording import with_wording
from claimtracker.page_cache import PUBLIC_MAX_AGE, Freshness, public_page

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


def _oembed_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message}}, status=status)


def _our_hosts(request: HttpRequest) -> set[str]:
    return {request.get_host().lower(), urlsplit(settings.CLAIMTRACKER_SITE_URL).netloc.lower()}


def _claim_slug(url: str, request: HttpRequest) -> str | None:
    """The slug of a claim page URL on this site, or None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in _our_hosts(request):
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.view_name != "public:claim-detail":
        return None
    return match.kwargs["slug"]


def _dimension(raw: str | None, default: int) -> int:
    """The default, or the consumer's maximum if it is smaller (the card is fluid)."""
    if raw is None or not raw.strip().isdigit() or int(raw) == 0:
        return default
    return min(default, int(raw))


@require_safe
def oembed(request: HttpRequest) -> JsonResponse:
    """The embed of a claim page, in the language of the page's address (``/uk/claims/…`` in Ukrainian)."""
    url = request.GET.get("url", "")
    language = translation.get_language_from_path(urlsplit(url.strip()).path) or translation.get_language()
    with translation.override(language):
        response = _oembed(request, url)
    response["Content-Language"] = language
    return response


def _oembed(request: HttpRequest, url: str) -> JsonResponse:
    if request.GET.get("format", "json") != "json":
        return _oembed_error(_("Only format=json is supported."), 501)
    slug = _claim_slug(url, request)
    claim = card_claim(slug) if slug else None
    if claim is None:
        withdrawn = Claim.objects.withdrawal_notice(slug) if slug else None
        if withdrawn is not None:
            return _oembed_error(
                _("This claim was withdrawn: %(reason)s") % {"reason": withdrawn.withdrawal_reason}, 404
            )
        return _oembed_error(_("No published claim at this URL."), 404)
    width = _dimension(request.GET.get("maxwidth"), CARD_WIDTH)
    height = _dimension(request.GET.get("maxheight"), CARD_HEIGHT)
    card_url = request.build_absolute_uri(reverse("embeds:claim-card", kwargs={"slug": claim.slug}))
    title = _("%(claimant)s: %(claim)s — %(status)s") % {
        "claimant": claim.claimant.name,
        "claim": claim.summary,
        "status": claim.current_status.label,
    }
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" style="border:0;max-width:100%"></iframe>',
        card_url,
        width,
        height,
        title,
    )
    response = JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "html": html,
            "width": width,
            "height": height,
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
