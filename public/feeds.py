"""Atom feeds: published status updates (the whole tracker, one person, one claim) and the corrections log.

Standard Atom (RFC 4287) that a reader can trust, whatever editors typed:

- every text construct is plain text (``type="text"``): a rationale, a name or a status label is
  never handed to a feed reader as markup to render;
- ids are absolute and permanent, built from ``CLAIMTRACKER_SITE_URL`` and never from the request's
  Host header: a status update's id is a tag URI of its primary key, so renaming a claim's slug
  does not make readers see its updates again;
- each feed is served through ``claimtracker.page_cache.public_page``, like the pages: ETag, Last-Modified,
  a 304 without a body for a current copy, and the same shared-cache headers.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator

from claims import freshness
from claims.dates import describe_day
from claims.models import Claim, StatusUpdate
from claims.wording import plain_wording
from claimtracker.page_cache import public_page
from people.models import Person
from public import selectors

FEED_LENGTH = 50

# Characters XML 1.0 cannot carry. Word pastes a line break as a vertical tab (\x0b); left in, it
# would make Django's XML writer raise and the feed answer 500.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def byline(update: StatusUpdate) -> str:
    """The editor's public name; never their login."""
    return update.recorded_by.get_full_name().strip() or _("The editors")


def approver(update: StatusUpdate) -> str:
    """The approving editor's public name, for a verdict a second editor approved; else ""."""
    if update.approved_by is None:
        return ""
    return update.approved_by.get_full_name().strip() or _("another editor")


def site_url(path: str) -> str:
    """``path`` as an absolute URL on the site's public address (never the request's Host)."""
    return urljoin(settings.CLAIMTRACKER_SITE_URL, path)


def tag_uri(day: datetime.date, specific: str) -> str:
    """A tag URI (RFC 4151) on the site's host name: ``tag:claims.example,2024-11-07:update-7``."""
    return f"tag:{urlsplit(settings.CLAIMTRACKER_SITE_URL).hostname},{day:%Y-%m-%d}:{specific}"


class _XMLText(SimplerXMLGenerator):
    def characters(self, content: str) -> None:
        super().characters(_NOT_XML.sub(" ", content))


class PlainTextAtomFeed(Atom1Feed):
    """Django's Atom writer with plain-text summaries, XML-safe text and a fixed date for an empty feed."""

    def write(self, outfile: Any, encoding: str) -> None:
        # Django's own ``write``, with a writer that blanks what XML 1.0 cannot carry.
        handler = _XMLText(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # A dict, as Django's own ``write`` passes: XMLGenerator reads any mapping of attributes.
        handler.startElement("feed", self.root_attributes())  # type: ignore[arg-type]
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        # Django writes summaries as type="html"; ours are text, so a reader shows them as text.
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})

    def latest_post_date(self) -> datetime.datetime:
        # Django falls back to "now" for a feed without entries: the body would change on every
        # request under an unchanged ETag.
        if not self.items:
            return self.feed["updated_when_empty"]
        return super().latest_post_date()


class AtomFeed(Feed):
    """What every feed here shares: the writer, the permanent feed id, the publisher as author."""

    feed_type = PlainTextAtomFeed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # Django dates the response by its newest entry; ``public_page`` gives the Last-Modified
        # its conditional check uses, so a client's If-Modified-Since means the same to both.
        del response.headers["Last-Modified"]
        return response

    def feed_guid(self, obj: Any) -> str:
        # Django's (private) resolver of a feed attribute, which the stubs leave out.
        return site_url(self._get_dynamic_attr("link", obj))  # type: ignore[attr-defined]

    def author_name(self) -> str:
        return settings.CLAIMTRACKER_PUBLISHER_NAME

    def author_link(self) -> str:
        return settings.CLAIMTRACKER_SITE_URL

    def feed_extra_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"updated_when_empty": self.updated_when_empty(obj)}

    def updated_when_empty(self, obj: Any) -> datetime.datetime:
        return freshness.EPOCH


class StatusUpdatesFeed(AtomFeed):
    """The entries of a feed of published status updates; each feed says which updates."""

    def item_title(self, item: StatusUpdate) -> str:
        if item.is_removed:
            return _("Removed: %(claim)s") % {"claim": item.claim.summary}
        values = {"claim": item.claim.summary, "status": item.status.label}
        if item.is_correction:
            return _("Correction: %(claim)s — %(status)s") % values
        return _("%(claim)s — %(status)s") % values

    def item_description(self, item: StatusUpdate) -> str:
        claim = item.claim
        # For a paraphrase's reporter: ``plain_wording`` reads it as ``with_wording`` annotates it.
        claim.first_reporter = getattr(item, "claim_first_reporter", "")  # type: ignore[attr-defined]
        if item.is_removed:
            # The entry stays, its content does not: only the dated note a reader sees in the timeline.
            return _(
                "Removed on %(removed_on)s: %(reason)s "
                "(the status update of %(effective_on)s on this claim by %(claimant)s)."
            ) % {
                "removed_on": describe_day(timezone.localdate(item.removed_at)),
                "reason": item.removal_reason,
                "effective_on": describe_day(item.effective_on),
                "claimant": claim.claimant.name,
            }
        return _("%(claim)s — %(status)s as of %(effective_on)s. %(rationale)s") % {
            "claim": plain_wording(claim),
            "status": item.status.label,
            "effective_on": describe_day(item.effective_on),
            "rationale": item.rationale,
        }

    def item_link(self, item: StatusUpdate) -> str:
        return f"{item.claim.get_absolute_url()}#update-{item.pk}"

    def item_guid(self, item: StatusUpdate) -> str:
        # Not the link: a claim's slug can be edited, and an entry's id must never change.
        published_at = cast(datetime.datetime, item.published_at)  # The feeds hold published updates only.
        return tag_uri(published_at.astimezone(datetime.UTC).date(), f"update-{item.pk}")

    def item_pubdate(self, item: StatusUpdate) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: StatusUpdate) -> datetime.datetime | None:
        return item.removed_at or item.published_at

    def item_author_name(self, item: StatusUpdate) -> str:
        return byline(item)


class UpdatesFeed(StatusUpdatesFeed):
    title = gettext_lazy("Claim status updates")
    subtitle = gettext_lazy("Every published change to the status of a claim we track, newest first.")

    def link(self) -> str:
        return reverse("public:claim-list")

    def items(self) -> QuerySet[StatusUpdate]:
        return selectors.public_updates()[:FEED_LENGTH]


class PersonUpdatesFeed(StatusUpdatesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        person = selectors.person_for_page(slug)
        if person is None:
            raise Http404(_("No published claims for this person."))
        return person

    def title(self, obj: Person) -> str:
        return _("Status updates on claims by %(name)s") % {"name": obj.name}

    def subtitle(self, obj: Person) -> str:
        return _("Every published change to the status of a claim by %(name)s, newest first.") % {"name": obj.name}

    def link(self, obj: Person) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Person) -> QuerySet[StatusUpdate]:
        return selectors.public_updates().filter(claim__claimant=obj)[:FEED_LENGTH]


class ClaimUpdatesFeed(StatusUpdatesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Claim:
        claim = Claim.objects.published().select_related("claimant").filter(slug=slug).first()
        if claim is None:
            raise Http404(_("No published claim at this address."))
        return claim

    def title(self, obj: Claim) -> str:
        return _("Status updates: %(claim)s") % {"claim": obj.summary}

    def subtitle(self, obj: Claim) -> str:
        return _("Every published change to the status of this claim by %(name)s, newest first.") % {
            "name": obj.claimant.name
        }

    def link(self, obj: Claim) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Claim) -> QuerySet[StatusUpdate]:
        return selectors.public_updates().filter(claim=obj)[:FEED_LENGTH]

    def updated_when_empty(self, obj: Claim) -> datetime.datetime:
        return obj.published_at or freshness.EPOCH


class CorrectionsFeed(AtomFeed):
    """The corrections log as Atom: every correction, removal and withdrawal, newest first."""

    title = gettext_lazy("Corrections log")
    subtitle = gettext_lazy("Every correction, removal of a status update and withdrawal of a claim, newest first.")

    def link(self) -> str:
        return reverse("public:corrections")

    def items(self) -> list[selectors.LogEntry]:
        return [selectors.log_entry(change) for change in selectors.corrections_log()[:FEED_LENGTH]]

    def item_title(self, item: selectors.LogEntry) -> str:
        if item.claim_is_public:
            # Translators: what changed ("Status corrected from False to True"), then the claim's summary.
            return _("%(change)s: %(claim)s") % {"change": item.what, "claim": item.claim.summary}
        return item.what  # A withdrawn claim's wording is not repeated.

    def item_description(self, item: selectors.LogEntry) -> str:
        return _("Why: %(reason)s") % {"reason": item.why} if item.why else item.what

    def item_link(self, item: selectors.LogEntry) -> str:
        return item.url

    def item_guid(self, item: selectors.LogEntry) -> str:
        # Absolute and permanent whichever host served the feed: the entry's place in the log.
        return site_url(f"{reverse('public:corrections')}#change-{item.change.pk}")

    def item_pubdate(self, item: selectors.LogEntry) -> datetime.datetime:
        return item.change.recorded_at

    def item_updateddate(self, item: selectors.LogEntry) -> datetime.datetime:
        return item.change.recorded_at

    def item_author_name(self, item: selectors.LogEntry) -> str:
        return _("The editors")


# The views the URLs route to: one conditional-GET and cache rule with the pages (``public_page``),
# each feed validated by the freshness of the page it follows.
updates_feed = public_page(lambda: freshness.site_freshness("updates-feed"))(UpdatesFeed())
claim_feed = public_page(freshness.claim_freshness)(ClaimUpdatesFeed())
person_feed = public_page(freshness.person_freshness)(PersonUpdatesFeed())
corrections_feed = public_page(lambda: freshness.site_freshness("corrections-feed"))(CorrectionsFeed())
