"""Pages and API answers are served from remembered validators and cached bodies until the data
version moves: so every kind of write anything public shows must move it, or a reader would see
the old page after an edit."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.freshness import data_version
from claims.models import Status, Visibility
from people.services import person_save
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    PlanFactory,
    SourceFactory,
    SuperuserFactory,
    TopicFactory,
    rate,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def story():
    editor = EditorFactory()
    plan = PlanFactory(slug="the-plan")
    claim = ClaimFactory(slug="the-claim", parent=plan, made_on=datetime.date(2026, 1, 5))
    topic = TopicFactory()
    claim.topics.add(topic)
    source = SourceFactory()
    appearance = services.claim_add_appearance(claim=claim, source=source, added_by=editor)
    update = rate(claim, "in-the-works", TODAY, "Started.", by=editor)
    return {
        "editor": editor,
        "plan": plan,
        "claim": claim,
        "topic": topic,
        "source": source,
        "update": update,
        "appearance": appearance,
    }


def rename_person(story):
    person = story["claim"].claimant
    person.name = "Renamed Person"
    person_save(person=person, saved_by=story["editor"])


def edit_claim(story):
    claim = story["claim"]
    claim.summary = "A new summary"
    services.claim_save(claim=claim, saved_by=story["editor"])


def edit_plan(story):
    plan = story["plan"]
    plan.summary = "The plan, reworded"
    services.claim_save(claim=plan, saved_by=story["editor"])


def edit_source(story):
    source = story["source"]
    source.title = "A corrected headline"
    services.source_save(source=source, saved_by=story["editor"])


def rename_topic(story):
    topic = story["topic"]
    topic.name = "Renamed topic"
    services.topic_save(topic=topic, saved_by=story["editor"])


def reword_status(story):
    status = Status.objects.get(scale=story["claim"].scale, slug="in-the-works")
    status.label = "Under way"
    services.status_save(status=status, saved_by=story["editor"])


def edit_appearance(story):
    appearance = story["appearance"]
    appearance.excerpt = "A new excerpt"
    services.appearance_save(appearance=appearance, saved_by=story["editor"])


def record_a_verdict(story):
    rate(story["claim"], "kept", TODAY, "Done.", by=story["editor"])


def remove_an_update(story):
    services.status_update_remove(update=story["update"], removed_by=SuperuserFactory(), reason="Court order.")


def withdraw_the_claim(story):
    services.claim_set_visibility(
        claim=story["claim"], visibility=Visibility.WITHDRAWN, changed_by=story["editor"], reason="Misquoted."
    )


@pytest.mark.parametrize(
    "write",
    [
        rename_person,
        edit_claim,
        edit_plan,
        edit_source,
        rename_topic,
        reword_status,
        edit_appearance,
        record_a_verdict,
        remove_an_update,
        withdraw_the_claim,
    ],
)
def test_every_kind_of_write_moves_the_data_version(story, write):
    before = data_version()

    write(story)

    assert data_version() != before


def test_the_version_stays_put_while_nothing_is_written(story):
    assert data_version() == data_version()


def test_a_page_is_rebuilt_on_the_request_after_a_write(story):
    client = Client()
    url = story["claim"].get_absolute_url()
    first = client.get(url)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304

    edit_source(story)

    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "A corrected headline" in again.content.decode()


def test_a_request_for_a_fresh_answer_builds_the_validators_from_the_database(story):
    client = Client()
    url = story["claim"].get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as remembered:
        client.get(url)
    with CaptureQueriesContext(connection) as fresh:
        client.get(url, headers={"cache-control": "no-cache"})

    assert len(remembered) == 1  # only the data version: validators and page were remembered
    # No data version and nothing remembered: the validators and the page are built again.
    assert len(fresh) == len(first) - 1
    assert "claims_claimchange" not in " ".join(query["sql"] for query in fresh.captured_queries[:1])
