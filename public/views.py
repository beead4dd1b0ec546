"""The reader-facing pages. Only published claims and published status updates appear here."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
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
from claims.scorecards import (
    Scorecard,
    StatusFigure,
    person_series,
    pledges,
    promise_statuses,
    scorecard,
    scorecard_and_claimants,
    term_series,
)
from claims.timeline import latest_in_effect
from claims.wording import plain_wording
from claimtracker.page_cache import cacheable, public_page
from people.models import Person, Term
from public import selectors
from public.filters import ClaimFilter, as_of_from
from public.scorecard_chart import ProgressChart, progress_chart

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


# --- scorecards --------------------------------------------------------------------------------

# A term's id in a comparison's address: digits, no more than a big integer column holds.
LARGEST_ID = 2**63 - 1
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _percent(figure: StatusFigure) -> str:
    return _("%(status)s %(percent)s%%") % {"status": figure.status.label, "percent": figure.percent}


def _card_summary(subject: str, card: Scorecard) -> str:
    """The scorecard in one sentence, for the page's description and its share image's alt text."""
    pledges_counted = ngettext("%(subject)s: %(count)s pledge.", "%(subject)s: %(count)s pledges.", card.total) % {
        "subject": subject,
        "count": intcomma(card.total),
    }
    if not card.final_total:
        no_verdicts = _("No verdicts yet.")
        return f"{pledges_counted} {no_verdicts}"
    shares = ", ".join(_percent(figure) for figure in card.verdicts)
    verdicts = ngettext(
        "%(shares)s of %(count)s pledge with a verdict.",
        "%(shares)s of %(count)s pledges with a verdict.",
        card.final_total,
    ) % {"shares": shares, "count": intcomma(card.final_total)}
    return f"{pledges_counted} {verdicts}"


def _share_image(request: HttpRequest, as_of: datetime.date | None, name: str, **kwargs: object) -> str:
    """The scorecard's share image, only for today's figures: the image shows the record as it stands."""
    return "" if as_of is not None else request.build_absolute_uri(reverse(name, kwargs=kwargs or None))


def _dated(request: HttpRequest, path: str, as_of: datetime.date | None) -> str:
    """The page's canonical address: a dated page is its own (its figures differ from today's)."""
    return request.build_absolute_uri(f"{path}?{urlencode({'as_of': as_of.isoformat()})}" if as_of else path)


@public_page(lambda: freshness.scorecard_freshness("scorecards"))
def scorecards(request: HttpRequest) -> HttpResponse:
    """The whole tracker's scorecard (or a topic's), with the people and terms that have their own."""
    topic = None
    topic_slug = request.GET.get("topic", "").strip()
    if topic_slug:
        topic = selectors.topic_by_slug(topic_slug)
        if topic is None:
            return _not_found(
                request,
                title=_("Topic not found"),
                message=_("We have no topic at the address “%(address)s”, so there is no scorecard for it.")
                % {"address": topic_slug[:60]},
            )
    as_of, as_of_problem = as_of_from(request)
    card, claimants = scorecard_and_claimants(pledges(topic=topic), as_of=as_of)
    subject = _("Pledges on %(topic)s") % {"topic": topic.name} if topic else _("All pledges we track")
    path = reverse("public:scorecards")
    query = {"topic": topic.slug} if topic else {}
    today_url = f"{path}?{urlencode(query)}" if query else path
    if as_of is not None:
        query["as_of"] = as_of.isoformat()
    return render(
        request,
        "public/scorecard.html",
        {
            "kind": "topic" if topic else "tracker",
            "today_url": today_url,
            "topic": topic,
            "card": card,
            "subject": subject,
            "topics": selectors.topics_listed(),
            # The tracker's (not a topic's) people: from the same count when there is no topic.
            "people": selectors.people_with_pledges(counts=None if topic else claimants),
            "terms": selectors.terms_listed(),
            "listed": selectors.SCORECARDS_LISTED,
            "as_of": as_of,
            "as_of_problem": as_of_problem,
            "page_description": _card_summary(subject, card),
            "share_image_url": "" if topic else _share_image(request, as_of, "embeds:tracker-scorecard-image"),
            "canonical_url": request.build_absolute_uri(f"{path}?{urlencode(query)}" if query else path),
        },
    )


@public_page(lambda slug: freshness.scorecard_freshness("person", slug))
def person_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.scorecard_person(slug)
    if person is None:
        return _not_found(
            request,
            title=_("Person not found"),
            message=_("We track no published claims for anyone at this address."),
        )
    as_of, as_of_problem = as_of_from(request)
    statuses = promise_statuses()
    card = scorecard(pledges(person=person), as_of=as_of, statuses=statuses)
    chart = progress_chart(person_series(person, as_of=as_of, statuses=statuses))
    return render(
        request,
        "public/scorecard.html",
        {
            "kind": "person",
            "today_url": request.path,
            "person": person,
            "card": card,
            "chart": chart,
            "subject": person.name,
            "terms": selectors.terms_of(person),
            "compare_key": f"person:{person.slug}",
            "as_of": as_of,
            "as_of_problem": as_of_problem,
            "page_description": _card_summary(person.name, card),
            "share_image_url": _share_image(request, as_of, "embeds:person-scorecard-image", slug=person.slug),
            "canonical_url": _dated(request, reverse("public:person-scorecard", kwargs={"slug": person.slug}), as_of),
        },
    )


def _term_subject(term: Term) -> str:
    return _("%(name)s, %(office)s") % {"name": term.person.name, "office": term.office}


@public_page(lambda pk: freshness.scorecard_freshness("term", pk))
def term_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    term = selectors.scorecard_term(pk) if pk <= LARGEST_ID else None
    if term is None:
        return _not_found(
            request,
            title=_("Term of office not found"),
            message=_("We have no term of office at this address."),
        )
    as_of, as_of_problem = as_of_from(request)
    statuses = promise_statuses()
    card = scorecard(pledges(term=term), as_of=as_of, term=term, statuses=statuses)
    chart = progress_chart(term_series(term, as_of=as_of, statuses=statuses))
    subject = _term_subject(term)
    return render(
        request,
        "public/scorecard.html",
        {
            "kind": "term",
            "today_url": request.path,
            "term": term,
            "person": term.person,
            "card": card,
            "chart": chart,
            "subject": subject,
            "compare_key": f"term:{term.pk}",
            "as_of": as_of,
            "as_of_problem": as_of_problem,
            "page_description": _card_summary(subject, card),
            "share_image_url": _share_image(request, as_of, "embeds:term-scorecard-image", pk=term.pk),
            "canonical_url": _dated(request, term.get_absolute_url(), as_of),
        },
    )


@dataclass(frozen=True)
class ComparedSide:
    key: str  # "person:<slug>" or "term:<pk>", as in the address
    subject: str
    url: str
    card: Scorecard
    chart: ProgressChart
    person: Person
    term: Term | None = None
    prefix: str = "side"  # for the ids of its parts on the page


class _Malformed(ValueError):
    pass


def _compare_key(raw: str) -> tuple[str, str]:
    """("person", slug) or ("term", pk) from "person:<slug>" / "term:<pk>"; ``_Malformed`` otherwise."""
    kind, separator, key = raw.partition(":")
    if separator and kind == "person" and SLUG.fullmatch(key):
        return kind, key
    if separator and kind == "term" and key.isascii() and key.isdigit() and 0 < int(key) <= LARGEST_ID:
        return kind, str(int(key))
    raise _Malformed(raw)


def _compared(kind: str, key: str, *, as_of: datetime.date | None, statuses: list[Status]) -> ComparedSide | None:
    if kind == "person":
        person = selectors.scorecard_person(key)
        if person is None:
            return None
        return ComparedSide(
            key=f"person:{person.slug}",
            subject=person.name,
            url=reverse("public:person-scorecard", kwargs={"slug": person.slug}),
            card=scorecard(pledges(person=person), as_of=as_of, statuses=statuses),
            chart=progress_chart(person_series(person, as_of=as_of, statuses=statuses)),
            person=person,
        )
    term = selectors.scorecard_term(int(key))
    if term is None:
        return None
    return ComparedSide(
        key=f"term:{term.pk}",
        subject=_term_subject(term),
        url=term.get_absolute_url(),
        card=scorecard(pledges(term=term), as_of=as_of, term=term, statuses=statuses),
        chart=progress_chart(term_series(term, as_of=as_of, statuses=statuses)),
        person=term.person,
        term=term,
    )


def _term_choice(term: Term) -> str:
    return _("%(subject)s, from %(day)s") % {"subject": _term_subject(term), "day": describe_day(term.starts_on)}


def _compare_choices(sides: list[ComparedSide]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The comparison form's options: the people and terms the scorecards page lists, and those compared."""
    people = [(f"person:{person.slug}", person.name) for person in selectors.people_with_pledges()]
    terms = [(f"term:{term.pk}", _term_choice(term)) for term in selectors.terms_listed()]
    listed = {value for value, _label in people + terms}
    for side in sides:
        if side.key not in listed:
            if side.term is None:
                people.append((side.key, side.subject))
            else:
                terms.append((side.key, _term_choice(side.term)))
    return [(_("People"), people), (_("Terms of office"), terms)]


@public_page(lambda: freshness.scorecard_freshness("compare"))
def compare(request: HttpRequest) -> HttpResponse:
    """Two scorecards side by side: ``?a=person:<slug>&b=term:<pk>``, any mix; a form to choose them."""
    as_of, as_of_problem = as_of_from(request)
    chosen = {name: request.GET.get(name, "").strip() for name in ("a", "b")}
    problems: list[str] = []
    status = 200
    keys: dict[str, tuple[str, str]] = {}
    for name, raw in chosen.items():
        if not raw:
            continue
        try:
            keys[name] = _compare_key(raw)
        except _Malformed:
            problems.append(
                _(
                    "“%(value)s” is not a scorecard we can compare: choose one below "
                    "(the address names one as person:<name> or term:<number>)."
                )
                % {"value": raw[:60]}
            )
            status = 400
    sides: dict[str, ComparedSide] = {}
    if status == 200 and len(keys) == 2:
        statuses = promise_statuses()
        for name, (kind, key) in keys.items():
            side = _compared(kind, key, as_of=as_of, statuses=statuses)
            if side is None:
                problems.append(
                    _("We have no scorecard for “%(value)s”: choose one below.") % {"value": chosen[name][:60]}
                )
                status = 404
            else:
                sides[name] = dataclasses.replace(side, prefix=f"side-{name}")
    elif status == 200:
        problems.append(_("Choose two scorecards to compare: two people, two terms of office, or one of each."))
    compared = [sides["a"], sides["b"]] if len(sides) == 2 and status == 200 else []
    path = reverse("public:compare")
    query = {"a": compared[0].key, "b": compared[1].key} if compared else {}
    today_url = f"{path}?{urlencode(query)}" if query else path
    if compared and as_of is not None:
        query["as_of"] = as_of.isoformat()
    title = (
        _("%(first)s and %(second)s compared") % {"first": compared[0].subject, "second": compared[1].subject}
        if compared
        else _("Compare scorecards")
    )
    return render(
        request,
        "public/compare.html",
        {
            "sides": compared,
            "today_url": today_url,
            "title": title,
            "problems": problems,
            "chosen": {**chosen, **{name: side.key for name, side in sides.items()}},
            "choices": _compare_choices(compared),
            "as_of": as_of,
            "as_of_problem": as_of_problem,
            "page_description": " ".join(_card_summary(side.subject, side.card) for side in compared)
            or _("Compare the pledges of two people or two terms of office, and how they stood week by week."),
            "canonical_url": request.build_absolute_uri(f"{path}?{urlencode(query)}" if query else path),
        },
        status=status,
    )
