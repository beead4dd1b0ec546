"""The rules the database itself enforces, whatever code writes to it."""

import datetime

import pytest
from django.db import DataError, IntegrityError, transaction

from claims.models import Claim, Scale, Source, Status, StatusUpdate
from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def assert_rejected(write, constraint_name: str) -> None:
    # PostgreSQL refuses an over-long varchar with a DataError before any CHECK runs.
    with pytest.raises((IntegrityError, DataError)) as raised, transaction.atomic():
        write()
    # SQLite names CHECK constraints only in some versions; the triggers always name their rule.
    if "trigger" in constraint_name:
        assert constraint_name.removeprefix("trigger:") in str(raised.value)


def test_a_claim_cannot_be_its_own_parent():
    claim = factories.PlanFactory()
    assert_rejected(lambda: Claim.objects.filter(pk=claim.pk).update(parent=claim.pk), "claim_not_own_parent")


def test_a_deadline_cannot_come_before_the_claim_was_made():
    claim = factories.ClaimFactory(made_on=datetime.date(2024, 11, 7))
    assert_rejected(
        lambda: Claim.objects.filter(pk=claim.pk).update(deadline=datetime.date(2024, 11, 6)),
        "claim_deadline_not_before_made_on",
    )


def test_a_summary_longer_than_120_characters_is_refused_even_on_sqlite():
    claim = factories.ClaimFactory()
    assert_rejected(lambda: Claim.objects.filter(pk=claim.pk).update(summary="x" * 121), "claim_summary_max_length")


def test_claim_slugs_are_unique():
    factories.ClaimFactory(slug="end-the-war")
    assert_rejected(lambda: factories.ClaimFactory(slug="end-the-war"), "unique")


def test_a_claims_scale_must_match_its_kind():
    claim = factories.ClaimFactory()
    assert_rejected(
        lambda: Claim.objects.filter(pk=claim.pk).update(scale=Scale.FACT_CHECK), "claim_scale_matches_kind"
    )


def test_a_status_update_must_use_a_status_on_the_claims_scale():
    pledge = factories.ClaimFactory()
    false_verdict = Status.objects.get(scale=Scale.FACT_CHECK, slug="false")
    assert_rejected(
        lambda: factories.StatusUpdateFactory(claim=pledge, status=false_verdict),
        "trigger:statusupdate_status_on_claim_scale",
    )


def test_a_claims_stored_status_must_be_on_its_scale():
    pledge = factories.ClaimFactory()
    false_verdict = Status.objects.get(scale=Scale.FACT_CHECK, slug="false")
    assert_rejected(
        lambda: Claim.objects.filter(pk=pledge.pk).update(current_status=false_verdict),
        "trigger:claim_current_status_on_claim_scale",
    )


def test_a_correction_must_correct_an_update_of_the_same_claim():
    update_elsewhere = factories.StatusUpdateFactory()
    claim = factories.ClaimFactory()
    assert_rejected(
        lambda: factories.StatusUpdateFactory(claim=claim, corrects=update_elsewhere),
        "trigger:statusupdate_corrects_same_claim",
    )


def test_an_update_is_corrected_at_most_once():
    original = factories.StatusUpdateFactory()
    factories.StatusUpdateFactory(claim=original.claim, corrects=original)
    assert_rejected(
        lambda: factories.StatusUpdateFactory(claim=original.claim, corrects=original), "statusupdate_corrected_once"
    )


def test_each_scale_has_exactly_one_default_status():
    assert Status.objects.filter(is_default=True).count() == len(Scale.values)
    assert_rejected(
        lambda: Status.objects.filter(scale=Scale.PROMISE, slug="kept").update(is_default=True),
        "status_one_default_per_scale",
    )


def test_a_status_colour_must_be_a_hex_colour():
    assert_rejected(lambda: Status.objects.filter(slug="kept").update(colour="green"), "status_colour_hex")


def test_source_urls_must_be_http_or_https_and_unique():
    assert_rejected(lambda: factories.SourceFactory(url="javascript:alert(1)"), "source_url_http_or_https")
    factories.SourceFactory(url="https://news.example/a")
    assert_rejected(lambda: factories.SourceFactory(url="https://news.example/a"), "unique")
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
    )


def test_rationale_cannot_be_blank():
    assert_rejected(lambda: factories.StatusUpdateFactory(rationale=""), "statusupdate_rationale_not_blank")
    assert StatusUpdate.objects.count() == 0
