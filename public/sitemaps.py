"""sitemap.xml: the fixed pages (the corrections log among them), every published claim and everyone with one,
in every language of the site."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from claims.models import Claim
from people.models import Person
from public import selectors


class LanguageSitemap(Sitemap):
    """Each page once per language, with its other languages as hreflang alternates (English the x-default)."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(LanguageSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["public:home", "public:claim-list", "public:methodology", "public:corrections"]

    def location(self, item: str) -> str:
        return reverse(item)


class ClaimSitemap(LanguageSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Claim]:
        return Claim.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Claim) -> datetime.datetime:
        return item.updated_at


class PersonSitemap(LanguageSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Person]:
        return selectors.people_tracked().order_by("pk")

    def lastmod(self, item: Person) -> datetime.datetime:
        return item.updated_at


SITEMAPS = {"pages": PageSitemap, "claims": ClaimSitemap, "people": PersonSitemap}
