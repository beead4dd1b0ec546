"""Cache tags: every answer an edge cache may keep says what it shows, so a write purges exactly those.

An HTTP accelerator (Varnish with xkey, Fastly, Cloudflare) keeps public pages, feeds, cards and
anonymous API answers, and drops every copy carrying a tag when the purge worker
(``edgecache.purge``) names that tag after a write. The tags come from the URL alone — the view's
name and its arguments, resolved by ``CacheTagsMiddleware`` — so tagging costs no query:

- ``claim:<slug>`` — a claim's page, feed, card and share image, and the API's claim by slug;
- ``claim-id:<id>`` — the API's claim, its status updates and its ClaimReview, by id;
- ``person:<slug>`` — a person's page, feed, scorecard, card and image, and the API's person;
- ``term:<id>`` — a term's scorecard, card and image, and the API's term;
- ``lists`` — everything that lists claims (home, the list, corrections, the feeds of updates,
  the sitemap, scorecards, compare, the API's lists and change feed…): any claim's change;
- ``site`` — on every tagged answer: a change to the rating scales or topics purges everything.

``edgecache.tags.tags_for_change`` is the other half: the tags one logged change affects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control

SITE = "site"
LISTS = "lists"

# The formats accelerators read, and how each separates tags: Varnish's xkey and Fastly's
# Surrogate-Key take spaces, Cloudflare's Cache-Tag commas.
TAG_HEADERS: dict[str, str] = {"xkey": " ", "Surrogate-Key": " ", "Cache-Tag": ","}

# Only answers to these methods are kept by a shared cache.
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Answers that send no Cache-Control of their own yet are the same for every anonymous client:
# the API's (a key's answers are the caller's own) and Django's sitemap view. A 200 or 304 of
# theirs is shareable when no credentials came with the request.
IMPLICITLY_SHARED_NAMESPACES = frozenset({"api"})
IMPLICITLY_SHARED_VIEWS = frozenset({"public:sitemap"})
IMPLICITLY_SHARED_CODES = frozenset({200, 304})
CREDENTIAL_HEADERS = ("Authorization", "X-API-Key")

# A rule takes the view's URL arguments and the request, and names the tags besides ``site``;
# NEVER marks an answer no edge cache should keep (it gets no tags and no s-maxage).
Rule = Callable[[Mapping[str, Any], HttpRequest], tuple[str, ...]]


def _lists(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    return (LISTS,)


def _site_only(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    return ()


def _claim(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    return (f"claim:{kwargs['slug']}",)


def _claim_id(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    return (f"claim-id:{kwargs['pk']}",)


def _person(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    return (f"person:{kwargs['slug']}",)


def _term(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    return (f"term:{kwargs['pk']}",)


def _oembed(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    """The tags of the page the ``url`` parameter names (a claim or a scorecard), else ``lists``."""
    try:
        path = urlsplit(request.GET.get("url", "").strip()).path or "/"
        # A page's language is in its address, which resolves only in that language.
        with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
            match = resolve(path)
    except (Resolver404, ValueError):
        return (LISTS,)
    rule = TAG_RULES.get(match.view_name)
    if rule is None or rule is _oembed:
        return (LISTS,)
    return rule(match.kwargs, request)


def _never(kwargs: Mapping[str, Any], request: HttpRequest) -> tuple[str, ...]:
    raise AssertionError("never called: NEVER answers are not tagged")  # pragma: no cover


NEVER: Rule = _never

# Every URL name under public:, embeds: and api: (tests/test_edge_cache_tags.py holds that), and
# what its answers show. A cacheable view missing here gets ``site lists``, which is always safe.
TAG_RULES: dict[str, Rule] = {
    # Pages and feeds.
    "public:home": _lists,
    "public:claim-list": _lists,
    "public:claim-detail": _claim,
    "public:claim-feed": _claim,
    "public:person-detail": _person,
    "public:person-feed": _person,
    "public:person-scorecard": _person,
    "public:term-scorecard": _term,
    "public:scorecards": _lists,
    "public:compare": _lists,
    "public:methodology": _site_only,
    "public:updates-feed": _lists,
    "public:corrections": _lists,
    "public:corrections-feed": _lists,
    "public:sitemap": _lists,
    "public:robots": _site_only,
    # Embeddable cards, oEmbed and share images.
    "embeds:claim-card": _claim,
    "embeds:person-scorecard-card": _person,
    "embeds:term-scorecard-card": _term,
    "embeds:oembed": _oembed,
    "embeds:claim-image": _claim,
    "embeds:person-scorecard-image": _person,
    "embeds:term-scorecard-image": _term,
    "embeds:tracker-scorecard-image": _lists,
    # The read API (anonymous answers only; a key's answers are the caller's own).
    "api:index": _site_only,
    "api:claim-list": _lists,
    # Streamed and as large as the whole record: left to the app, never kept at the edge.
    "api:claim-csv": NEVER,
    "api:claim-detail": _claim_id,
    "api:claim-status-updates": _claim_id,
    "api:claim-claimreview": _claim_id,
    "api:claim-by-slug": _claim,
    "api:claim-by-slug-old": _claim,
    "api:claimreview-list": _lists,
    "api:change-list": _lists,
    "api:person-list": _lists,
    "api:person-detail": _person,
    "api:person-scorecard": _person,
    "api:term-list": _lists,
    "api:term-detail": _term,
    "api:term-scorecard": _term,
    "api:scorecard": _lists,
    "api:source-list": _lists,
    "api:source-detail": _lists,
    "api:status-list": _site_only,
    "api:schema": _site_only,
    "api:docs": _site_only,
}


def tags_header() -> tuple[str, str]:
    """The configured header (``EDGE_CACHE_TAGS_HEADER``) and its separator."""
    name = settings.EDGE_CACHE_TAGS_HEADER
    if name not in TAG_HEADERS:
        raise ImproperlyConfigured(f"EDGE_CACHE_TAGS_HEADER must be one of {', '.join(TAG_HEADERS)}; got {name!r}.")
    return name, TAG_HEADERS[name]


def _cache_control(response: HttpResponse) -> set[str]:
    return {part.split("=", 1)[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}


def _shareable(request: HttpRequest, response: HttpResponse, view_name: str) -> bool:
    """Whether an edge cache may keep the answer.

    A page, feed or card says so itself (``Cache-Control: public``, claimtracker/page_cache.py);
    an API answer or the sitemap when it is anonymous and a 200 or 304.
    """
    directives = _cache_control(response)
    if directives & {"private", "no-store", "no-cache"}:
        return False
    if "public" in directives:
        return True
    implicitly = view_name in IMPLICITLY_SHARED_VIEWS or view_name.split(":", 1)[0] in IMPLICITLY_SHARED_NAMESPACES
    anonymous = not any(request.headers.get(header) for header in CREDENTIAL_HEADERS)
    return implicitly and anonymous and response.status_code in IMPLICITLY_SHARED_CODES


def response_tags(request: HttpRequest, response: HttpResponse) -> list[str]:
    """The tags of an answer an edge cache may keep, ``site`` last; [] for any other answer."""
    match = request.resolver_match
    if request.method not in SAFE_METHODS or match is None or response.cookies:
        return []
    rule = TAG_RULES.get(match.view_name)
    if rule is NEVER:
        return []
    if not _shareable(request, response, match.view_name):
        return []
    tags = rule(match.kwargs, request) if rule is not None else (LISTS,)
    return [*sorted(set(tags) - {SITE}), SITE]


class CacheTagsMiddleware:
    """Names what each shareable answer shows in the configured header; with ``EDGE_CACHE_MAX_AGE``,
    lets edge caches keep it that long (``s-maxage``) while browsers keep their five minutes.

    Goes near the top (after SecurityMiddleware), so it sees the answer every other middleware
    left: its Cache-Control, and any cookie set on the way out (such an answer is never tagged).
    Static files are answered before URLs are resolved and are never tagged (their names change
    with their content).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        tags_header()  # A wrong header name stops start-up, not the first request.

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        tags = response_tags(request, response)
        if not tags:
            return response
        header, separator = tags_header()
        response[header] = separator.join(tags)
        max_age = settings.EDGE_CACHE_MAX_AGE
        if max_age > 0:
            if "public" in _cache_control(response):
                patch_cache_control(response, s_maxage=max_age)
            else:
                # An anonymous API answer or the sitemap, which send no Cache-Control of their own:
                # clients revalidate them every time, as before; the edge keeps them until a purge.
                patch_cache_control(response, public=True, max_age=0, s_maxage=max_age)
        return response
