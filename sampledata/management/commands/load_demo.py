"""Load the demo people, claims, sources and status updates. Safe to run again.

The demo is a record as it stood on 7 and 8 November 2024: claims and verdicts are dated when the
desk would have entered them, each verdict cites the article, and its wording and date precision
are those set out in ``sampledata.demo``. The desk's Ukrainian and Russian translations of its
topics, summaries and rationales (``sampledata.demo_translations``) fill those languages' columns
where they are still empty, so an editor's later translation is never overwritten. The terms of
office the article implies (``demo.TERMS``) are created if missing; a database loaded before the
demo had them gets them with their pledges once, and an editor's later choices stand.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import translation

from claims import services
from claims.models import Claim, Scale, Status, StatusUpdate, Topic
from people.models import Person, Term
from people.services import person_save, term_save
from sampledata import demo, demo_translations

DEMO_EDITOR_USERNAME = "demo-desk"
SINGULAR = {
    "people": "person",
    "terms of office": "term of office",
    "sources": "source",
    "claims": "claim",
    "status updates": "status update",
    "pledges given their term": "pledge given its term",
}


def at_noon(day: datetime.date) -> datetime.datetime:
    """The demo record is dated as if the desk had entered it when the article appeared."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _fill_empty(model: type[models.Model], pk: int, field: str, translations: dict[str, str]) -> int:
    """Write each language's text into ``<field>_<language>`` where that column is still empty (NULL
    or ""), so an editor's own translation is never overwritten. Returns how many columns it filled."""
    filled = 0
    for language, text in translations.items():
        column = f"{field}_{language}"
        empty = models.Q(**{f"{column}__isnull": True}) | models.Q(**{column: ""})
        filled += model._default_manager.filter(empty, pk=pk).update(**{column: text})
    return filled


def fill_translations() -> int:
    """The desk's Ukrainian and Russian translations of the demo texts (``sampledata.demo_translations``).

    A translation is written only beside the English it translates: a topic, summary or rationale an
    editor has since reworded in English keeps its other languages as they are. Each claim's updates
    are matched by position, in the order this command records them (``demo.DemoClaim.updates``).
    """
    filled = 0
    # The desk's own columns (claims/translation.py), named through the setting.
    name, summary, rationale = (f"{field}_{settings.LANGUAGE_CODE}" for field in ("name", "summary", "rationale"))
    for english, translations in demo_translations.TOPIC_NAMES.items():
        topic = Topic.objects.filter(**{name: english}).first()
        if topic is None:
            continue
        # A topic name is unique in each language: one another topic already uses is left out.
        free = {
            language: text
            for language, text in translations.items()
            if not Topic.objects.filter(**{f"name_{language}": text}).exclude(pk=topic.pk).exists()
        }
        filled += _fill_empty(Topic, topic.pk, "name", free)

    for entry in demo.CLAIMS:
        claim = Claim.objects.filter(slug=entry.slug).values("pk", summary).first()
        if claim is None:
            continue
        if claim[summary] == entry.summary:
            filled += _fill_empty(Claim, claim["pk"], "summary", demo_translations.CLAIM_SUMMARIES[entry.slug])
        updates = StatusUpdate.objects.filter(claim_id=claim["pk"]).order_by("pk").values("pk", rationale)
        for index, (update, recorded) in enumerate(zip(entry.updates, updates, strict=False)):
            if recorded[rationale] == update.rationale:
                translations = demo_translations.UPDATE_RATIONALES[(entry.slug, index)]
                filled += _fill_empty(StatusUpdate, recorded["pk"], "rationale", translations)
    return filled


class Command(BaseCommand):
    help = "Load the demo data (claims reported in a November 2024 article). Running it twice changes nothing."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # The demo is the desk's English record; its translations are filled in their own columns.
        with translation.override(settings.LANGUAGE_CODE):
            self._load(*args, **options)

    def _load(self, *args, **options) -> None:
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
        created = {"people": 0, "terms of office": 0, "sources": 0, "claims": 0, "status updates": 0}

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

        terms: dict[demo.DemoTerm, Term] = {}
        new_terms: list[demo.DemoTerm] = []
        for term_entry in demo.TERMS:
            # An editor's record of the same term (one in the office that overlaps it) stands for it.
            overlapping = Term.objects.filter(
                models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=term_entry.starts_on),
                person=people[term_entry.person],
                office__iexact=term_entry.office,
            )
            if term_entry.ends_on is not None:
                overlapping = overlapping.filter(starts_on__lte=term_entry.ends_on)
            term = overlapping.order_by("starts_on").first()
            if term is None:
                term = term_save(
                    term=Term(
                        person=people[term_entry.person],
                        office=term_entry.office,
                        starts_on=term_entry.starts_on,
                        ends_on=term_entry.ends_on,
                    ),
                    saved_by=editor,
                )
                created["terms of office"] += 1
                new_terms.append(term_entry)
            terms[term_entry] = term

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
                term=terms[entry.term] if entry.term else None,
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

        # Claims loaded before the demo had terms: given the term only when it is new in this run, so a
        # term an editor has since taken off a pledge (or set up themselves) is left as they chose.
        given_a_term = self._give_new_terms_their_pledges({entry: terms[entry] for entry in new_terms}, editor)
        translated = fill_translations()
        if not any(created.values()) and not given_a_term:
            if translated:
                noun = "translation" if translated == 1 else "translations"
                self.stdout.write(self.style.SUCCESS(f"Demo data is already loaded; filled {translated} {noun}."))
            else:
                self.stdout.write("Demo data is already loaded; nothing changed.")
            return
        counts = {**created, "pledges given their term": given_a_term}
        summary = ", ".join(
            f"{count} {name if count != 1 else SINGULAR[name]}"
            for name, count in counts.items()
            if count or name in created
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded demo data: {summary}."))

    @staticmethod
    def _give_new_terms_their_pledges(new_terms: dict[demo.DemoTerm, Term], editor: AbstractBaseUser) -> int:
        """Demo pledges stored before their term existed, given it now: each one still with no term, still
        its person's pledge or plan, and made before the term ended. Returns how many."""
        given = 0
        for entry in demo.CLAIMS:
            term = new_terms.get(entry.term) if entry.term else None
            if term is None:
                continue
            claim = Claim.objects.filter(slug=entry.slug, term__isnull=True, claimant=term.person_id).first()
            if claim is None or claim.scale != Scale.PROMISE:
                continue
            if term.ends_on is not None and claim.made_on > term.ends_on:
                continue
            claim.term = term
            services.claim_save(claim=claim, saved_by=editor, reason="Demo: the term of office the article implies")
            given += 1
        return given

    @staticmethod
    def _already_loaded() -> bool:
        return Claim.objects.filter(slug__in=[entry.slug for entry in demo.CLAIMS]).count() == len(demo.CLAIMS)
