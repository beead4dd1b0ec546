"""The import writes in bulk, and leaves what the services would: one history entry per record
naming the editor and the file, the change feed's entries, the claim's stored status, verdicts
awaiting approval; records created since the preview are reused or reported, never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import ChangeKind, Claim, ClaimChange, Source, StatusUpdate, Topic
from imports import spreadsheet, writer
from people.models import Person
from tests import factories
from tests.import_files import csv_bytes, large_file_rows
from tests.test_imports_admin import COMPONENT, PERSON, PLAN, SOURCE, STATUS

pytestmark = pytest.mark.django_db


def checked(rows: list[dict[str, str]]) -> spreadsheet.ImportPlan:
    plan = spreadsheet.preview(file_name="claims.csv", content=csv_bytes(rows))
    assert plan.errors == []
    return plan


def test_each_record_gets_one_history_entry_naming_the_editor_and_the_file(editor):
    spreadsheet.apply(
        plan=checked([PERSON, PLAN, COMPONENT, SOURCE, STATUS]), user=editor, reason="Imported from x.csv"
    )

    component = Claim.objects.get(slug="fix-bridges")
    for record in (
        Person.objects.get(),
        component,
        Source.objects.first(),
        Topic.objects.first(),
        StatusUpdate.objects.get(),
    ):
        entries = list(record.history.all())
        assert [(entry.history_type, entry.history_user, entry.history_change_reason) for entry in entries] == [
            ("+", editor, "Imported from x.csv")
        ], record
    # The one entry holds the claim as it ends up: at its latest status.
    assert component.history.get().current_status.slug == "in-the-works"


def test_the_change_feed_gets_a_created_entry_per_claim_and_one_per_published_status(editor):
    spreadsheet.apply(plan=checked([PERSON, PLAN, COMPONENT, SOURCE, STATUS]), user=editor, reason="Test")

    changes = [
        (change.claim.slug, change.kind, change.status_update_id is not None) for change in ClaimChange.objects.all()
    ]
    assert changes == [
        ("roads-plan", ChangeKind.CREATED, False),
        ("fix-bridges", ChangeKind.CREATED, False),
        ("fix-bridges", ChangeKind.STATUS_RECORDED, True),
    ]
    assert {change.visibility for change in ClaimChange.objects.all()} == {"published"}
    assert {change.changed_by for change in ClaimChange.objects.all()} == {editor}


def test_a_claims_stored_status_is_its_latest_update_by_the_date_it_took_effect(editor):
    later = {**STATUS, "status": "kept", "effective_on": "2025-09-01"}
    earlier = {**STATUS, "status": "in-the-works", "effective_on": "2025-03-01"}
    spreadsheet.apply(plan=checked([PERSON, PLAN, COMPONENT, SOURCE, later, earlier]), user=editor, reason="Test")

    component = Claim.objects.get(slug="fix-bridges")
    assert (component.current_status.slug, component.status_changed_on) == ("kept", datetime.date(2025, 9, 1))
    assert component.status_updates.count() == 2


def test_with_verdict_approval_on_an_imported_verdict_waits_for_a_second_editor(editor, settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    spreadsheet.apply(plan=checked([PERSON, PLAN, COMPONENT, SOURCE, STATUS]), user=editor, reason="Test")

    update = StatusUpdate.objects.get()
    assert update.published_at is None
    assert update.submitted_at is not None
    assert Claim.objects.get(slug="fix-bridges").current_status.is_default
    assert not ClaimChange.objects.filter(kind=ChangeKind.STATUS_RECORDED).exists()


def test_a_source_or_topic_created_since_the_preview_is_reused_not_duplicated(editor):
    plan = checked([PERSON, PLAN, COMPONENT, SOURCE, STATUS])
    existing = factories.SourceFactory(url="https://news.example/mayor-roads")
    Topic.objects.create(name="Transport", slug="transport")

    spreadsheet.apply(plan=plan, user=editor, reason="Test")

    assert Claim.objects.get(slug="fix-bridges").appearances.get().source == existing
    assert Topic.objects.filter(slug="transport").count() == 1
    assert Source.objects.count() == 2  # the existing one and the new evidence address


def test_a_person_or_claim_created_while_the_import_was_being_prepared_is_reported_against_its_row(editor):
    batch = writer.prepare(plan=checked([PERSON, PLAN]), user=editor, reason="Test")
    factories.PersonFactory(slug="ada-mayor")

    with pytest.raises(spreadsheet.ImportFailed) as failure:
        list(writer.write(batch))

    assert [(error.row, error.column) for error in failure.value.errors] == [(2, "slug"), (3, "")]
    assert "already exists" in failure.value.errors[0].message
    assert "was not imported" in failure.value.errors[1].message
    assert Person.objects.count() == 1
    assert not Claim.objects.exists()


def test_an_insert_the_database_refuses_is_named_by_its_row_and_rolled_back(editor):
    batch = writer.prepare(plan=checked([PERSON, PLAN, {**PLAN, "slug": "second"}]), user=editor, reason="Test")
    batch.claims[1].claim.quote = ""  # what no check lets through, refused by the claim_quote_not_blank constraint

    with pytest.raises(spreadsheet.ImportFailed) as failure:
        list(writer.write(batch))

    assert [error.row for error in failure.value.errors] == [4]
    assert "claim_quote_not_blank" in failure.value.errors[0].message
    assert not Person.objects.exists()
    assert not Claim.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_rows(editor):
    def queries(rows: int, prefix: str) -> int:
        plan = checked(large_file_rows(rows, prefix=prefix))
        with CaptureQueriesContext(connection) as captured:
            spreadsheet.check(plan.rows)
            spreadsheet.apply(plan=plan, user=editor, reason="Test")
        return len(captured)

    small, large = queries(40, "small"), queries(400, "large")
    # The services took some forty queries a claim; the import takes a few per batch of rows.
    assert large < 100, large
    assert large < small * 4, (small, large)
