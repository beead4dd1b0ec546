"""No role, superuser included, makes a published claim or timeline entry disappear without trace."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from claims import services
from claims.models import ChangeKind, Claim, ClaimChange, PublishedRecordDeleteError, StatusUpdate, Visibility
from tests import factories
from tests.factories import record_status, status_on

pytestmark = pytest.mark.django_db

NOV_7 = datetime.date(2024, 11, 7)


@pytest.fixture
def verdict():
    claim = factories.ClaimFactory(made_on=NOV_7)
    return record_status(
        claim=claim,
        status=status_on("promise", "broken"),
        effective_on=NOV_7,
        rationale="Broken, as the minutes show.",
        recorded_by=factories.EditorFactory(),
    )


def test_a_published_update_cannot_be_deleted_by_a_superuser_through_the_service(verdict, superuser):
    with pytest.raises(ValidationError):
        services.status_update_delete(update=verdict, deleted_by=superuser)
    assert StatusUpdate.objects.filter(pk=verdict.pk).exists()


def test_a_published_update_cannot_be_deleted_through_the_model_or_a_queryset(verdict):
    with pytest.raises(PublishedRecordDeleteError):
        verdict.delete()
    with pytest.raises(PublishedRecordDeleteError):
        StatusUpdate.objects.filter(pk=verdict.pk).delete()
    assert StatusUpdate.objects.filter(pk=verdict.pk).exists()


def test_a_published_claim_cannot_be_deleted_even_after_withdrawal(superuser):
    claim = factories.ClaimFactory()
    services.claim_set_visibility(
        claim=claim, visibility=Visibility.WITHDRAWN, changed_by=superuser, reason="Wrongly attributed."
    )
    with pytest.raises(PublishedRecordDeleteError):
        claim.delete()
    with pytest.raises(PublishedRecordDeleteError):
        Claim.objects.filter(pk=claim.pk).delete()
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.postgresql
def test_postgresql_itself_refuses_to_delete_published_rows(verdict):
    if connection.vendor != "postgresql":
        pytest.skip("The delete-refusing triggers exist on PostgreSQL; SQLite relies on the model layer.")
    for table, row_id in (("claims_statusupdate", verdict.pk), ("claims_claim", verdict.claim_id)):
        with (
            pytest.raises(DatabaseError, match="published_never_deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row_id])  # noqa: S608 - fixed table names


def test_a_draft_update_may_be_deleted_and_the_status_is_unchanged(superuser):
    claim = factories.ClaimFactory(made_on=NOV_7)
    draft = record_status(
        claim=claim,
        status=status_on("promise", "kept"),
        effective_on=NOV_7,
        rationale="Not sure yet.",
        recorded_by=factories.EditorFactory(),
        publish=False,
    )
    services.status_update_delete(update=draft, deleted_by=superuser)
    assert not StatusUpdate.objects.filter(pk=draft.pk).exists()
    claim.refresh_from_db()
    assert claim.current_status.slug == "not-yet-rated"


def test_a_removal_keeps_the_row_with_a_public_reason_and_restores_the_earlier_status(verdict, superuser):
    claim = verdict.claim
    services.status_update_remove(update=verdict, removed_by=superuser, reason="Court order of 3 March.")
    verdict.refresh_from_db()
    assert verdict.is_removed
    assert verdict.removal_reason == "Court order of 3 March."
    assert verdict.removed_by == superuser
    claim.refresh_from_db()
    assert claim.current_status.slug == "not-yet-rated"
    tombstone = ClaimChange.objects.filter(claim=claim).last()
    assert tombstone.kind == ChangeKind.STATUS_REMOVED
    assert tombstone.note == "Court order of 3 March."
    assert tombstone.status_update == verdict


def test_a_removal_needs_a_reason_and_a_superuser(verdict, superuser):
    with pytest.raises(ValidationError) as refused:
        services.status_update_remove(update=verdict, removed_by=superuser, reason="  ")
    assert "removal_reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.status_update_remove(update=verdict, removed_by=factories.EditorFactory(), reason="Because.")
    verdict.refresh_from_db()
    assert not verdict.is_removed


def test_removing_a_correction_brings_back_the_update_it_corrected(superuser):
    claim = factories.ClaimFactory(made_on=NOV_7)
    editor = factories.EditorFactory()
    first = record_status(
        claim=claim, status=status_on("promise", "kept"), effective_on=NOV_7, rationale="Kept.", recorded_by=editor
    )
    correction = record_status(
        claim=claim,
        status=status_on("promise", "compromise"),
        effective_on=NOV_7,
        rationale="Only half.",
        recorded_by=editor,
        corrects=first,
    )
    claim.refresh_from_db()
    assert claim.current_status.slug == "compromise"
    services.status_update_remove(update=correction, removed_by=superuser, reason="Posted on the wrong claim.")
    claim.refresh_from_db()
    assert claim.current_status.slug == "kept"


def test_a_published_claim_never_goes_back_to_draft():
    claim = factories.ClaimFactory()
    with pytest.raises(ValidationError) as refused:
        services.claim_set_visibility(claim=claim, visibility=Visibility.DRAFT, changed_by=None)
    assert "visibility" in refused.value.message_dict
    claim.refresh_from_db()
    assert claim.visibility == Visibility.PUBLISHED


def test_a_withdrawal_needs_a_reason_which_the_change_feed_keeps():
    claim = factories.ClaimFactory()
    with pytest.raises(ValidationError) as refused:
        services.claim_set_visibility(claim=claim, visibility=Visibility.WITHDRAWN, changed_by=None)
    assert "withdrawal_reason" in refused.value.message_dict
    services.claim_set_visibility(
        claim=claim, visibility=Visibility.WITHDRAWN, changed_by=None, reason="The speaker was misidentified."
    )
    claim.refresh_from_db()
    assert claim.withdrawal_reason == "The speaker was misidentified."
    assert claim.withdrawn_at is not None
    change = ClaimChange.objects.filter(claim=claim).last()
    assert (change.kind, change.note) == (ChangeKind.WITHDRAWN, "The speaker was misidentified.")


def test_an_edit_of_a_withdrawn_claim_keeps_its_reason():
    claim = factories.ClaimFactory()
    services.claim_set_visibility(claim=claim, visibility=Visibility.WITHDRAWN, changed_by=None, reason="Duplicate.")
    claim.refresh_from_db()
    claim.summary = "A better summary"
    services.claim_save(claim=claim, saved_by=None)
    claim.refresh_from_db()
    assert (claim.visibility, claim.withdrawal_reason) == (Visibility.WITHDRAWN, "Duplicate.")


def test_restoring_a_withdrawn_claim_clears_the_reason_but_the_log_keeps_it():
    claim = factories.ClaimFactory()
    services.claim_set_visibility(claim=claim, visibility=Visibility.WITHDRAWN, changed_by=None, reason="Duplicate.")
    services.claim_set_visibility(claim=claim, visibility=Visibility.PUBLISHED, changed_by=None)
    claim.refresh_from_db()
    assert (claim.withdrawal_reason, claim.withdrawn_at) == ("", None)
    assert ClaimChange.objects.filter(claim=claim, kind=ChangeKind.WITHDRAWN, note="Duplicate.").exists()


def test_a_source_cited_as_evidence_of_a_published_verdict_cannot_be_deleted(verdict, superuser):
    source = verdict.evidence.get()
    with pytest.raises(ValidationError, match="evidence for a published verdict"):
        services.source_delete(source=source, deleted_by=superuser)
    assert verdict.evidence.filter(pk=source.pk).exists()


def test_the_admin_offers_no_delete_for_a_source_that_is_evidence(verdict, superuser, client):
    source = verdict.evidence.get()
    client.force_login(superuser)
    response = client.post(f"/admin/claims/source/{source.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert verdict.evidence.filter(pk=source.pk).exists()
    unused = factories.SourceFactory()
    selection = {"action": "delete_selected", "_selected_action": [source.pk, unused.pk]}
    confirmation = client.post("/admin/claims/source/", selection)
    assert "permission to delete" in confirmation.content.decode()
    assert client.post("/admin/claims/source/", {**selection, "post": "yes"}).status_code == 403
    assert verdict.evidence.filter(pk=source.pk).exists()
    assert type(unused).objects.filter(pk=unused.pk).exists()


def test_a_long_public_reason_is_kept_whole_while_the_history_notes_it_within_its_column(superuser):
    from claimtracker.versioning import HISTORY_REASON_LENGTH

    claim = factories.ClaimFactory()
    reason = "A court order of 3 March requires it, and " * 8
    services.claim_set_visibility(claim=claim, visibility=Visibility.WITHDRAWN, changed_by=superuser, reason=reason)
    claim.refresh_from_db()
    assert claim.withdrawal_reason == reason.strip()
    noted = claim.history.latest().history_change_reason
    assert noted.startswith("Withdrawn: A court order")
    assert len(noted) <= HISTORY_REASON_LENGTH
