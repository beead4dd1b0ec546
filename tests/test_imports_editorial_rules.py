"""Imports follow the editorial rules: how a claim is worded, how precisely it is dated, and
that a verdict cites evidence and never takes effect in the future — found in the preview,
row by row, and never a server error at confirm."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.dates import newsroom_today
from claims.models import Claim, DatePrecision, Source, StatusUpdate, Wording
from imports.models import ImportRun
from tests import factories
from tests.test_imports_admin import COMPONENT, PERSON, PLAN, SOURCE, STATUS, csv_file, upload, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = factories.EditorFactory()
    client.force_login(user)
    return user


def preview_errors(client, rows) -> list[dict]:
    upload(client, csv_file(rows))
    return ImportRun.objects.get().errors


def confirm(client) -> object:
    run = ImportRun.objects.get()
    return client.post(reverse("admin:imports_importrun_preview", args=[run.pk]), follow=True)


TOMORROW = (newsroom_today() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("rows", "row", "column", "message"),
    [
        (
            [PERSON, PLAN, COMPONENT, {**STATUS, "effective_on": TOMORROW}],
            5,
            "effective_on",
            f"{TOMORROW} is after today",
        ),
        (
            [PERSON, PLAN, COMPONENT, {**STATUS, "evidence_url": ""}],
            5,
            "evidence_url",
            "A published verdict (“In the works”) needs at least one evidence source",
        ),
        ([PERSON, PLAN, COMPONENT, {**STATUS, "evidence_url": "council minutes"}], 5, "evidence_url", "web address"),
        ([PERSON, {**PLAN, "wording": "verbatim"}], 3, "quoted_from", "Required for a verbatim"),
        ([PERSON, {**PLAN, "wording": "quote"}], 3, "wording", "is not one of: verbatim, paraphrase, translation"),
        (
            [PERSON, {**PLAN, "wording": "verbatim", "quoted_from": "https://elsewhere.example/x"}],
            3,
            "quoted_from",
            "is not a source in this file or in the tracker",
        ),
        (
            [PERSON, {**PLAN, "wording": "translation", "quoted_from": "https://news.example/mayor-roads"}, SOURCE],
            3,
            "original_language",
            "Required for a translation",
        ),
        (
            [
                PERSON,
                {
                    **PLAN,
                    "wording": "translation",
                    "quoted_from": "https://news.example/mayor-roads",
                    "original_language": "Ukrainian",
                },
            ],
            3,
            "original_language",
            "is not a language tag",
        ),
        ([PERSON, {**PLAN, "original_language": "uk"}], 3, "original_language", "Only a translation"),
        ([PERSON, {**PLAN, "made_on_precision": "week"}], 3, "made_on_precision", "is not one of"),
        ([PERSON, {**PLAN, "made_on_precision": "range"}], 3, "made_until", "Required for a range"),
        ([PERSON, {**PLAN, "made_until": "2025-02-01"}], 3, "made_until", "Only a range has an end date"),
        (
            [PERSON, {**PLAN, "made_on_precision": "range", "made_until": "2025-01-10"}],
            3,
            "made_until",
            "must end after it starts",
        ),
        ([PERSON, {**PLAN, "made_on": "2025-01", "made_on_precision": "day"}], 3, "made_on", "YYYY-MM-DD"),
        ([PERSON, {**PLAN, "made_on": TOMORROW}], 3, "made_on", "is in the future"),
    ],
)
def test_each_editorial_problem_is_a_row_error_in_the_preview_naming_its_column(
    client, editor, rows, row, column, message
):
    errors = preview_errors(client, rows)

    assert any(e["row"] == row and e["column"] == column and message in e["message"] for e in errors), errors
    response = confirm(client)
    assert response.status_code == 200
    assert ImportRun.objects.get().state == "previewed"
    assert not Claim.objects.exists()


def test_wording_and_date_precision_default_to_paraphrase_and_day(client, editor):
    assert preview_errors(client, [PERSON, PLAN]) == []
    confirm(client)

    claim = Claim.objects.get()
    assert (claim.wording, claim.wording_source, claim.made_on_precision) == (Wording.PARAPHRASE, None, "day")


def test_a_verbatim_quote_is_imported_with_the_source_its_words_come_from(client, editor):
    quoted = {**COMPONENT, "wording": "verbatim", "quoted_from": "https://news.example/mayor-roads"}
    assert preview_errors(client, [PERSON, PLAN, quoted, SOURCE, STATUS]) == []
    confirm(client)

    claim = Claim.objects.get(slug="fix-bridges")
    assert claim.wording == Wording.VERBATIM
    assert claim.wording_source == Source.objects.get(url="https://news.example/mayor-roads")


def test_a_translation_keeps_its_language_and_original_text(client, editor):
    translated = {
        **PLAN,
        "wording": "translation",
        "quoted_from": "https://news.example/mayor-roads",
        "original_language": "uk",
        "original_text": "Ми відремонтуємо кожну дорогу.",
    }
    source = {**SOURCE, "claim": "roads-plan"}
    assert preview_errors(client, [PERSON, translated, source]) == []
    confirm(client)

    claim = Claim.objects.get()
    assert (claim.wording, claim.original_language, claim.original_text) == (
        Wording.TRANSLATION,
        "uk",
        "Ми відремонтуємо кожну дорогу.",
    )


def test_a_claim_dated_to_a_month_a_year_or_a_range_states_no_more(client, editor):
    rows = [
        PERSON,
        {**PLAN, "made_on": "2024-09", "made_on_precision": "month"},
        {**COMPONENT, "parent": "", "made_on": "2024", "made_on_precision": "year", "deadline": ""},
        {
            **PLAN,
            "slug": "ranged",
            "made_on": "2024-01-01",
            "made_on_precision": "range",
            "made_until": "2024-11-06",
        },
    ]
    assert preview_errors(client, rows) == []
    confirm(client)

    month, year, ranged = (Claim.objects.get(slug=slug) for slug in ("roads-plan", "fix-bridges", "ranged"))
    assert (month.made_on, month.made_on_display) == (datetime.date(2024, 9, 1), "September 2024")
    assert (year.made_on, year.made_on_precision, year.made_on_display) == (datetime.date(2024, 1, 1), "year", "2024")
    assert (ranged.made_until, ranged.made_on_iso) == (datetime.date(2024, 11, 6), "2024-01-01/2024-11-06")


def test_an_xlsx_year_cell_and_date_cells_work_with_precision(client, editor):
    rows = [
        PERSON,
        {**PLAN, "made_on": 2024, "made_on_precision": DatePrecision.YEAR},
        {
            **COMPONENT,
            "made_on": datetime.datetime(2024, 2, 1),
            "made_on_precision": "range",
            "made_until": datetime.datetime(2024, 3, 31),
            "deadline": datetime.date(2027, 1, 15),
        },
    ]
    upload(client, xlsx_file(rows))
    assert ImportRun.objects.get().errors == []
    confirm(client)

    assert Claim.objects.get(slug="roads-plan").made_on_display == "2024"
    assert Claim.objects.get(slug="fix-bridges").made_on_display == "between February 2024 and March 2024"


def test_a_not_yet_rated_status_needs_no_evidence_and_a_verdict_may_cite_several_sources(client, editor):
    tracking = {**STATUS, "claim": "roads-plan", "status": "not-yet-rated", "evidence_url": ""}
    several = {**STATUS, "evidence_url": "https://council.example/minutes; https://news.example/mayor-roads"}
    assert preview_errors(client, [PERSON, PLAN, COMPONENT, SOURCE, tracking, several]) == []
    confirm(client)

    assert not Claim.objects.get(slug="roads-plan").status_updates.get().evidence.exists()
    verdict = Claim.objects.get(slug="fix-bridges").status_updates.get()
    assert sorted(source.url for source in verdict.evidence.all()) == [
        "https://council.example/minutes",
        "https://news.example/mayor-roads",
    ]
    # A source row of the file is reused, not duplicated; a new evidence address becomes a source.
    assert Source.objects.count() == 2


def test_a_refusal_at_confirm_is_reported_against_its_row_and_column_not_a_server_error(client, editor, monkeypatch):
    def refuse(update):
        raise ValidationError({"evidence": "A published verdict needs at least one evidence source."})

    assert preview_errors(client, [PERSON, PLAN, COMPONENT, SOURCE, STATUS]) == []
    # The model's own rules run again while importing, with the status's claim in place.
    monkeypatch.setattr(StatusUpdate, "clean", refuse)
    response = confirm(client)

    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert run.state == "failed"
    assert run.errors == [
        {"row": 6, "column": "evidence_url", "message": "A published verdict needs at least one evidence source."}
    ]
    assert not Claim.objects.exists()
    assert not StatusUpdate.objects.exists()


def test_a_row_that_fails_at_confirm_does_not_break_the_rows_that_depend_on_it(client, editor, monkeypatch):
    from people.models import Person

    def refuse(person):
        raise ValidationError({"name": "Refused for this test."})

    assert preview_errors(client, [PERSON, PLAN]) == []
    monkeypatch.setattr(Person, "clean", refuse)
    response = confirm(client)

    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert run.state == "failed"
    assert [(error["row"], error["column"]) for error in run.errors] == [(2, "name"), (3, "")]
    assert "was not imported" in run.errors[1]["message"]
