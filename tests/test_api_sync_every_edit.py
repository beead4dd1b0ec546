"""Whatever an editor changes, a partner's mirror synced from its cursor equals a full walk of /claims.

The partner here knows only HTTP: it reads ``/api/v1/changes`` and ``/api/v1/claims`` with a test
client, never the database. Each edit is made through the service or the admin that editors use.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.representations import ClaimRepresenter
from claims import services
from claims.models import Claim, ClaimChange, Source, Status, StatusUpdate, Topic, Wording
from people.models import Person
from people.services import person_save
from tests import factories
from tests.admin_forms import admin_form_data
from tests.api_support import full_walk, published_claim, record, sync
from webhooks.delivery import event_for

pytestmark = pytest.mark.django_db


# --- The partner: HTTP only (sync and full_walk: tests/api_support.py) ------------------------------


def changes_after(partner: Client, cursor: str) -> list[dict]:
    return partner.get("/api/v1/changes", {"after": cursor, "page_size": 100}).json()["results"]


# --- A tracker with every kind of record a claim shows --------------------------------------------


@dataclass
class World:
    editor: Any
    second_editor: Any
    superuser: Any
    claimant: Person
    congress: Person
    topic: Topic
    quoted: Source
    appeared: Source
    evidence: Source
    plan: Claim
    component: Claim
    moving_component: Claim
    other_plan: Claim
    pledge: Claim
    statement: Claim
    draft_claim: Claim
    wrong: StatusUpdate
    draft_update: StatusUpdate
    awaiting: StatusUpdate


@pytest.fixture
def world(settings) -> World:
    editor, second_editor = factories.EditorFactory(), factories.EditorFactory()
    claimant = factories.PersonFactory(name="Olena Shevchenko", slug="olena-shevchenko")
    congress = factories.OrganisationFactory(name="Congress", slug="congress")
    # Renamed once, so its history has an earlier name to restore.
    claimant.name = "Olena Shevchenko (MP)"
    person_save(person=claimant, saved_by=editor)
    topic = factories.TopicFactory(name="Housing", slug="housing")
    quoted, appeared, evidence = factories.SourceFactory.create_batch(3)

    plan = published_claim(by=editor, claimant=claimant, kind="plan", summary="Housing plan", topics=[topic])
    component = published_claim(by=editor, claimant=claimant, parent=plan, summary="Build homes", topics=[topic])
    moving_component = published_claim(by=editor, claimant=claimant, parent=plan, summary="Repair roofs")
    published_claim(by=editor, claimant=claimant, parent=plan, summary="Not yet public", visibility="draft")
    other_plan = published_claim(by=editor, kind="plan", summary="Renovation plan")
    pledge = published_claim(
        by=editor,
        claimant=claimant,
        summary="Lower rents",
        must_act=[congress],
        topics=[topic],
        appearances=[services.AppearanceInput(source=appeared, is_first_appearance=True, excerpt="Rents will fall.")],
    )
    statement = published_claim(
        by=editor,
        claimant=claimant,
        kind="statement",
        summary="Rents fell last year",
        wording=Wording.VERBATIM,
        wording_source=quoted,
    )
    draft_claim = published_claim(by=editor, claimant=claimant, summary="A draft", visibility="draft")
    record(component, "in-the-works", by=editor)
    wrong = factories.record_status(
        claim=pledge,
        status=Status.objects.get(scale="promise", slug="broken"),
        evidence=[evidence],
        effective_on=pledge.made_on + datetime.timedelta(days=1),
        rationale="The rent index rose.",
        recorded_by=editor,
    )
    draft_update = factories.record_status(
        claim=statement,
        status=Status.objects.get(scale=statement.scale, slug="accurate"),
        effective_on=statement.made_on + datetime.timedelta(days=2),
        rationale="The statistics office agrees.",
        recorded_by=editor,
        publish=False,
    )
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    awaiting = factories.record_status(
        claim=plan,
        status=Status.objects.get(scale="promise", slug="stalled"),
        effective_on=plan.made_on + datetime.timedelta(days=3),
        rationale="No money was voted.",
        recorded_by=editor,
    )
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = False
    assert awaiting.is_awaiting_approval
    assert draft_update.published_at is None
    return World(
        editor=editor,
        second_editor=second_editor,
        superuser=factories.SuperuserFactory(),
        claimant=claimant,
        congress=congress,
        topic=topic,
        quoted=quoted,
        appeared=appeared,
        evidence=evidence,
        plan=plan,
        component=component,
        moving_component=moving_component,
        other_plan=other_plan,
        pledge=pledge,
        statement=statement,
        draft_claim=draft_claim,
        wrong=wrong,
        draft_update=draft_update,
        awaiting=awaiting,
    )


# --- The edits ------------------------------------------------------------------------------------


def save_in_the_admin(user: Any, record: Any, **changes: Any) -> None:
    """Change ``record`` the way an editor does: its admin change page, sent back with ``changes``."""
    admin = Client()
    admin.force_login(user)
    url = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
    data = admin_form_data(admin.get(url))
    data.update(changes)
    response = admin.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


def delete_in_the_admin(user: Any, record: Any, *, bulk: bool = False) -> None:
    """Delete ``record`` from its delete page, or with the change list's "delete selected" action."""
    admin = Client()
    admin.force_login(user)
    meta = record._meta
    if bulk:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        data = {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    else:
        url, data = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[record.pk]), {"post": "yes"}
    assert admin.post(url, data).status_code == 302
    assert not type(record).objects.filter(pk=record.pk).exists()


def _plan_status(w: World) -> None:
    record(w.plan, "compromise", by=w.editor)


def _plan_summary(w: World) -> None:
    w.plan.summary = "Housing plan, revised"
    services.claim_save(claim=w.plan, saved_by=w.editor)


def _plan_summary_in_the_admin(w: World) -> None:
    save_in_the_admin(w.editor, w.plan, summary_en="Housing plan for 2025")


def _plan_withdrawn(w: World) -> None:
    services.claim_set_visibility(claim=w.plan, visibility="withdrawn", changed_by=w.editor, reason="Misattributed.")


def _claimant_renamed(w: World) -> None:
    w.claimant.name = "Olena Shevchenko-Bondar"
    person_save(person=w.claimant, saved_by=w.editor)


def _claimant_renamed_in_the_admin(w: World) -> None:
    save_in_the_admin(w.editor, w.claimant, name="O. Shevchenko")


def _claimant_earlier_name_restored_in_the_admin(w: World) -> None:
    admin = Client()
    admin.force_login(w.editor)
    first = w.claimant.history.order_by("history_id").first()
    url = reverse("admin:people_person_simple_history", args=[w.claimant.pk, first.history_id])
    assert admin.post(url, admin_form_data(admin.get(url))).status_code == 302
    assert Person.objects.get(pk=w.claimant.pk).name == "Olena Shevchenko"


def _must_act_slug_and_kind(w: World) -> None:
    w.congress.slug, w.congress.kind = "us-congress", Person.Kind.PERSON
    person_save(person=w.congress, saved_by=w.editor)


def _topic_renamed(w: World) -> None:
    w.topic.name = "Housing and rent"
    services.topic_save(topic=w.topic, saved_by=w.editor)


def _topic_renamed_in_the_admin(w: World) -> None:
    save_in_the_admin(w.editor, w.topic, name_en="Homes", slug="homes")


def _quoted_source_retitled(w: World) -> None:
    w.quoted.title = "Rents fell, minister says"
    services.source_save(source=w.quoted, saved_by=w.editor)


def _appearance_source_publisher_in_the_admin(w: World) -> None:
    save_in_the_admin(w.editor, w.appeared, publisher="The Daily Planet")


def _evidence_source_moved(w: World) -> None:
    w.evidence.url = "https://archive.example/rent-index-2024"
    services.source_save(source=w.evidence, saved_by=w.editor)


def _status_reworded_in_the_admin(w: World) -> None:
    broken = Status.objects.get(scale="promise", slug="broken")
    save_in_the_admin(w.superuser, broken, label_en="Promise broken", colour="#aa0000")


def _status_slug_changed(w: World) -> None:
    # The plan lists its components with their status slug.
    in_the_works = Status.objects.get(scale="promise", slug="in-the-works")
    in_the_works.slug = "under-way"
    services.status_save(status=in_the_works, saved_by=w.superuser)


def _topic_deleted_in_the_admin(w: World) -> None:
    delete_in_the_admin(w.superuser, w.topic)


def _topic_deleted_in_bulk_in_the_admin(w: World) -> None:
    delete_in_the_admin(w.superuser, w.topic, bulk=True)


def _must_act_deleted_in_the_admin(w: World) -> None:
    delete_in_the_admin(w.superuser, w.congress)


def _claim_withdrawn(w: World) -> None:
    services.claim_set_visibility(claim=w.pledge, visibility="withdrawn", changed_by=w.editor, reason="Misquoted.")


def _draft_published(w: World) -> None:
    services.claim_set_visibility(claim=w.draft_claim, visibility="published", changed_by=w.editor)


def _correction(w: World) -> None:
    record(w.pledge, "kept", by=w.editor, corrects=w.wrong)


def _update_removed(w: World) -> None:
    services.status_update_remove(update=w.wrong, removed_by=w.superuser, reason="A court order.")


def _verdict_approved(w: World) -> None:
    services.status_update_approve(update=w.awaiting, approved_by=w.second_editor)


def _draft_update_published(w: World) -> None:
    services.status_update_publish(update=w.draft_update, published_by=w.editor)


def _component_moved(w: World) -> None:
    w.moving_component.parent = w.other_plan
    services.claim_save(claim=w.moving_component, saved_by=w.editor)


def _appearance_added(w: World) -> None:
    services.claim_add_appearance(claim=w.statement, source=w.appeared, added_by=w.editor, excerpt="Rents fell.")


EDITS: dict[str, Callable[[World], None]] = {
    "a plan's status": _plan_status,
    "a plan's summary": _plan_summary,
    "a plan's summary, in the admin": _plan_summary_in_the_admin,
    "a plan's withdrawal": _plan_withdrawn,
    "a claimant's rename": _claimant_renamed,
    "a claimant's rename, in the admin": _claimant_renamed_in_the_admin,
    "a claimant's earlier name restored from the history, in the admin": _claimant_earlier_name_restored_in_the_admin,
    "who must act: slug and kind": _must_act_slug_and_kind,
    "a topic's rename": _topic_renamed,
    "a topic's rename, in the admin": _topic_renamed_in_the_admin,
    "a quoted source's title": _quoted_source_retitled,
    "an appearance's source publisher, in the admin": _appearance_source_publisher_in_the_admin,
    "an evidence source's url": _evidence_source_moved,
    "a status reworded, in the admin": _status_reworded_in_the_admin,
    "a status slug": _status_slug_changed,
    "a topic deleted, in the admin": _topic_deleted_in_the_admin,
    "a topic deleted with the admin's bulk action": _topic_deleted_in_bulk_in_the_admin,
    "who must act deleted, in the admin": _must_act_deleted_in_the_admin,
    "a withdrawal": _claim_withdrawn,
    "a publication": _draft_published,
    "a correction": _correction,
    "a removal of an update": _update_removed,
    "an approval": _verdict_approved,
    "a draft update published": _draft_update_published,
    "a component moved to another plan": _component_moved,
    "an appearance added": _appearance_added,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_after_any_edit_a_mirror_synced_from_its_cursor_equals_a_full_walk_of_the_claims(world, edit):
    partner = Client()
    mirror: dict[int, dict] = {}
    cursor = sync(partner, mirror, "0")
    before = full_walk(partner)
    assert mirror == before

    edit(world)

    after = full_walk(partner)
    assert after != before, "the edit should change what /claims shows"
    assert sync(partner, mirror, cursor) != cursor
    assert mirror == after


def test_a_withdrawal_reaches_the_mirror_as_a_tombstone_with_its_reason(world):
    partner = Client()
    cursor = sync(partner, {}, "0")
    _claim_withdrawn(world)
    [change] = changes_after(partner, cursor)
    assert change["kind"] == "claim_withdrawn"
    assert change["claim"] == {"id": world.pledge.pk, "deleted": True, "reason": "Misquoted."}
    assert change["reason"] == "Misquoted."


def test_a_removed_update_reaches_the_mirror_with_its_reason(world):
    partner = Client()
    cursor = sync(partner, {}, "0")
    _update_removed(world)
    [change] = changes_after(partner, cursor)
    assert (change["kind"], change["reason"], change["status_update"]) == (
        "status_removed",
        "A court order.",
        world.wrong.pk,
    )
    [removed] = [entry for entry in change["claim"]["timeline"] if entry["id"] == world.wrong.pk]
    assert (removed["status"], removed["removal_reason"]) == (None, "A court order.")


def test_a_rename_is_a_claim_edited_change_of_each_published_claim_that_shows_the_person(world):
    partner = Client()
    cursor = sync(partner, {}, "0")
    _claimant_renamed(world)
    changes = changes_after(partner, cursor)
    shown = {world.plan.pk, world.component.pk, world.moving_component.pk, world.pledge.pk, world.statement.pk}
    assert sorted(change["claim"]["id"] for change in changes) == sorted(shown)
    assert {change["kind"] for change in changes} == {"claim_edited"}
    assert all(change["claim"]["claimant"]["name"] == "Olena Shevchenko-Bondar" for change in changes)


def test_a_plan_edit_is_a_change_of_its_published_components_too(world):
    partner = Client()
    cursor = sync(partner, {}, "0")
    _plan_summary(world)
    changes = changes_after(partner, cursor)
    assert [(change["kind"], change["claim"]["id"]) for change in changes] == [
        ("claim_edited", world.plan.pk),
        ("claim_edited", world.component.pk),
        ("claim_edited", world.moving_component.pk),
    ]
    assert changes[1]["claim"]["parent"]["summary"] == "Housing plan, revised"


def test_a_rename_queues_no_webhook_event(world):
    # Webhooks announce publications, verdicts, corrections, removals and withdrawals, not edits.
    cursor = ClaimChange.objects.latest("pk").pk
    _claimant_renamed(world)
    renamed = list(ClaimChange.objects.after(cursor))
    assert renamed
    assert [event_for(change, was_public=True) for change in renamed] == [None] * len(renamed)


# --- What produces no change ----------------------------------------------------------------------


def test_drafts_and_verdicts_awaiting_approval_produce_no_changes(world, settings):
    partner = Client()
    cursor = sync(partner, {}, "0")
    factories.record_status(
        claim=world.pledge,
        status=Status.objects.get(scale="promise", slug="kept"),
        effective_on=timezone.localdate(),
        rationale="Draft: rents fell in March.",
        recorded_by=world.editor,
        publish=False,
    )
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    factories.record_status(
        claim=world.component,
        status=Status.objects.get(scale="promise", slug="kept"),
        effective_on=timezone.localdate(),
        rationale="Homes were built.",
        recorded_by=world.editor,
    )
    services.status_update_publish(update=world.draft_update, published_by=world.editor)  # now awaits approval
    world.draft_claim.summary = "Still a draft"
    services.claim_save(claim=world.draft_claim, saved_by=world.editor)

    assert changes_after(partner, cursor) == []
    assert sync(partner, {}, cursor) == cursor


def test_edits_that_no_claim_shows_log_no_change(world):
    cursor = ClaimChange.objects.latest("pk").pk
    world.claimant.bio = "A longer biography."
    person_save(person=world.claimant, saved_by=world.editor)
    only_drafts = factories.PersonFactory()
    published_claim(by=world.editor, claimant=only_drafts, visibility="draft")
    cursor = ClaimChange.objects.latest("pk").pk
    only_drafts.name = "Someone Else"
    person_save(person=only_drafts, saved_by=world.editor)
    world.quoted.author = world.quoted.author  # saved unchanged
    services.source_save(source=world.quoted, saved_by=world.editor)
    assert not ClaimChange.objects.after(cursor).exists()


def test_a_claim_showing_a_person_twice_gets_one_change():
    editor, person = factories.EditorFactory(), factories.PersonFactory()
    claim = published_claim(by=editor, claimant=person, must_act=[person])
    cursor = ClaimChange.objects.latest("pk").pk
    person.name = "Renamed"
    person_save(person=person, saved_by=editor)
    [change] = ClaimChange.objects.after(cursor)
    assert (change.claim, change.kind, change.visibility, change.changed_by, change.note, change.status_update) == (
        claim,
        "claim_edited",
        "published",
        editor,
        "",
        None,
    )
    assert timezone.now() - change.recorded_at < datetime.timedelta(minutes=1)


def test_a_rename_by_a_command_with_no_user_is_logged_with_no_user():
    person = factories.PersonFactory()
    claim = published_claim(claimant=person)
    cursor = ClaimChange.objects.latest("pk").pk
    person.name = "Renamed by an import"
    person_save(person=person)
    assert list(ClaimChange.objects.after(cursor).values_list("claim_id", "changed_by")) == [(claim.pk, None)]


# --- Efficiency: one INSERT … SELECT, whatever the number of claims ---------------------------------


@pytest.mark.parametrize("claims", [2, 300])
def test_renaming_a_person_costs_the_same_queries_however_many_claims_show_them(claims, django_assert_num_queries):
    editor, person = factories.EditorFactory(), factories.PersonFactory()
    factories.ClaimFactory.create_batch(claims, claimant=person)
    for claim in factories.ClaimFactory.create_batch(claims):
        claim.must_act.add(person)
    factories.DraftClaimFactory(claimant=person)
    cursor = ClaimChange.objects.latest("pk").pk if ClaimChange.objects.exists() else 0
    person.name = "A new name"
    # full_clean's unique and constraint checks (13), what claims show as stored, the versioned
    # UPDATE, its history row, the one INSERT … SELECT of every change, and the savepoint's release;
    # on PostgreSQL also the change log's commit-order lock.
    with django_assert_num_queries(19 + (connection.vendor == "postgresql")):
        person_save(person=person, saved_by=editor)
    assert ClaimChange.objects.after(cursor).count() == 2 * claims


# --- The fields the services watch are the fields the representation shows --------------------------


def test_the_watched_fields_are_what_the_claim_representation_shows():
    representer = ClaimRepresenter(request=None, include_unpublished=False)
    person = factories.PersonFactory.build(pk=1)
    source = factories.SourceFactory.build(pk=1)
    status = Status.objects.first()
    assert set(representer.person(person)) - {"id"} == set(services.PERSON_FIELDS_SHOWN)
    assert set(representer.source(source)) - {"id"} == set(services.SOURCE_FIELDS_SHOWN)
    # A text's language marker (``label_language``) is not a stored field: the label's edit is watched.
    assert {key for key in representer.badge(status) if not key.endswith("_language")} == set(
        services.STATUS_FIELDS_SHOWN
    )
    topic = factories.TopicFactory()
    claim = factories.ClaimFactory()
    claim.topics.add(topic)
    [shown] = full_walk(Client()).values()
    shown_keys = {key for topic in shown["topics"] for key in topic if not key.endswith("_language")}
    assert shown_keys == set(services.TOPIC_FIELDS_SHOWN)
