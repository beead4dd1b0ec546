"""Conditional GET and shared-cache headers for pages anyone may read (the public pages, the
feeds and the embeddable cards).

Plumbing, not a rule about claims: a view says how fresh its page is (``claims.freshness``) and
``public_page`` answers 304s, keeps rendered copies and marks the answer cacheable.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

# Short enough that an edit reaches readers within minutes through a shared cache; revalidation
# after that costs the cache one cheap query and a 304.
PUBLIC_MAX_AGE = 300
# Rendered pages are kept under their URL and their ETag, which changes with every write the page
# shows (see ``claims.freshness``): a write is visible on the next request.
RENDERED_PAGE_SECONDS = 300

View = Callable[..., HttpResponse]

# True while a request that sent ``Cache-Control: no-cache`` is answered: nothing remembered or
# stored may stand in for reading the database (``claims.freshness.remembered`` honours it).
fresh_answer_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("fresh_answer_wanted", default=False)


@dataclass(frozen=True)
class Freshness:
    """When a page's content last changed, and a validator that also covers the status scales."""

    last_modified: datetime.datetime
    etag: str


def public_page(freshness: Callable[..., Freshness | None]) -> Callable[[View], View]:
    """Answer GET/HEAD only; 304 when the client's copy is current; mark the answer cacheable.

    ``freshness`` takes the view's URL arguments and returns the page's ``Freshness``, or None
    when the page does not exist publicly (the view then gives its 404 or 410).
    """

    def decorator(view: View) -> View:
        @require_safe
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            wanted = fresh_answer_wanted.set(wants_fresh(request))
            try:
                fresh = freshness(*args, **kwargs)
            finally:
                fresh_answer_wanted.reset(wanted)
            if fresh is None:
                return view(request, *args, **kwargs)
            timestamp = int(fresh.last_modified.timestamp())
            response = get_conditional_response(request, etag=fresh.etag, last_modified=timestamp)
            if response is None:
                response = _rendered(request, fresh.etag, lambda: view(request, *args, **kwargs))
            if response.status_code in (200, 304):
                response.headers.setdefault("ETag", fresh.etag)
                response.headers.setdefault("Last-Modified", http_date(timestamp))
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            return response

        return wrapped

    return decorator


def _rendered(request: HttpRequest, etag: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page from the cache (Redis with REDIS_URL, else per-process memory), or rendered and stored."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"page:{path}:{etag.strip(chr(34))}"
    stored = None if wants_fresh(request) else cache.get(key)
    if stored is not None:
        content, content_type = stored
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response.content, response["Content-Type"]), RENDERED_PAGE_SECONDS)
    return response


def wants_fresh(request: HttpRequest) -> bool:
    """The client sent ``Cache-Control: no-cache``: answer from the database, not from a stored copy."""
    return "no-cache" in request.headers.get("Cache-Control", "").lower()


def cacheable(response: HttpResponse) -> HttpResponse:
    """Shared-cache headers for a page with no validator of its own (robots.txt)."""
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
