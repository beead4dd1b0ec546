"""Atom feeds of published status updates: the whole tracker, one person, one claim."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.models import Claim, StatusUpdate
from people.models import Person
from public import selectors

FEED_LENGTH = 50


def byline(update: StatusUpdate) -> str:
    """The editor's public name; never their login."""
    return update.recorded_by.get_full_name().strip() or "The editors"


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = "Claim status updates"
    subtitle = "Every published change to the status of a claim we track, newest first."

    def link(self) -> str:
        return reverse("public:claim-list")

    def items(self) -> QuerySet[StatusUpdate]:
        return selectors.public_updates()[:FEED_LENGTH]

    def item_title(self, item: StatusUpdate) -> str:
        prefix = "Correction: " if item.is_correction else ""
        return f"{prefix}{item.claim.summary} — {item.status.label}"

    def item_description(self, item: StatusUpdate) -> str:
        return f"{item.claim.claimant.name}: {item.status.label} as of {item.effective_on:%d %B %Y}. {item.rationale}"

    def item_link(self, item: StatusUpdate) -> str:
        return f"{item.claim.get_absolute_url()}#update-{item.pk}"

    def item_guid(self, item: StatusUpdate) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: StatusUpdate) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: StatusUpdate) -> datetime.datetime | None:
        return item.published_at

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
