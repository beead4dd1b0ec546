"""factory-boy factories for every model. Tests build their data with these."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.utils import timezone

from claims.models import (
    SCALE_OF_KIND,
    Claim,
    ClaimAppearance,
    ClaimKind,
    Source,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
)
from people.models import Person
from readers.models import AlertFrequency, AlertScope, Subscription, Tip, TipKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@newsroom.example")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.set([Group.objects.get(name=name) for name in extracted])


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create:
            self.groups.add(Group.objects.get(name="Editors"))


class ViewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"viewer{n}")

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create:
            self.groups.add(Group.objects.get(name="Viewers"))


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    kind = Person.Kind.PERSON
    role = factory.Faker("job")
    country = factory.Faker("country")
    bio = factory.Faker("paragraph")


class OrganisationFactory(PersonFactory):
    name = factory.Faker("company")
    kind = Person.Kind.ORGANISATION


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    title = factory.Faker("sentence", nb_words=6)
    publisher = factory.Faker("company")
    author = factory.Faker("name")
    published_on = factory.LazyFunction(timezone.localdate)
    kind = Source.Kind.ARTICLE


def default_status(scale: str) -> Status:
    return Status.objects.default_for(scale)


def status_on(scale: str, slug: str) -> Status:
    """A shipped status, e.g. ``status_on("promise", "kept")``."""
    return Status.objects.get(scale=scale, slug=slug)


class ClaimFactory(factory.django.DjangoModelFactory):
    """A published pledge at its scale's default status, with no timeline yet."""

    class Meta:
        model = Claim

    claimant = factory.SubFactory(PersonFactory)
    kind = ClaimKind.PLEDGE
    scale = factory.LazyAttribute(lambda claim: SCALE_OF_KIND[claim.kind])
    quote = factory.Faker("paragraph")
    summary = factory.Sequence(lambda n: f"Claim number {n} will be kept")
    slug = factory.Sequence(lambda n: f"claim-{n}")
    made_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    current_status = factory.LazyAttribute(lambda claim: default_status(claim.scale))
    visibility = Visibility.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class DraftClaimFactory(ClaimFactory):
    visibility = Visibility.DRAFT
    published_at = None


class PlanFactory(ClaimFactory):
    kind = ClaimKind.PLAN


class StatementFactory(ClaimFactory):
    kind = ClaimKind.STATEMENT


class ClaimAppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimAppearance

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    is_first_appearance = True
    excerpt = factory.Faker("sentence")


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    """A raw timeline row. Tests of behaviour should record updates with
    ``claims.services.claim_record_status`` so the claim's current status follows."""

    class Meta:
        model = StatusUpdate
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory)
    status = factory.LazyAttribute(lambda update: Status.objects.on_scale(update.claim.scale).get(slug="unclear"))
    effective_on = factory.LazyAttribute(lambda update: update.claim.made_on)
    rationale = factory.Faker("paragraph")
    recorded_by = factory.SubFactory(EditorFactory)
    recorded_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def evidence(self, create: bool, extracted: list[Source] | None, **kwargs) -> None:
        if create and extracted:
            self.evidence.set(extracted)


def record_status(*, claim: Claim, status: Status, evidence: list[Source] | None = None, **kwargs) -> StatusUpdate:
    """``claims.services.claim_record_status`` with a fresh evidence source for a verdict when none is given.

    Published verdicts need evidence; tests that are about something else should not have to say so.
    """
    from claims import services

    if evidence is None:
        evidence = [] if status.is_default else [SourceFactory()]
    return services.claim_record_status(claim=claim, status=status, evidence=evidence, **kwargs)


def rate(
    claim: Claim, slug: str, effective_on: datetime.date, rationale: str, *, by: AbstractBaseUser, **kwargs
) -> StatusUpdate:
    """``record_status`` in short: the status ``slug`` on the claim's own scale, recorded ``by`` an editor."""
    return record_status(
        claim=claim,
        status=status_on(claim.scale, slug),
        effective_on=effective_on,
        rationale=rationale,
        recorded_by=by,
        **kwargs,
    )


class TipFactory(factory.django.DjangoModelFactory):
    """A reader's correction request about a published claim, waiting in the moderation queue."""

    class Meta:
        model = Tip

    kind = TipKind.CORRECTION
    claim = factory.SubFactory(ClaimFactory)
    message = factory.Faker("paragraph")
    evidence_url = "https://evidence.example/report"
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"


class SuggestionFactory(TipFactory):
    """A reader's suggestion of a claim to track."""

    kind = TipKind.NEW_CLAIM
    claim = None


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription to every status change, as it happens."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    scope = AlertScope.EVERYTHING
    frequency = AlertFrequency.INSTANT
    language = "en"
    created_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=30))


class UnconfirmedSubscriptionFactory(SubscriptionFactory):
    confirmed_at = None
