"""A large import shows its progress as it goes, and is still all or nothing."""

import pytest
from django.urls import reverse

from claims.models import Claim
from imports.models import ImportRun
from people.models import Person
from tests import factories
from tests.test_imports_admin import COMPONENT, PERSON, PLAN, SOURCE, STATUS, csv_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, settings):
    settings.IMPORTS_PROGRESS_ROWS = 3  # so a five-row file counts as large
    user = factories.EditorFactory()
    client.force_login(user)
    return user


def start_import(client) -> tuple[ImportRun, object]:
    upload(client, csv_file([PERSON, PLAN, COMPONENT, SOURCE, STATUS]))
    run = ImportRun.objects.get()
    response = client.post(reverse("admin:imports_importrun_preview", args=[run.pk]))
    return run, response


def test_a_large_import_streams_its_progress_then_the_outcome(client, editor):
    run, response = start_import(client)
    assert response.streaming
    assert response["X-Accel-Buffering"] == "no"
    pieces = [piece.decode() for piece in response.streaming_content]
    page = "".join(pieces)

    assert "Importing 5 rows from claims.csv" in page
    assert "1 of 5 rows imported (20%)" in page
    assert "5 of 5 rows imported (100%)" in page
    assert "Imported 1 people, 2 claims, 1 sources and 1 status updates" in page
    assert page.index("1 of 5 rows") < page.index("5 of 5 rows") < page.index("Imported 1 people")
    assert len(pieces) > 3, "the page arrives in pieces, not all at once"
    run.refresh_from_db()
    assert run.state == "imported"
    assert Claim.objects.get(slug="fix-bridges").current_status.slug == "in-the-works"


def test_a_large_import_that_fails_part_way_imports_nothing_and_says_so(client, editor, monkeypatch):
    from django.core.exceptions import ValidationError

    from claims.models import StatusUpdate

    def refuse(update):
        raise ValidationError({"effective_on": "Refused for this test."})

    # The file passes the re-check; its last row, the status update, fails while importing.
    monkeypatch.setattr(StatusUpdate, "clean", refuse)
    run, response = start_import(client)
    page = b"".join(response.streaming_content).decode()

    assert "4 of 5 rows imported" in page or "5 of 5 rows imported" in page
    assert "Nothing was imported: 1 row(s) failed" in page
    run.refresh_from_db()
    assert run.state == "failed"
    assert "Refused for this test." in run.errors[0]["message"]
    assert not Person.objects.filter(slug="ada-mayor").exists()
    assert not Claim.objects.filter(slug="roads-plan").exists()


def test_stopping_part_way_rolls_back_every_row_written_so_far(editor):
    # What happens when the reader closes the page: the server closes the response's iterable,
    # which closes these steps (the page's generator holds them) at the row they had reached.
    from imports import spreadsheet

    plan = spreadsheet.preview(
        file_name="claims.csv", content=csv_file([PERSON, PLAN, COMPONENT, SOURCE, STATUS]).read()
    )
    steps = spreadsheet.apply_in_steps(plan=plan, user=editor, reason="Test")
    assert next(steps).done == 1  # the person has been written, inside the transaction
    assert Person.objects.filter(slug="ada-mayor").exists()
    steps.close()

    assert not Person.objects.filter(slug="ada-mayor").exists()
    assert not Claim.objects.exists()


def test_a_small_file_is_imported_in_one_go_as_before(client, editor, settings):
    settings.IMPORTS_PROGRESS_ROWS = 100
    run, response = start_import(client)
    assert not response.streaming
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == "imported"
