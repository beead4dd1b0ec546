"""Atom feeds: published status updates (the whole tracker, one person, one claim) and the corrections log."""

from __future__ import annotations

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from claims.models import Claim, StatusUpdate
from people.models import Person
from public import selectors
from public.wording import plain_wording

FEED_LENGTH = 50


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def byline(update: StatusUpdate) -> str:
    """The editor's public name; never their login."""
    return update.recorded_by.get_full_name().strip() or "The editors"


def approver(update: StatusUpdate) -> str:
    """The approving editor's public name, for a verdict a second editor approved; else ""."""
    if update.approved_by_id is None:
        return ""
    return update.approved_by.get_full_name().strip() or "another editor"


class UpdatesFeed(Feed):
    """Entry ids are the entries' absolute links (Django's default when ``item_guid`` is not set)."""

    feed_type = Atom1Feed
    title = "Claim status updates"
    subtitle = "Every published change to the status of a claim we track, newest first."

    def link(self) -> str:
        return reverse("public:claim-list")

    def items(self) -> QuerySet[StatusUpdate]:
        return selectors.public_updates()[:FEED_LENGTH]

    def item_title(self, item: StatusUpdate) -> str:
        if item.is_removed:
            return f"Removed: {item.claim.summary}"
        prefix = "Correction: " if item.is_correction else ""
        return f"{prefix}{item.claim.summary} — {item.status.label}"

    def item_description(self, item: StatusUpdate) -> str:
        claim = item.claim
        claim.first_reporter = getattr(item, "claim_first_reporter", "")  # For a paraphrase's reporter.
        if item.is_removed:
            # The entry stays, its content does not: only the dated note a reader sees in the timeline.
            return (
                f"Removed on {_day(timezone.localdate(item.removed_at))}: {item.removal_reason} "
                f"(the status update of {_day(item.effective_on)} on this claim by {claim.claimant.name})."
            )
        return f"{plain_wording(claim)} — {item.status.label} as of {_day(item.effective_on)}. {item.rationale}"

    def item_link(self, item: StatusUpdate) -> str:
        return f"{item.claim.get_absolute_url()}#update-{item.pk}"

    def item_pubdate(self, item: StatusUpdate) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: StatusUpdate) -> datetime.datetime | None:
        return item.removed_at or item.published_at

    def item_author_name(self, item: StatusUpdate) -> str:
        return byline(item)


class PersonUpdatesFeed(UpdatesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        person = selectors.person_for_page(slug)
        if person is None:
            raise Http404("No published claims for this person.")
        return person

    def title(self, obj: Person) -> str:
        return f"Status updates on claims by {obj.name}"

    def subtitle(self, obj: Person) -> str:
        return f"Every published change to the status of a claim by {obj.name}, newest first."

    def link(self, obj: Person) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Person) -> QuerySet[StatusUpdate]:
        return selectors.public_updates().filter(claim__claimant=obj)[:FEED_LENGTH]


class ClaimUpdatesFeed(UpdatesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Claim:
        claim = selectors.public_claims().select_related("claimant").filter(slug=slug).first()
        if claim is None:
            raise Http404("No published claim at this address.")
        return claim

    def title(self, obj: Claim) -> str:
        return f"Status updates: {obj.summary}"

    def subtitle(self, obj: Claim) -> str:
        return f"Every published change to the status of this claim by {obj.claimant.name}, newest first."

    def link(self, obj: Claim) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Claim) -> QuerySet[StatusUpdate]:
        return selectors.public_updates().filter(claim=obj)[:FEED_LENGTH]


class CorrectionsFeed(Feed):
    """The corrections log as Atom: every correction, removal and withdrawal, newest first."""

    feed_type = Atom1Feed
    title = "Corrections log"
    subtitle = "Every correction, removal of a status update and withdrawal of a claim, newest first."

    def link(self) -> str:
        return reverse("public:corrections")

    def items(self) -> list[selectors.LogEntry]:
        return [selectors.log_entry(change) for change in selectors.corrections_log()[:FEED_LENGTH]]

    def item_title(self, item: selectors.LogEntry) -> str:
        if item.claim_is_public:
            return f"{item.what}: {item.claim.summary}"
        return item.what  # A withdrawn claim's wording is not repeated.

    def item_description(self, item: selectors.LogEntry) -> str:
        return f"Why: {item.why}" if item.why else item.what

    def item_link(self, item: selectors.LogEntry) -> str:
        return item.url

    def item_guid(self, item: selectors.LogEntry) -> str:
        # Absolute and permanent whichever host served the feed: the entry's place in the log.
        return urljoin(settings.CLAIMTRACKER_SITE_URL, f"{reverse('public:corrections')}#change-{item.change.pk}")

    def item_pubdate(self, item: selectors.LogEntry) -> datetime.datetime:
        return item.change.recorded_at

    def item_updateddate(self, item: selectors.LogEntry) -> datetime.datetime:
        return item.change.recorded_at

    def item_author_name(self, item: selectors.LogEntry) -> str:
        return "The editors"
