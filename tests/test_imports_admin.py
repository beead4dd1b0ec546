"""Editors import a spreadsheet in the admin: upload, dry-run preview with row-level errors,
confirm; everything or nothing is written, through the services, with the editor in the history."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from claims.models import Claim, ClaimAppearance, ClaimChange, Source, StatusUpdate
from imports.models import ImportRun
from imports.spreadsheet import COLUMNS
from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "imports" / "samples" / "sample.csv"
UPLOAD = reverse("admin:imports_importrun_upload")


def csv_file(rows: list[dict[str, str]], name: str = "claims.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[dict[str, object]], name: str = "claims.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(column) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


PERSON = {"type": "person", "slug": "ada-mayor", "name": "Ada Mayor", "role": "Mayor"}
PLAN = {
    "type": "claim",
    "slug": "roads-plan",
    "person": "ada-mayor",
    "claim_kind": "plan",
    "summary": "Fix the roads",
    "quote": "We will fix every road.",
    "made_on": "2025-01-15",
    "topics": "Transport",
    "visibility": "published",
}
COMPONENT = {
    "type": "claim",
    "slug": "fix-bridges",
    "person": "ada-mayor",
    "claim_kind": "pledge",
    "summary": "Repair the bridges",
    "quote": "All bridges will be repaired.",
    "made_on": "2025-01-15",
    "deadline": "2027-01-15",
    "parent": "roads-plan",
    "topics": "Transport; Safety",
    "visibility": "published",
}
SOURCE = {
    "type": "source",
    "claim": "fix-bridges",
    "url": "https://news.example/mayor-roads?utm_source=x",
    "title": "Mayor unveils roads plan",
    "publisher": "Gazette",
    "published_on": "2025-01-15",
    "first_appearance": "yes",
}
STATUS = {
    "type": "status",
    "claim": "fix-bridges",
    "status": "in-the-works",
    "effective_on": "2025-06-01",
    "rationale": "The council approved the budget.",
    "evidence_url": "https://council.example/minutes/2025-05-28",
}


@pytest.fixture
def editor(client):
    user = factories.EditorFactory()
    client.force_login(user)
    return user


def upload(client, file) -> object:
    return client.post(UPLOAD, {"file": file}, follow=True)


def confirm(client, run: ImportRun) -> object:
    return client.post(reverse("admin:imports_importrun_preview", args=[run.pk]), follow=True)


def nothing_imported() -> bool:
    return not (Person.objects.exists() or Claim.objects.exists() or Source.objects.exists())


def test_a_valid_file_previews_then_imports_everything_through_the_services(client, editor):
    preview = upload(client, csv_file([PERSON, PLAN, COMPONENT, SOURCE, STATUS]))
    run = ImportRun.objects.get()

    assert preview.status_code == 200
    assert "No problems found" in preview.content.decode()
    assert run.counts == {"people": 1, "claims": 2, "sources": 1, "statuses": 1}
    assert nothing_imported(), "the preview writes nothing"

    done = confirm(client, run)
    run.refresh_from_db()

    assert "Imported 1 people, 2 claims, 1 sources and 1 status updates" in done.content.decode()
    assert run.state == "imported"
    assert run.user == editor
    assert run.content == b""
    plan, component = Claim.objects.get(slug="roads-plan"), Claim.objects.get(slug="fix-bridges")
    assert component.parent == plan
    assert component.claimant.name == "Ada Mayor"
    assert sorted(topic.name for topic in component.topics.all()) == ["Safety", "Transport"]
    assert component.current_status.slug == "in-the-works"
    assert component.visibility == "published"
    appearance = ClaimAppearance.objects.get(claim=component)
    assert appearance.is_first_appearance
    assert appearance.source.url == "https://news.example/mayor-roads"
    # The audit history and the change log name the importing editor.
    assert component.created_by == editor
    assert component.history.first().history_user == editor
    assert Person.objects.get().history.first().history_user == editor
    assert Person.objects.get().history.first().history_change_reason == "Imported from claims.csv"
    assert StatusUpdate.objects.get().recorded_by == editor
    assert [source.url for source in StatusUpdate.objects.get().evidence.all()] == [STATUS["evidence_url"]]
    assert set(ClaimChange.objects.values_list("changed_by", flat=True)) == {editor.pk}


def test_the_shipped_sample_imports(client, editor):
    with SAMPLE.open("rb") as sample:
        upload(client, SimpleUploadedFile("sample.csv", sample.read()))
    run = ImportRun.objects.get()
    assert run.errors == []

    confirm(client, run)

    assert Claim.objects.count() == 4
    assert Claim.objects.get(slug="fix-bridges").parent.slug == "roads-plan"
    # Three places the claims appeared, and the council minutes cited as evidence.
    assert Source.objects.count() == 4
    assert Claim.objects.get(slug="roads-plan").wording == "verbatim"
    homes = Claim.objects.get(slug="homes")
    assert (homes.wording, homes.original_language, homes.made_on_display) == ("translation", "fr", "February 2025")
    assert Claim.objects.get(slug="council-tax-freeze").made_on_display == "between January 2025 and March 2025"
    assert StatusUpdate.objects.filter(status__is_default=False, evidence__isnull=False).count() == 1


def test_an_xlsx_file_works_too(client, editor):
    import datetime

    component = {**COMPONENT, "made_on": datetime.datetime(2025, 1, 15), "deadline": datetime.date(2027, 1, 15)}
    upload(client, xlsx_file([PERSON, PLAN, component, SOURCE, STATUS]))
    run = ImportRun.objects.get()
    assert run.errors == []

    confirm(client, run)

    assert Claim.objects.get(slug="fix-bridges").made_on == datetime.date(2025, 1, 15)
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize(
    ("rows", "row", "column", "message"),
    [
        ([{**PLAN, "person": "nobody"}], 2, "person", "Unknown person “nobody”"),
        ([PERSON, {**PLAN, "made_on": "15/01/2025"}], 3, "made_on", "is not a date"),
        ([PERSON, {**PLAN, "summary": "x" * 121}], 3, "summary", "at most 120"),
        ([PERSON, {**PLAN, "claim_kind": "pledge"}, COMPONENT], 4, "parent", "is not a plan"),
        ([PERSON, PLAN, COMPONENT, SOURCE, {**SOURCE, "first_appearance": "no"}], 6, "url", "Duplicate URL"),
        ([PERSON, PLAN, COMPONENT, {**STATUS, "status": "accurate"}], 5, "status", "is not on the promise scale"),
        ([PERSON, PLAN, {**STATUS, "claim": "ghost"}], 4, "claim", "Unknown claim"),
        ([{**PERSON, "type": "politician"}], 2, "type", "is not a row type"),
        ([PERSON, {**PLAN, "quote": ""}], 3, "quote", "Required"),
    ],
)
def test_each_bad_row_is_reported_in_the_preview_and_nothing_can_be_imported(
    client, editor, rows, row, column, message
):
    preview = upload(client, csv_file(rows))
    run = ImportRun.objects.get()

    assert any(
        error["row"] == row and error["column"] == column and message in error["message"] for error in run.errors
    ), run.errors
    assert message in preview.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert "Nothing can be imported" in preview.content.decode()

    confirm(client, run)
    run.refresh_from_db()
    assert run.state == "previewed"
    assert nothing_imported()


def test_a_slug_that_already_exists_is_an_error(client, editor):
    factories.PersonFactory(slug="ada-mayor")

    upload(client, csv_file([PERSON]))

    assert "already exists" in ImportRun.objects.get().errors[0]["message"]


def test_the_import_is_all_or_nothing_when_a_row_fails_at_confirm(client, editor):
    upload(client, csv_file([PERSON, PLAN, COMPONENT, SOURCE, STATUS]))
    run = ImportRun.objects.get()
    # Between preview and confirm, someone else creates a claim with one of the file's slugs.
    factories.ClaimFactory(slug="fix-bridges")

    response = confirm(client, run)
    run.refresh_from_db()

    assert "Nothing was imported" in response.content.decode()
    assert run.state == "failed"
    assert not Person.objects.filter(slug="ada-mayor").exists()
    assert not Claim.objects.filter(slug="roads-plan").exists()
    assert not Source.objects.exists()


def test_an_unreadable_or_oversized_file_is_refused_with_a_clear_error(client, editor, settings):
    bad = upload(client, SimpleUploadedFile("claims.txt", b"type\nperson\n"))
    assert "Upload a .csv or .xlsx file." in bad.content.decode()

    no_type = upload(client, SimpleUploadedFile("claims.csv", b"name\nAda\n"))
    assert "with a “type” column" in no_type.content.decode()

    settings.IMPORTS_MAX_BYTES = 100
    big = upload(client, csv_file([PERSON, PLAN, COMPONENT]))
    assert "the limit is 0.0 MB" in big.content.decode()

    settings.IMPORTS_MAX_BYTES = 5_000_000
    settings.IMPORTS_MAX_ROWS = 2
    many = upload(client, csv_file([PERSON, PLAN, COMPONENT]))
    assert "more than 2 rows" in many.content.decode()
    assert not ImportRun.objects.exists()


def test_a_viewer_cannot_import(client):
    client.force_login(factories.ViewerFactory())

    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": csv_file([PERSON])}).status_code == 403
    assert client.get(reverse("admin:imports_importrun_template")).status_code == 403
    assert nothing_imported()
    assert not ImportRun.objects.exists()


def test_an_editor_cannot_confirm_another_editors_upload(client, editor):
    upload(client, csv_file([PERSON]))
    run = ImportRun.objects.get()
    client.force_login(factories.EditorFactory())

    assert client.post(reverse("admin:imports_importrun_preview", args=[run.pk])).status_code == 404
    assert nothing_imported()


def test_the_template_and_the_entry_point_are_in_the_admin(client, editor):
    template = client.get(reverse("admin:imports_importrun_template"))
    assert b"".join(template.streaming_content).decode().strip() == ",".join(COLUMNS)

    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert "Import from spreadsheet" in page.content.decode()
    assert client.get(reverse("admin:imports_importrun_add")).url == UPLOAD
    assert client.get(reverse("admin:imports_importrun_changelist")).status_code == 200
