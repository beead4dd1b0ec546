"""Conditional GET and shared-cache headers for the public pages."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from public.selectors import Freshness

# Short enough that an edit reaches readers within minutes through a shared cache; revalidation
# after that costs the cache one cheap query and a 304.
PUBLIC_MAX_AGE = 300

View = Callable[..., HttpResponse]


def public_page(freshness: Callable[..., Freshness | None]) -> Callable[[View], View]:
    """Answer GET/HEAD only; 304 when the client's copy is current; mark the answer cacheable.

    ``freshness`` takes the view's URL arguments and returns the page's ``Freshness``, or None
    when the page does not exist publicly (the view then gives its 404 or 410).
    """

    def decorator(view: View) -> View:
        @require_safe
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            fresh = freshness(*args, **kwargs)
            if fresh is None:
                return view(request, *args, **kwargs)
            timestamp = int(fresh.last_modified.timestamp())
            response = get_conditional_response(request, etag=fresh.etag, last_modified=timestamp)
            if response is None:
                response = view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                response.headers.setdefault("ETag", fresh.etag)
                response.headers.setdefault("Last-Modified", http_date(timestamp))
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            return response

        return wrapped

    return decorator


def cacheable(response: HttpResponse) -> HttpResponse:
    """Shared-cache headers for a page with no validator of its own (robots.txt)."""
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
