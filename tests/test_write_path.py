"""Every edit of a claim goes through claims.services: the claim's history says what changed and why,
and a published claim's edit reaches partners' mirrors through the change feed."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import ChangeKind, Claim, ClaimAppearance, ClaimChange, Source, StatusUpdate
from tests import factories
from tests.admin_forms import admin_form_data, inline_prefix
from tests.api_support import published_claim
from tests.factories import record_status, status_on

pytestmark = pytest.mark.django_db

APPEARANCES = "sources where the claim appeared"


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def post_in_admin(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


def feed_after(cursor: int) -> list[dict]:
    """The change feed's entries after ``cursor``, as a partner reads them."""
    page = Client().get("/api/v1/changes", {"after": str(cursor), "page_size": 100}).json()
    return page["results"]


def last_change_id() -> int:
    last = ClaimChange.objects.order_by("-pk").first()
    return last.pk if last else 0


def latest_reason(record) -> str:
    return record.history.order_by("-history_id").first().history_change_reason or ""


@pytest.fixture
def editor():
    return factories.EditorFactory()


@pytest.fixture
def claim(editor):
    return published_claim(by=editor, summary="Lower rents")


def test_changing_a_claims_topics_in_the_admin_goes_through_the_service_and_reaches_the_feed(client, editor, claim):
    housing = factories.TopicFactory(name="Housing")
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(claim)))
    data["topics"] = [str(housing.pk)]
    cursor = last_change_id()
    with mock.patch.object(services, "claim_set_topics", wraps=services.claim_set_topics) as service:
        post_in_admin(client, change_url(claim), data)

    assert service.call_count == 1
    assert list(claim.topics.all()) == [housing]
    entry = claim.history.order_by("-history_id").first()
    assert entry.history_change_reason == "Topics set: Housing"
    assert entry.history_user == editor
    shown = [change["claim"] for change in feed_after(cursor) if change["claim"]["id"] == claim.pk]
    assert shown
    assert [topic["slug"] for topic in shown[-1]["topics"]] == [housing.slug]


def test_naming_who_must_act_in_the_admin_goes_through_the_service_and_reaches_the_feed(client, editor, claim):
    congress = factories.OrganisationFactory(name="Congress")
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(claim)))
    data["must_act"] = [str(congress.pk)]
    cursor = last_change_id()
    post_in_admin(client, change_url(claim), data)

    assert list(claim.must_act.all()) == [congress]
    assert latest_reason(claim) == "Who must act set: Congress"
    kinds = [change["kind"] for change in feed_after(cursor) if change["claim"]["id"] == claim.pk]
    assert kinds == ["claim_edited", "claim_edited"]  # the form's save, then who must act


def test_an_admin_save_that_leaves_topics_and_who_must_act_alone_adds_no_entry_for_them(client, editor, claim):
    claim.topics.add(factories.TopicFactory(name="Housing"))
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(claim)))
    data["summary_en"] = "Lower rents for everyone"
    before = claim.history.count()
    post_in_admin(client, change_url(claim), data)

    assert claim.history.count() == before + 1
    assert latest_reason(claim) == ""


def test_editing_an_appearance_in_the_admin_goes_through_the_service(client, editor, claim):
    appearance = factories.ClaimAppearanceFactory(claim=claim, excerpt="Rents will fall.")
    client.force_login(editor)
    page = client.get(change_url(claim))
    data = admin_form_data(page)
    data[f"{inline_prefix(page, APPEARANCES)}-0-excerpt"] = "Rents will fall by half."
    cursor = last_change_id()
    post_in_admin(client, change_url(claim), data)

    appearance.refresh_from_db()
    assert appearance.excerpt == "Rents will fall by half."
    assert latest_reason(claim) == services.history_reason(f"Appearance edited: {appearance.source}")
    shown = [change["claim"] for change in feed_after(cursor) if change["claim"]["id"] == claim.pk]
    assert "Rents will fall by half." in str(shown[-1])


def test_removing_an_appearance_in_the_admin_goes_through_the_service(client, claim):
    appearance = factories.ClaimAppearanceFactory(claim=claim, is_first_appearance=False)
    client.force_login(factories.SuperuserFactory())  # editors may not remove appearances
    page = client.get(change_url(claim))
    data = admin_form_data(page)
    data[f"{inline_prefix(page, APPEARANCES)}-0-DELETE"] = "on"
    cursor = last_change_id()
    post_in_admin(client, change_url(claim), data)

    assert not ClaimAppearance.objects.filter(pk=appearance.pk).exists()
    assert latest_reason(claim) == services.history_reason(f"Appearance removed: {appearance.source}")
    assert [change["kind"] for change in feed_after(cursor) if change["claim"]["id"] == claim.pk][-1] == "claim_edited"


def test_a_first_appearance_replaced_by_another_in_one_save_is_stored(client, claim):
    old = factories.ClaimAppearanceFactory(claim=claim, is_first_appearance=True)
    new_source = factories.SourceFactory()
    client.force_login(factories.SuperuserFactory())
    page = client.get(change_url(claim))
    data = admin_form_data(page)
    prefix = inline_prefix(page, APPEARANCES)
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-1-source"] = str(new_source.pk)
    data[f"{prefix}-1-is_first_appearance"] = "on"
    data[f"{prefix}-1-claim"] = str(claim.pk)
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    post_in_admin(client, change_url(claim), data)

    assert not ClaimAppearance.objects.filter(pk=old.pk).exists()
    assert claim.appearances.get().source == new_source


def test_restoring_a_version_in_the_admin_names_the_restore_in_the_topic_change(client, editor, claim):
    original = claim.history.order_by("history_id").first()
    housing = factories.TopicFactory(name="Housing")
    client.force_login(editor)
    restore_url = reverse("admin:claims_claim_simple_history", args=[claim.pk, original.history_id])
    data = admin_form_data(client.get(restore_url))
    data["topics"] = [str(housing.pk)]
    post_in_admin(client, restore_url, data)

    assert list(claim.topics.all()) == [housing]
    restored, topics_set = claim.history.order_by("-history_id")[:2][::-1]
    # The restore's reason is long: it is kept whole, and the topics' own description gives way.
    assert topics_set.history_change_reason == restored.history_change_reason
    assert topics_set.history_change_reason.startswith("Restored the version saved")
    assert topics_set.version == restored.version + 1


def test_a_draft_claims_topic_change_is_in_its_history_but_not_in_the_feed(editor):
    draft = published_claim(by=editor, visibility="draft")
    cursor = last_change_id()
    services.claim_set_topics(
        claim=draft, topics=[factories.TopicFactory(name="Tax")], changed_by=editor, reason="Filed"
    )
    assert latest_reason(draft) == "Topics set: Tax — Filed"
    assert feed_after(cursor) == []


# Each service that writes history records the caller's reason there.


def _claim_create(editor):
    claim = published_claim(by=editor, reason="Imported from pledges.csv")
    return claim


def _source_get_or_create(editor):
    source, created = services.source_get_or_create(
        url="https://example.org/a", title="A", saved_by=editor, reason="Imported from pledges.csv"
    )
    assert created
    return source


def _claim_record_status(editor):
    claim = published_claim(by=editor)
    update = record_status(
        claim=claim,
        status=status_on("promise", "kept"),
        effective_on=claim.made_on,
        rationale="Done.",
        recorded_by=editor,
        reason="Imported from pledges.csv",
    )
    assert latest_reason(update) == "Imported from pledges.csv"
    return claim


def _status_update_publish(editor):
    claim = published_claim(by=editor)
    draft = record_status(
        claim=claim,
        status=status_on("promise", "kept"),
        effective_on=claim.made_on,
        rationale="Done.",
        recorded_by=editor,
        publish=False,
    )
    services.status_update_publish(update=draft, published_by=editor, reason="Imported from pledges.csv")
    return claim


def _status_update_approve(editor):
    claim = published_claim(by=editor)
    with mock.patch.object(services, "verdict_needs_approval", return_value=True):
        waiting = record_status(
            claim=claim,
            status=status_on("promise", "kept"),
            effective_on=claim.made_on,
            rationale="Done.",
            recorded_by=editor,
        )
        services.status_update_approve(
            update=waiting, approved_by=factories.EditorFactory(), reason="Imported from pledges.csv"
        )
    assert latest_reason(StatusUpdate.objects.get(pk=waiting.pk)).endswith("Imported from pledges.csv")
    return claim


def _claim_add_appearance(editor):
    claim = published_claim(by=editor)
    services.claim_add_appearance(
        claim=claim, source=factories.SourceFactory(), added_by=editor, reason="Imported from pledges.csv"
    )
    return claim


def _appearance_save(editor):
    claim = published_claim(by=editor)
    appearance = factories.ClaimAppearanceFactory(claim=claim)
    appearance.excerpt = "Changed."
    services.appearance_save(appearance=appearance, saved_by=editor, reason="Imported from pledges.csv")
    return claim


def _appearance_delete(editor):
    claim = published_claim(by=editor)
    appearance = factories.ClaimAppearanceFactory(claim=claim)
    services.appearance_delete(appearance=appearance, deleted_by=editor, reason="Imported from pledges.csv")
    return claim


def _claim_set_topics(editor):
    claim = published_claim(by=editor)
    services.claim_set_topics(
        claim=claim, topics=[factories.TopicFactory()], changed_by=editor, reason="Imported from pledges.csv"
    )
    return claim


def _claim_set_must_act(editor):
    claim = published_claim(by=editor)
    services.claim_set_must_act(
        claim=claim, people=[factories.PersonFactory()], changed_by=editor, reason="Imported from pledges.csv"
    )
    return claim


WRITES = {
    "claim_create": _claim_create,
    "source_get_or_create": _source_get_or_create,
    "claim_record_status": _claim_record_status,
    "status_update_publish": _status_update_publish,
    "status_update_approve": _status_update_approve,
    "claim_add_appearance": _claim_add_appearance,
    "appearance_save": _appearance_save,
    "appearance_delete": _appearance_delete,
    "claim_set_topics": _claim_set_topics,
    "claim_set_must_act": _claim_set_must_act,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_each_services_reason_lands_in_the_history(editor, write):
    record = write(editor)
    entry = record.history.order_by("-history_id").first()
    assert entry.history_change_reason.endswith("Imported from pledges.csv")
    assert entry.history_user == editor or isinstance(record, Claim)


def test_a_service_edit_of_a_published_claim_is_one_claim_edited_change():
    editor = factories.EditorFactory()
    claim = published_claim(by=editor)
    cursor = last_change_id()
    services.claim_set_topics(claim=claim, topics=[factories.TopicFactory()], changed_by=editor)
    assert list(ClaimChange.objects.filter(pk__gt=cursor).values_list("claim_id", "kind")) == [
        (claim.pk, ChangeKind.EDITED)
    ]


def test_setting_the_same_topics_again_writes_nothing():
    editor = factories.EditorFactory()
    topic = factories.TopicFactory()
    claim = published_claim(by=editor, topics=[topic])
    entries, cursor = claim.history.count(), last_change_id()
    services.claim_set_topics(claim=claim, topics=[topic], changed_by=editor, reason="Again")
    assert claim.history.count() == entries
    assert last_change_id() == cursor


def test_a_long_description_is_cut_to_fit_the_history_and_the_reason_is_kept_whole():
    reason = "Imported from a-file-with-a-rather-long-name.csv"
    text = services.history_reason("Appearance added: " + "x" * 200, reason)
    assert len(text) <= services.HISTORY_REASON_LENGTH
    assert text.endswith(" — " + reason)
    assert services.history_reason("y" * 200) == "y" * 99 + "…"


def test_a_source_found_by_its_url_is_returned_without_a_new_history_entry():
    source = factories.SourceFactory(url="https://example.org/b")
    entries = Source.history.filter(id=source.pk).count()
    found, created = services.source_get_or_create(url="https://example.org/b", title="B", reason="Imported")
    assert (found, created) == (source, False)
    assert Source.history.filter(id=source.pk).count() == entries
