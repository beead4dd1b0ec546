"""The reader-facing pages. Only published claims and published status updates appear here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from claims import freshness
from claims.as_of import show_status_as_of
from claims.claimreview import claim_review
from claims.dates import describe_day
from claims.models import Claim, ClaimKind, Status
from claims.timeline import latest_in_effect
from claims.wording import plain_wording
from claimtracker.page_cache import cacheable, public_page
from public import selectors
from public.filters import ClaimFilter, as_of_from

CLAIMS_PER_PAGE = 20
# The list counts at most this many matches ("more than 1,000 claims") and pages through them: a
# COUNT(*) over a million claims, or an OFFSET deep into them, costs more than any reader gains.
# Narrower filters, search or another sort reach the rest.
LIST_COUNT_CAP = 1000
PEOPLE_ON_HOME = 60
CORRECTIONS_PER_PAGE = 20


class CappedPaginator(Paginator):
    """A paginator that counts at most ``LIST_COUNT_CAP`` rows: one LIMITed count, never a full one."""

    @cached_property
    def matches(self) -> int:
        """How many rows match, counting no further than one past the cap."""
        # Only the ids: the annotations that word each claim on the page are not worth computing here.
        # Unordered: with the list's ORDER BY, PostgreSQL sorted every match of a common search word
        # to keep the first 1,001 (240 ms for 50,000 matches at 1M claims); without it, it stops there (18 ms).
        rows = cast("QuerySet[Any]", self.object_list)  # The lists it pages are querysets.
        return rows.order_by().values("pk")[: LIST_COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.matches, LIST_COUNT_CAP)

    @property
    def is_capped(self) -> bool:
        return self.matches > LIST_COUNT_CAP


def _not_found(
    request: HttpRequest, *, title: str, message: str, status: int = 404, extra: dict | None = None
) -> HttpResponse:
    context = {"title": title, "message": message, **(extra or {})}
    return render(request, "public/not_found.html", context, status=status)


@public_page(lambda: freshness.site_freshness("home"))
def home(request: HttpRequest) -> HttpResponse:
    as_of, as_of_problem = as_of_from(request)
    return render(
        request,
        "public/home.html",
        {
            "as_of": as_of,
            "as_of_problem": as_of_problem,
            "scales": selectors.status_counts(as_of=as_of),
            "recent_claims": selectors.recently_updated_claims(),
            "people": selectors.people_tracked()[:PEOPLE_ON_HOME],
            "canonical_url": request.build_absolute_uri(reverse("public:home")),
        },
    )


def _list_has_pages(pages: int, page: str) -> str:
    return ngettext(
        "This list has %(pages)d page; “page %(page)s” is not one of them.",
        "This list has %(pages)d pages; “page %(page)s” is not one of them.",
        pages,
    ) % {"pages": pages, "page": page}


def _corrections_log_has_pages(pages: int, page: str) -> str:
    return ngettext(
        "The corrections log has %(pages)d page; “page %(page)s” is not one of them.",
        "The corrections log has %(pages)d pages; “page %(page)s” is not one of them.",
        pages,
    ) % {"pages": pages, "page": page}


def _requested_page(
    request: HttpRequest, paginator: Paginator, *, title: str, has_pages: Callable[[int, str], str]
) -> Page[Any] | HttpResponse:
    """The page the query asks for, or a 404 page that says how many pages the listing has.

    ``has_pages(pages, page)`` words that message: one whole sentence per listing, for translators.
    """
    raw_page = request.GET.get("page", "1")
    if raw_page.isdigit() and 1 <= int(raw_page) <= paginator.num_pages:
        return paginator.page(int(raw_page))
    return _not_found(request, title=title, message=has_pages(paginator.num_pages, raw_page[:20]))


@public_page(lambda: freshness.site_freshness("claim-list"))
def claim_list(request: HttpRequest) -> HttpResponse:
    claim_filter = ClaimFilter(request.GET, queryset=selectors.claim_list_queryset(), request=request)
    paginator = CappedPaginator(claim_filter.ordered(), CLAIMS_PER_PAGE)
    page = _requested_page(request, paginator, title=_("No such page of claims"), has_pages=_list_has_pages)
    if isinstance(page, HttpResponse):
        return page
    if claim_filter.as_of_date is not None:
        page.object_list = show_status_as_of(page.object_list)
    active = claim_filter.active
    list_url = reverse("public:claim-list")
    canonical_query = {**active, **({"page": str(page.number)} if page.number > 1 else {})}
    return render(
        request,
        "public/claim_list.html",
        {
            "filter": claim_filter,
            "form": claim_filter.form,
            "as_of": claim_filter.as_of_date,
            "page": page,
            "elided_pages": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "claims": page.object_list,
            "active": active,
            "page_query": urlencode(active),
            "has_filters": bool({key for key in active if key != "sort"}),
            "canonical_url": request.build_absolute_uri(
                f"{list_url}?{urlencode(canonical_query)}" if canonical_query else list_url
            ),
        },
    )


def _claim_absent(request: HttpRequest, slug: str) -> HttpResponse:
    withdrawn = Claim.objects.withdrawal_notice(slug)
    if withdrawn is not None:
        # 410 rather than 404: the claim was public, and a reader following an old link should learn
        # that the editors took it down on purpose, when and why, not that the link is broken.
        if withdrawn.withdrawn_at:
            message = _(
                "The editors withdrew this claim from publication on %(day)s, so we no longer show it or its status."
            ) % {"day": describe_day(timezone.localdate(withdrawn.withdrawn_at))}
        else:
            message = _("The editors withdrew this claim from publication, so we no longer show it or its status.")
        reason = withdrawn.withdrawal_reason.strip()
        if reason:
            message += " " + _("Their reason: %(reason)s") % {"reason": reason}
        return _not_found(
            request,
            title=_("This claim was withdrawn"),
            message=message,
            status=410,
            extra={"withdrawn": True},
        )
    return _not_found(request, title=_("Claim not found"), message=_("We have no published claim at this address."))


def _page_description(claim: Claim) -> str:
    # A paraphrase is worded as reported speech, never in quotation marks (see claims.wording).
    return _("%(claim)s Status: %(status)s.") % {"claim": plain_wording(claim), "status": claim.current_status.label}


def _show_as_of(claim: Claim) -> None:
    """Make the claim, its plan's parts and its own parts present their status as of the page's date."""
    components = list(claim.components.all())
    siblings = list(claim.parent.components.all()) if claim.parent is not None else []
    statuses: dict[int, Status] = Status.objects.in_bulk()
    show_status_as_of([claim, *components, *siblings], statuses=statuses)


@public_page(freshness.claim_freshness)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    as_of, as_of_problem = as_of_from(request)
    claim = selectors.claim_for_page(slug, as_of=as_of)
    if claim is None and as_of is not None:
        claim = selectors.claim_for_page(slug)
        if claim is not None:
            as_of_problem = _(
                "This claim was not yet on our record at the end of %(day)s, "
                "so this shows the record as it stands today."
            ) % {"day": describe_day(as_of)}
            as_of = None
    if claim is None:
        return _claim_absent(request, slug)
    timeline = selectors.claim_timeline(claim)
    url = request.build_absolute_uri(claim.get_absolute_url())
    parent = claim.parent if claim.parent is not None and claim.parent.is_public else None
    if as_of is not None:
        _show_as_of(claim)
    entries = selectors.timeline_entries(timeline, as_of=as_of)
    latest = latest_in_effect(timeline)
    return render(
        request,
        "public/claim_detail.html",
        {
            "claim": claim,
            "timeline": entries,
            "latest_update": latest,
            "appearances": list(claim.appearances.all()),
            "parent": parent,
            "parent_rollup": parent.status_rollup() if parent is not None else [],
            "components": list(claim.components.all()),
            "rollup": claim.status_rollup() if claim.kind == ClaimKind.PLAN else [],
            # A search engine reads the verdict as it stands, never an earlier one.
            "claim_review": claim_review(claim, url=url, latest_update=latest) if as_of is None else None,
            "page_description": _page_description(claim),
            "today": as_of or timezone.localdate(),
            "as_of": as_of,
            "as_of_problem": as_of_problem,
            "canonical_url": url,
        },
    )


def _person_description(name: str, role: str, count: int) -> str:
    """The person page's meta description: who they are and how many of their claims we track."""
    if role:
        return ngettext(
            "%(name)s, %(role)s: %(count)d tracked claim and where each one stands.",
            "%(name)s, %(role)s: %(count)d tracked claims and where each one stands.",
            count,
        ) % {"name": name, "role": role, "count": count}
    return ngettext(
        "%(name)s: %(count)d tracked claim and where each one stands.",
        "%(name)s: %(count)d tracked claims and where each one stands.",
        count,
    ) % {"name": name, "count": count}


@public_page(freshness.person_freshness)
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.person_for_page(slug)
    if person is None:
        return _not_found(
            request,
            title=_("Person not found"),
            message=_("We track no published claims for anyone at this address."),
        )
    as_of, as_of_problem = as_of_from(request)
    groups = selectors.person_claims_by_status(person, as_of=as_of)
    return render(
        request,
        "public/person_detail.html",
        {
            "person": person,
            "groups": groups,
            "claim_total": sum(group.count for group in groups),
            "as_of": as_of,
            "as_of_problem": as_of_problem,
            "page_description": _person_description(person.name, person.role, person.published_claim_count),
            "canonical_url": request.build_absolute_uri(person.get_absolute_url()),
        },
    )


@public_page(lambda: freshness.site_freshness("methodology", settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL))
def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/methodology.html",
        {
            "scales": selectors.statuses_by_scale(),
            "approval_required": settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL,
            "canonical_url": request.build_absolute_uri(reverse("public:methodology")),
        },
    )


@public_page(lambda: freshness.site_freshness("corrections"))
def corrections(request: HttpRequest) -> HttpResponse:
    """The corrections log: every correction, removal and withdrawal, newest first."""
    person = None
    person_slug = request.GET.get("person", "").strip()
    if person_slug:
        person = selectors.person_by_slug(person_slug)
        if person is None:
            return _not_found(
                request,
                title=_("No such person"),
                message=_("We track nobody at the address “%(address)s”, so there is no corrections log for them.")
                % {"address": person_slug[:60]},
            )
    paginator = Paginator(selectors.corrections_log(person), CORRECTIONS_PER_PAGE)
    page = _requested_page(
        request, paginator, title=_("No such page of corrections"), has_pages=_corrections_log_has_pages
    )
    if isinstance(page, HttpResponse):
        return page
    # Its changes are replaced by their log entries.
    page.object_list = [selectors.log_entry(change) for change in page.object_list]
    query = {"person": person.slug} if person else {}
    canonical_query = {**query, **({"page": str(page.number)} if page.number > 1 else {})}
    log_url = reverse("public:corrections")
    return render(
        request,
        "public/corrections.html",
        {
            "page": page,
            "entries": page.object_list,
            "person": person,
            "page_query": urlencode(query),
            "canonical_url": request.build_absolute_uri(
                f"{log_url}?{urlencode(canonical_query)}" if canonical_query else log_url
            ),
        },
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("public:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "", f"Sitemap: {sitemap}", ""]
    return cacheable(HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8"))
