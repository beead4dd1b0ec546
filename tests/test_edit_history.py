"""Nothing an editor does is lost: every change is in the history, and can be restored."""

import pytest
from django.urls import reverse

from claims.models import Claim, Status, StatusUpdate
from people.models import Person
from tests import factories
from tests.admin_forms import admin_form_data
from tests.factories import record_status

pytestmark = pytest.mark.django_db


def edit_in_admin(client, url: str, **changes) -> None:
    data = admin_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


def test_each_admin_edit_records_who_changed_which_field(client):
    editor = factories.EditorFactory(username="ana")
    claim = factories.ClaimFactory(summary="Before")
    client.force_login(editor)
    edit_in_admin(client, reverse("admin:claims_claim_change", args=[claim.pk]), summary_en="After")
    latest, previous = claim.history.order_by("-history_id")[:2]
    assert latest.history_user == editor
    assert [
        (change.field, change.old, change.new)
        for change in latest.diff_against(previous).changes
        if change.field == "summary"
    ] == [("summary", "Before", "After")]


def test_recording_a_status_update_is_in_the_claims_history_with_a_reason():
    claim = factories.ClaimFactory()
    editor = factories.EditorFactory()
    record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="stalled"),
        effective_on=claim.made_on,
        rationale="Talks broke down.",
        recorded_by=editor,
    )
    entry = claim.history.latest()
    assert entry.current_status.slug == "stalled"
    assert entry.history_user == editor
    assert entry.history_change_reason == "Status update recorded: Stalled"


def test_an_editor_restores_an_earlier_version_and_the_restore_is_recorded(client):
    editor = factories.EditorFactory()
    person = factories.PersonFactory(role="President-elect")
    client.force_login(editor)
    change_url = reverse("admin:people_person_change", args=[person.pk])
    edit_in_admin(client, change_url, role="President")
    first_version = person.history.order_by("history_id").first()
    assert first_version.role == "President-elect"

    restore_url = reverse("admin:people_person_simple_history", args=[person.pk, first_version.history_id])
    edit_in_admin(client, restore_url)

    person.refresh_from_db()
    assert person.role == "President-elect"
    restore_entry = person.history.latest()
    assert restore_entry.history_change_reason.startswith("Restored the version saved")
    assert f"(history entry {first_version.history_id})" in restore_entry.history_change_reason
    assert "None" not in restore_entry.history_change_reason
    assert restore_entry.history_user == editor
    assert person.history.count() == 3


def test_restoring_an_old_claim_version_keeps_the_status_from_the_timeline(client):
    editor = factories.EditorFactory()
    claim = factories.ClaimFactory(summary="Original")
    client.force_login(editor)
    original = claim.history.order_by("history_id").first()
    edit_in_admin(client, reverse("admin:claims_claim_change", args=[claim.pk]), summary="Edited")
    record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="kept"),
        effective_on=claim.made_on,
        rationale="Done.",
        recorded_by=editor,
    )
    edit_in_admin(client, reverse("admin:claims_claim_simple_history", args=[claim.pk, original.history_id]))
    claim.refresh_from_db()
    assert claim.summary == "Original"
    assert claim.current_status.slug == "kept"


def test_a_superusers_delete_leaves_an_audit_entry(client):
    person = factories.PersonFactory(name="Short-lived")
    client.force_login(factories.SuperuserFactory())
    response = client.post(reverse("admin:people_person_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    deleted = Person.history.filter(id=person.pk).latest()
    assert deleted.history_type == "-"
    assert deleted.name == "Short-lived"


def test_editors_can_read_the_history_page(client):
    claim = factories.ClaimFactory()
    client.force_login(factories.EditorFactory())
    response = client.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    assert response.status_code == 200
    assert claim.summary in response.content.decode()


def test_withdrawing_hides_a_claim_but_keeps_it_with_its_reason(client):
    claim = factories.ClaimFactory()
    client.force_login(factories.EditorFactory())
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "withdraw_claims", "_selected_action": [claim.pk], "apply": "1", "reason": "Misattributed."},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.visibility == "withdrawn"
    assert claim.withdrawal_reason == "Misattributed."
    assert Claim.objects.published().filter(pk=claim.pk).count() == 0
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_superuser_removing_an_update_brings_the_status_back_and_keeps_the_row(client):
    claim = factories.ClaimFactory()
    editor = factories.EditorFactory()
    superuser = factories.SuperuserFactory()
    for slug in ["in-the-works", "kept"]:
        record_status(
            claim=claim,
            status=Status.objects.get(scale="promise", slug=slug),
            effective_on=claim.made_on,
            rationale=f"Now {slug}.",
            recorded_by=editor,
        )
    mistaken = claim.status_updates.get(status__slug="kept")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:claims_statusupdate_remove", args=[mistaken.pk]), {"reason": "Court order of 3 March."}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.current_status.slug == "in-the-works"
    mistaken.refresh_from_db()
    assert mistaken.removed_by == superuser
    assert mistaken.removal_reason == "Court order of 3 March."
    assert mistaken.history.latest().history_change_reason == "Removed: Court order of 3 March."


def test_a_superuser_deleting_a_draft_brings_the_status_back_and_keeps_a_copy(client):
    claim = factories.ClaimFactory()
    editor = factories.EditorFactory()
    superuser = factories.SuperuserFactory()
    draft = record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="kept"),
        effective_on=claim.made_on,
        rationale="Now kept.",
        recorded_by=editor,
        publish=False,
    )
    client.force_login(superuser)
    response = client.post(reverse("admin:claims_statusupdate_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not StatusUpdate.objects.filter(pk=draft.pk).exists()
    deleted = StatusUpdate.history.get(id=draft.pk, history_type="-")
    assert deleted.history_user == superuser
    assert deleted.rationale == "Now kept."


def test_a_draft_that_was_corrected_cannot_be_deleted_before_its_correction(client):
    original = factories.StatusUpdateFactory(published_at=None)
    factories.StatusUpdateFactory(claim=original.claim, corrects=original, published_at=None)
    client.force_login(factories.SuperuserFactory())
    client.post(reverse("admin:claims_statusupdate_delete", args=[original.pk]), {"post": "yes"})
    assert StatusUpdate.objects.filter(pk=original.pk).exists()
