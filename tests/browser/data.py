"""A small published world for the public-page tests and the browser tests.

Timelines are recorded through ``claims.services`` so each claim's stored current status
follows its timeline, as it does in production.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from claims.models import Claim, ClaimKind, StatusUpdate, Visibility
from people.models import Person
from tests.factories import (
    ClaimAppearanceFactory,
    ClaimFactory,
    DraftClaimFactory,
    EditorFactory,
    OrganisationFactory,
    PersonFactory,
    PlanFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    rate,
)

# The feeds of the world ``build_world`` makes: the site's, its pledge's, its mayor's and the corrections log's.
FEEDS = ["/feeds/updates/", "/claims/build-10000-homes/feed/", "/people/ada-mayor/feed/", "/corrections/feed/"]


@dataclass
class World:
    mayor: Person
    ministry: Person
    pledge: Claim
    plan: Claim
    components: list[Claim]
    statement: Claim
    draft: Claim
    withdrawn: Claim
    first_update: StatusUpdate
    mistaken_update: StatusUpdate
    correction: StatusUpdate
    draft_update: StatusUpdate


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def build_world() -> World:
    editor = EditorFactory(first_name="Grace", last_name="Reporter")
    housing = TopicFactory(name="Housing", slug="housing")
    transport = TopicFactory(name="Transport", slug="transport")
    mayor = PersonFactory(
        name="Ada Mayor", slug="ada-mayor", role="Mayor of Exampleton", country="Freedonia", wikidata_id="Q42"
    )
    ministry = OrganisationFactory(name="Ministry of Roads", slug="ministry-of-roads", role="")

    pledge = ClaimFactory(
        claimant=mayor,
        slug="build-10000-homes",
        summary="Build 10,000 affordable homes by 2027",
        quote="We will build ten thousand affordable homes before the end of 2027.",
        made_on=days_ago(400),
        deadline=days_ago(10),
    )
    pledge.topics.set([housing])
    first_source = SourceFactory(title="Mayor launches housing pledge", publisher="Exampleton Herald")
    ClaimAppearanceFactory(claim=pledge, source=first_source, is_first_appearance=True)
    ClaimAppearanceFactory(
        claim=pledge,
        source=SourceFactory(title="Mayor repeats homes pledge", publisher="City Radio"),
        is_first_appearance=False,
    )
    evidence = SourceFactory(title="Council approves homes budget", publisher="Council minutes")
    first_update = rate(
        pledge,
        "in-the-works",
        days_ago(300),
        "The council approved a budget for the first 2,000 homes.",
        by=editor,
        evidence=[evidence],
    )
    mistaken_update = rate(
        pledge, "broken", days_ago(100), "We read the budget cut as the end of the programme.", by=editor
    )
    correction = rate(
        pledge,
        "stalled",
        days_ago(100),
        "The budget was cut but the programme continues; it is stalled, not broken.",
        by=editor,
        corrects=mistaken_update,
    )
    draft_update = rate(
        pledge, "kept", days_ago(5), "Draft verdict the editors have not published yet.", by=editor, publish=False
    )

    plan = PlanFactory(
        claimant=ministry,
        slug="roads-plan",
        summary="Repair the national road network",
        quote="Our plan repairs every national road within five years.",
        made_on=days_ago(200),
    )
    plan.topics.set([transport])
    components = [
        ClaimFactory(
            claimant=ministry, parent=plan, slug="fix-bridges", summary="Fix every bridge", made_on=days_ago(200)
        ),
        ClaimFactory(
            claimant=ministry, parent=plan, slug="fill-potholes", summary="Fill all potholes", made_on=days_ago(200)
        ),
    ]
    rate(components[0], "kept", days_ago(20), "All bridges were repaired.", by=editor)

    statement = StatementFactory(
        claimant=mayor,
        slug="crime-halved",
        summary="Crime has halved since 2020",
        quote="Crime in this city has halved since 2020.",
        made_on=days_ago(50),
    )
    rate(statement, "false", days_ago(40), "Police figures show a 4% fall, not a halving.", by=editor)

    draft = DraftClaimFactory(claimant=mayor, slug="secret-draft", summary="An unpublished draft claim")
    withdrawn = ClaimFactory(
        claimant=mayor,
        slug="withdrawn-claim",
        summary="A claim we withdrew",
        visibility=Visibility.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="The quote was wrongly attributed to the mayor.",
    )
    return World(
        mayor=mayor,
        ministry=ministry,
        pledge=pledge,
        plan=plan,
        components=components,
        statement=statement,
        draft=draft,
        withdrawn=withdrawn,
        first_update=first_update,
        mistaken_update=mistaken_update,
        correction=correction,
        draft_update=draft_update,
    )


def published_pledges(count: int, *, claimant: Person | None = None) -> list[Claim]:
    claimant = claimant or PersonFactory()
    return [ClaimFactory(claimant=claimant, kind=ClaimKind.PLEDGE) for _ in range(count)]
