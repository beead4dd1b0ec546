"""The rules the database itself enforces, whatever code writes to it.

Each test proves its own rule: the error must name the constraint (or trigger) that refused the row,
so removing that rule fails its test even when another rule would also have refused the write.
PostgreSQL names every constraint. SQLite names CHECK constraints and RAISE()d trigger rules (Django
5.2 needs SQLite 3.31+, long past 3.8's named CHECK errors) but names a UNIQUE constraint by its
columns only, so those tests also give the exact column list SQLite reports.
"""

import datetime

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from claims.models import Claim, Scale, Source, Status, StatusUpdate
from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def refusal(write) -> str:
    with pytest.raises((IntegrityError, DataError)) as raised, transaction.atomic():
        write()
    return str(raised.value)


def assert_rejected(write, constraint: str, *, sqlite_columns: str | None = None) -> None:
    """``write`` is refused by ``constraint``, named in the error (by its columns on SQLite if unique)."""
    message = refusal(write)
    if connection.vendor == "sqlite" and sqlite_columns is not None:
        # Exact: ``claims_status.scale`` alone must not match ``claims_status.scale, claims_status.slug``.
        assert message == f"UNIQUE constraint failed: {sqlite_columns}"
    else:
        assert constraint in message, message


def unique_constraint_on(model, *columns: str) -> str:
    """The database's name for the UNIQUE constraint over exactly ``columns`` (``unique=True`` is auto-named)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    [name] = [name for name, info in constraints.items() if info["unique"] and info["columns"] == list(columns)]
    return name


def test_a_claim_cannot_be_its_own_parent():
    claim = factories.PlanFactory()
    assert_rejected(lambda: Claim.objects.filter(pk=claim.pk).update(parent=claim.pk), "claim_not_own_parent")


def test_a_deadline_cannot_come_before_the_claim_was_made():
    claim = factories.ClaimFactory(made_on=datetime.date(2024, 11, 7))
    assert_rejected(
        lambda: Claim.objects.filter(pk=claim.pk).update(deadline=datetime.date(2024, 11, 6)),
        "claim_deadline_not_before_made_on",
    )


@pytest.mark.parametrize("column", ["summary", "summary_en", "summary_uk", "summary_ru"])
def test_a_summary_longer_than_120_characters_is_refused_in_every_language_even_on_sqlite(column):
    claim = factories.ClaimFactory()
    rows = Claim.objects.filter(pk=claim.pk).rewrite(False)  # the column itself, not the active language's
    message = refusal(lambda: rows.update(**{column: "x" * 121}))
    if connection.vendor == "postgresql":
        # The varchar(120) column refuses the value before any CHECK runs; the CHECK is SQLite's guard.
        assert "character varying(120)" in message, message
    else:
        constraint = "claim_summary_max_length" if column == "summary" else f"claim_{column}_max_length"
        assert constraint in message, message


def test_claim_slugs_are_unique():
    factories.ClaimFactory(slug="end-the-war")
    assert_rejected(
        lambda: factories.ClaimFactory(slug="end-the-war"),
        unique_constraint_on(Claim, "slug"),
        sqlite_columns="claims_claim.slug",
    )


def test_a_claims_scale_must_match_its_kind():
    claim = factories.ClaimFactory()
    fact_check_default = Status.objects.get(scale=Scale.FACT_CHECK, is_default=True)
    # The status moves with the scale, so the trigger keeping them together passes and the CHECK is what refuses.
    assert_rejected(
        lambda: Claim.objects.filter(pk=claim.pk).update(scale=Scale.FACT_CHECK, current_status=fact_check_default),
        "claim_scale_matches_kind",
    )


def test_a_status_update_must_use_a_status_on_the_claims_scale():
    pledge = factories.ClaimFactory()
    false_verdict = Status.objects.get(scale=Scale.FACT_CHECK, slug="false")
    assert_rejected(
        lambda: factories.StatusUpdateFactory(claim=pledge, status=false_verdict),
        "statusupdate_status_on_claim_scale",
    )


def test_a_claims_stored_status_must_be_on_its_scale():
    pledge = factories.ClaimFactory()
    false_verdict = Status.objects.get(scale=Scale.FACT_CHECK, slug="false")
    assert_rejected(
        lambda: Claim.objects.filter(pk=pledge.pk).update(current_status=false_verdict),
        "claim_current_status_on_claim_scale",
    )


def test_a_correction_must_correct_an_update_of_the_same_claim():
    update_elsewhere = factories.StatusUpdateFactory()
    claim = factories.ClaimFactory()
    assert_rejected(
        lambda: factories.StatusUpdateFactory(claim=claim, corrects=update_elsewhere),
        "statusupdate_corrects_same_claim",
    )


def test_an_update_is_corrected_at_most_once():
    original = factories.StatusUpdateFactory()
    factories.StatusUpdateFactory(claim=original.claim, corrects=original)
    assert_rejected(
        lambda: factories.StatusUpdateFactory(claim=original.claim, corrects=original),
        "statusupdate_corrected_once",
        sqlite_columns="claims_statusupdate.corrects_id",
    )


def test_each_scale_has_exactly_one_default_status():
    assert Status.objects.filter(is_default=True).count() == len(Scale.values)
    assert_rejected(
        lambda: Status.objects.filter(scale=Scale.PROMISE, slug="kept").update(is_default=True, is_final=False),
        "status_one_default_per_scale",
        sqlite_columns="claims_status.scale",
    )


def test_a_status_colour_must_be_a_hex_colour():
    assert_rejected(lambda: Status.objects.filter(slug="kept").update(colour="green"), "status_colour_hex")


def test_source_urls_must_be_http_or_https_and_unique():
    assert_rejected(lambda: factories.SourceFactory(url="javascript:alert(1)"), "source_url_http_or_https")
    factories.SourceFactory(url="https://news.example/a")
    assert_rejected(
        lambda: factories.SourceFactory(url="https://news.example/a"),
        unique_constraint_on(Source, "url"),
        sqlite_columns="claims_source.url",
    )
    assert Source.objects.count() == 1


def test_wikidata_ids_are_q_followed_by_digits():
    person = factories.PersonFactory(wikidata_id="Q22686")
    assert_rejected(
        lambda: Person.objects.filter(pk=person.pk).update(wikidata_id="22686"), "person_wikidata_id_format"
    )


def test_a_claim_has_only_one_first_appearance():
    appearance = factories.ClaimAppearanceFactory(is_first_appearance=True)
    assert_rejected(
        lambda: factories.ClaimAppearanceFactory(claim=appearance.claim, is_first_appearance=True),
        "appearance_one_first_per_claim",
        sqlite_columns="claims_claimappearance.claim_id",
    )


def test_rationale_cannot_be_blank():
    assert_rejected(lambda: factories.StatusUpdateFactory(rationale=""), "statusupdate_rationale_not_blank")
    assert StatusUpdate.objects.count() == 0
