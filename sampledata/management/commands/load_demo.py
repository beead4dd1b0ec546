"""Load the demo people, claims, sources and status updates. Safe to run again.

The demo is a record as it stood on 7 and 8 November 2024: claims and verdicts are dated when the
desk would have entered them, each verdict cites the article, and its wording and date precision
are those set out in ``sampledata.demo``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import services
from claims.models import Claim, Status
from people.models import Person
from people.services import person_save
from sampledata import demo

DEMO_EDITOR_USERNAME = "demo-desk"
SINGULAR = {"people": "person", "sources": "source", "claims": "claim", "status updates": "status update"}


def at_noon(day: datetime.date) -> datetime.datetime:
    """The demo record is dated as if the desk had entered it when the article appeared."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = "Load the demo data (claims reported in a November 2024 article). Running it twice changes nothing."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL and not self._already_loaded():
            # Its verdicts would wait for a second editor today instead of standing as published in 2024.
            raise CommandError(
                "The demo is a record published in November 2024; load it with CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL "
                "off (REQUIRE_VERDICT_APPROVAL=false), then turn approval back on."
            )
        User = get_user_model()
        editor, _ = User.objects.get_or_create(
            username=DEMO_EDITOR_USERNAME,
            defaults={"first_name": "Demo", "last_name": "desk", "is_active": False},
        )
        created = {"people": 0, "sources": 0, "claims": 0, "status updates": 0}

        people: dict[str, Person] = {}
        for person_entry in demo.PEOPLE:
            person = Person.objects.filter(slug=person_entry.slug).first()
            if person is None:
                person = person_save(
                    person=Person(
                        slug=person_entry.slug,
                        name=person_entry.name,
                        kind=person_entry.kind,
                        role=person_entry.role,
                        country=person_entry.country,
                        bio=person_entry.bio,
                        wikidata_id=person_entry.wikidata_id,
                    ),
                    saved_by=editor,
                )
                created["people"] += 1
            people[person_entry.slug] = person

        article, article_is_new = services.source_get_or_create(
            url=demo.ARTICLE_URL,
            title=demo.ARTICLE_TITLE,
            publisher=demo.PUBLISHER_NAME,
            published_on=demo.ARTICLE_DATE,
            saved_by=editor,
        )
        created["sources"] += int(article_is_new)

        for entry in demo.CLAIMS:
            if Claim.objects.filter(slug=entry.slug).exists():
                continue
            claim = services.claim_create(
                claimant=people[entry.claimant],
                kind=entry.kind,
                quote=entry.quote,
                wording=entry.wording,
                wording_source=article,
                original_language=entry.original_language,
                summary=entry.summary,
                slug=entry.slug,
                made_on=entry.made_on,
                made_on_precision=entry.made_on_precision,
                made_until=entry.made_until,
                deadline=entry.deadline,
                parent=Claim.objects.get(slug=entry.parent) if entry.parent else None,
                topics=[services.topic_get_or_create(name=name) for name in entry.topics],
                must_act=[people[slug] for slug in entry.must_act],
                appearances=[services.AppearanceInput(article, is_first_appearance=True, excerpt=entry.excerpt)],
                visibility="published",
                published_at=at_noon(demo.ARTICLE_DATE),
                created_by=editor,
            )
            created["claims"] += 1
            previous = None
            for update in entry.updates:
                previous = services.claim_record_status(
                    claim=claim,
                    status=Status.objects.get(scale=claim.scale, slug=update.status),
                    effective_on=update.effective_on,
                    rationale=update.rationale,
                    evidence=[article],
                    corrects=previous if update.corrects_previous else None,
                    recorded_by=editor,
                    recorded_at=at_noon(update.recorded_on),
                )
                created["status updates"] += 1

        if not any(created.values()):
            self.stdout.write("Demo data is already loaded; nothing changed.")
            return
        summary = ", ".join(f"{count} {name if count != 1 else SINGULAR[name]}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded demo data: {summary}."))

    @staticmethod
    def _already_loaded() -> bool:
        return Claim.objects.filter(slug__in=[entry.slug for entry in demo.CLAIMS]).count() == len(demo.CLAIMS)
