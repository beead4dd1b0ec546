"""Hostile or broken spreadsheets are refused early and clearly: a form error or a row error in
the preview, never a server error, and never more than a bounded amount of memory and time."""

from __future__ import annotations

import functools
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Claim, Topic
from imports import spreadsheet
from imports.models import ImportRun
from people.models import Person
from tests import factories
from tests import import_files as files
from tests.scratch_databases import REPO
from tests.test_imports_admin import PERSON, PLAN, csv_file, upload

pytestmark = pytest.mark.django_db

# What the probe found: 1.17 MB of workbook whose shared strings expand to 1.2 GB, and a sheet of
# empty rows expanding to gigabytes. Built once, in memory.
HOSTILE_WORKBOOKS: dict[str, tuple[Callable[[], bytes], str]] = {
    "shared strings bomb": (lambda: files.shared_strings_bomb(1_200_000_000), "expands to 1,200 MB"),
    "empty rows bomb": (lambda: files.empty_rows_bomb(1_000_000_000), "MB; the limit is 30 MB"),
    "compressed a thousandfold": (
        lambda: files.compressed_part_under_the_size_limit(25_000_000),
        "which no spreadsheet is",
    ),
    "a hundred thousand empty rows": (lambda: files.modest_empty_rows(100_000), "counting empty ones"),
    "a row of 5,000 cells": (lambda: files.wide_row(5_000), "more than 1,000 cells"),
    "six hundred thousand empty cells": (lambda: files.many_cells(600, 1_000), "more than 500,000 cells"),
    "external entity (XXE)": (files.dtd_workbook, "document type declaration (DTD)"),
    "billion laughs": (lambda: files.dtd_workbook(files.BILLION_LAUGHS, "&lol3;"), "document type declaration"),
    "truncated archive": (files.truncated_workbook, "not a zip archive, or it is cut short"),
    "damaged archive": (files.corrupted_workbook, "The workbook is damaged"),
    "not a zip at all": (lambda: b"type,slug,name\nperson,ada,Ada\n", "This is not an XLSX workbook"),
    "too many parts": (lambda: files.many_parts_workbook(500), "at most 200"),
    "a part outside the workbook": (
        lambda: files.unexpected_part_workbook("xl/../../etc/cron.d/job"),
        "a part a spreadsheet does not",
    ),
}


@functools.cache
def hostile(name: str) -> bytes:
    return HOSTILE_WORKBOOKS[name][0]()


@pytest.fixture
def editor(client):
    user = factories.EditorFactory()
    client.force_login(user)
    return user


def page_text(response) -> str:
    return response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")


@pytest.mark.parametrize("name", HOSTILE_WORKBOOKS)
def test_a_hostile_workbook_is_refused_on_the_upload_form_with_a_clear_error(client, editor, name):
    response = upload(client, SimpleUploadedFile("claims.xlsx", hostile(name)))

    assert response.status_code == 200
    assert HOSTILE_WORKBOOKS[name][1] in page_text(response)
    assert 'class="errorlist' in response.content.decode()
    assert not ImportRun.objects.exists()
    assert not Person.objects.exists()


# Linux carries a process's peak memory over to the program it executes, so a child forked from
# this (large) test process would report at least this process's size: a small Python launches it.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.run([sys.executable, *sys.argv[1:]]).returncode)"


def parse_in_a_subprocess(tmp_path: Path, content: bytes, file_name: str) -> dict:
    path = tmp_path / file_name
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", LAUNCHER, "-m", "tests.import_files", str(path), file_name],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "name",
    [
        "shared strings bomb",
        "empty rows bomb",
        "compressed a thousandfold",
        "a hundred thousand empty rows",
        "six hundred thousand empty cells",
        "billion laughs",
    ],
)
def test_a_hostile_workbook_costs_a_bounded_amount_of_memory_and_time(tmp_path, name):
    outcome = parse_in_a_subprocess(tmp_path, hostile(name), "claims.xlsx")

    assert outcome["error"], outcome
    # The whole process (Python, Django, the parse) stays far below what the bombs used to take
    # (3.8 to 6.2 GB): the archive is refused before anything is expanded.
    assert outcome["max_rss_mb"] < 200, outcome
    assert outcome["seconds"] < 5, outcome


def test_a_full_size_workbook_is_read_within_the_same_bounds(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(spreadsheet.COLUMNS)
    for row in files.large_file_rows(5_000):
        sheet.append([row.get(column) for column in spreadsheet.COLUMNS])
    path = tmp_path / "big.xlsx"
    workbook.save(path)

    outcome = parse_in_a_subprocess(tmp_path, path.read_bytes(), "big.xlsx")

    assert outcome["error"] is None
    assert outcome["rows"] == 5_000
    assert outcome["max_rss_mb"] < 200, outcome


def test_a_workbook_damaged_anywhere_is_refused_with_a_clear_error_never_a_server_error():
    # Mutating a valid workbook byte by byte found damaged headers, impossible offsets, unknown zip
    # versions and XML encodings that the readers report with exceptions of their own.
    rows = [["type", "slug", "name"]] + [["person", f"p{number}", f"P {number}"] for number in range(50)]
    valid = files.xlsx_bytes(files.minimal_parts(files.sheet_xml(rows)), compresslevel=1)
    generator = random.Random(7)  # noqa: S311 - a repeatable sequence of mutations, not a secret
    refusals = []
    for _ in range(400):
        damaged = bytearray(valid)
        for _ in range(generator.randint(1, 8)):
            damaged[generator.randrange(len(damaged))] = generator.randrange(256)
        if generator.random() < 0.2:
            damaged = damaged[: generator.randrange(len(damaged))]
        try:
            list(spreadsheet.read_rows(file_name="claims.xlsx", content=bytes(damaged)))
        except spreadsheet.FileError as error:
            refusals.append(str(error))
    assert len(refusals) > 300
    assert all(refusals)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"type,slug,name\n", "no rows under the header"),
        (b"\n", "with a “type” column"),
        (b"type,slug,name\n" + b"\n" * 30_000 + b"person,ada,Ada\n", "counting empty ones"),
        (b"type,slug,name\nperson,ada," + b"x" * 40_000 + b"\n", "more than 32,767 characters"),
        (b"type,slug,name\nperson,ada,Ada" + b",x" * 1_200 + b"\n", "more than 1,000 cells"),
        (b"type,slug,slug\nperson,ada,ada\n", "appear more than once"),
        (("type," + ",".join(f"extra{n}" for n in range(500)) + "\n").encode(), "extra9 …"),
    ],
)
def test_a_csv_file_that_cannot_be_used_is_refused_on_the_upload_form(client, editor, content, message):
    response = upload(client, SimpleUploadedFile("claims.csv", content))

    assert response.status_code == 200
    assert message in page_text(response)
    assert not ImportRun.objects.exists()


def test_a_csv_row_shorter_than_its_header_is_previewed_with_its_missing_values_as_row_errors(client, editor):
    response = upload(client, SimpleUploadedFile("claims.csv", b"type,slug,name,role\nperson,ada\n"))

    assert response.status_code == 200
    assert ImportRun.objects.get().errors == [{"row": 2, "column": "name", "message": "Required."}]
    assert "ada" in page_text(response)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({**PERSON, "name": "Ada\x00Mayor"}, "name", "NUL character"),
        ({**PERSON, "role": "Mayor\x00"}, "role", "NUL character"),
        ({**PERSON, "name": "A" * 300}, "name", "at most 200 characters (it has 300)"),
        ({**PERSON, "country": "C" * 150}, "country", "at most 100 characters"),
        ({**PERSON, "slug": "ada mayor!"}, "slug", "valid “slug”"),
        ({**PLAN, "person": "someone", "topics": "!!!"}, "topics", "“!!!” cannot be a topic"),
        ({**PLAN, "person": "someone", "topics": "T" * 300}, "topics", "at most 80 characters (it has 300)"),
        ({**PLAN, "person": "someone", "summary": "Roads\x00"}, "summary", "NUL character"),
        ({**PLAN, "person": "someone", "quote": "We will\x00"}, "quote", "NUL character"),
        ({**PLAN, "person": "someone", "visibility": "withdrawn"}, "visibility", "is not one of: draft, published"),
    ],
)
def test_a_value_the_models_would_refuse_is_a_row_error_naming_its_column(client, editor, row, column, message):
    factories.PersonFactory(slug="someone")
    response = upload(client, csv_file([row]))
    run = ImportRun.objects.get()

    assert response.status_code == 200
    assert any(e["row"] == 2 and e["column"] == column and message in e["message"] for e in run.errors), run.errors
    assert "Nothing can be imported" in page_text(response)

    client.post(reverse("admin:imports_importrun_preview", args=[run.pk]), follow=True)
    assert not Claim.objects.exists()
    assert not Topic.objects.exists()
    assert Person.objects.count() == 1


def test_an_over_long_source_title_or_evidence_address_is_a_row_error(client, editor):
    from tests.test_imports_admin import COMPONENT, SOURCE, STATUS

    long_url = "https://council.example/" + "m" * 1_100
    rows = [PERSON, PLAN, COMPONENT, {**SOURCE, "title": "T" * 301}, {**STATUS, "evidence_url": long_url}]
    upload(client, csv_file(rows))

    errors = {(error["row"], error["column"]) for error in ImportRun.objects.get().errors}
    assert errors == {(5, "title"), (6, "evidence_url")}


def test_an_address_python_cannot_even_split_is_a_row_error(client, editor):
    from tests.test_imports_admin import COMPONENT, SOURCE, STATUS

    quoted = {**COMPONENT, "wording": "verbatim", "quoted_from": "http://[oops"}
    rows = [PERSON, PLAN, quoted, {**SOURCE, "url": "http://[oops"}, {**STATUS, "evidence_url": "https://[zz]/"}]
    response = upload(client, csv_file(rows))

    assert response.status_code == 200
    errors = {(error["row"], error["column"]) for error in ImportRun.objects.get().errors}
    assert errors == {(4, "quoted_from"), (5, "url"), (6, "evidence_url")}


def test_a_header_only_upload_kept_from_before_is_refused_at_confirm_not_a_server_error(client, editor):
    run = ImportRun.objects.create(user=editor, file_name="claims.csv", file_sha256="0" * 64, content=b"type\n")

    response = client.post(reverse("admin:imports_importrun_preview", args=[run.pk]), follow=True)

    assert response.status_code == 200
    run.refresh_from_db()
    assert run.state == "failed"
    assert "nothing to import" in run.errors[0]["message"]


def test_plans_that_are_components_of_each_other_are_a_row_error_not_a_server_error(client, editor):
    first = {**PLAN, "slug": "first", "parent": "second"}
    second = {**PLAN, "slug": "second", "parent": "first"}
    upload(client, csv_file([PERSON, first, second]))

    errors = ImportRun.objects.get().errors
    assert {(error["row"], error["column"]) for error in errors} == {(3, "parent"), (4, "parent")}


def test_the_file_is_parsed_once_at_upload_and_never_again(client, editor, monkeypatch):
    upload(client, csv_file([PERSON, PLAN]))
    run = ImportRun.objects.get()

    def parse_again(**kwargs):
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(spreadsheet, "read_rows", parse_again)
    preview_url = reverse("admin:imports_importrun_preview", args=[run.pk])
    for _ in range(3):
        assert "No problems found" in client.get(preview_url).content.decode()
    client.post(preview_url, follow=True)

    run.refresh_from_db()
    assert run.state == "imported"
    assert run.rows is None, "the rows are dropped with the file once it is imported"
    assert Claim.objects.get().slug == "roads-plan"


def test_an_upload_kept_from_before_rows_were_stored_is_read_once_then_kept(client, editor):
    content = csv_file([PERSON, PLAN]).read()
    run = ImportRun.objects.create(user=editor, file_name="claims.csv", file_sha256="0" * 64, content=content)

    page = client.get(reverse("admin:imports_importrun_preview", args=[run.pk]))

    assert "Ada Mayor" in page.content.decode()
    run.refresh_from_db()
    assert [row[0] for row in run.rows] == [2, 3]
