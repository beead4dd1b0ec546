"""Open Graph / Twitter card images of claims and scorecards (being built: answers 404 until then)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def claim_image(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def person_scorecard_image(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def term_scorecard_image(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def tracker_scorecard_image(request: HttpRequest) -> HttpResponse:
    raise Http404
