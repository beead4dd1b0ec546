"""Synthetic data keeps the editorial rules the services enforce, though it is written straight into the tables."""

import datetime
import io

import pytest
from django.core.management import call_command

from claims.dates import newsroom_today
from claims.models import ChangeKind, Claim, ClaimChange, DatePrecision, StatusUpdate, Visibility, Wording
from sampledata.synthetic import last_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic_claims() -> None:
    call_command("generate_synthetic", "--claims", "400", "--quiet-progress", stdout=io.StringIO())


def test_every_published_verdict_cites_at_least_one_source(synthetic_claims):
    verdicts = StatusUpdate.objects.published().filter(status__is_default=False)
    assert verdicts.exists()
    assert not verdicts.filter(evidence__isnull=True).exists()


def test_no_status_takes_effect_after_the_newsrooms_today(synthetic_claims):
    latest = StatusUpdate.objects.order_by("-effective_on").values_list("effective_on", flat=True).first()
    assert latest <= last_day() < newsroom_today()


def test_every_claim_passes_the_models_own_checks(synthetic_claims):
    for claim in Claim.objects.all():
        claim.full_clean()
    for update in StatusUpdate.objects.select_related("claim", "status", "corrects"):
        update.full_clean()


def test_withdrawn_claims_say_why_and_the_feed_carries_the_reason(synthetic_claims):
    withdrawn = Claim.objects.filter(visibility=Visibility.WITHDRAWN)
    assert withdrawn.exists()
    for claim in withdrawn:
        assert claim.withdrawal_reason
        assert claim.withdrawn_at is not None
        logged = claim.changes.get(kind=ChangeKind.WITHDRAWN)
        assert (logged.note, logged.recorded_at) == (claim.withdrawal_reason, claim.withdrawn_at)
    assert not Claim.objects.exclude(visibility=Visibility.WITHDRAWN).exclude(withdrawal_reason="").exists()


def test_quotes_name_their_source_and_most_claims_are_reported_speech(synthetic_claims):
    wordings = set(Claim.objects.values_list("wording", flat=True))
    assert wordings == {Wording.PARAPHRASE, Wording.VERBATIM, Wording.TRANSLATION}
    assert Claim.objects.filter(wording=Wording.PARAPHRASE).count() > Claim.objects.count() // 2
    for claim in Claim.objects.exclude(wording=Wording.PARAPHRASE):
        assert claim.appearances.filter(source=claim.wording_source_id, is_first_appearance=True).exists()
    assert not Claim.objects.filter(wording=Wording.TRANSLATION, original_language="").exists()


def test_some_claims_are_dated_to_a_month_a_year_or_a_range_only(synthetic_claims):
    assert Claim.objects.filter(made_on_precision=DatePrecision.DAY).count() > 300
    for claim in Claim.objects.filter(made_on_precision=DatePrecision.MONTH):
        assert claim.made_on.day == 1
    for claim in Claim.objects.filter(made_on_precision=DatePrecision.RANGE):
        assert claim.made_until > claim.made_on
    assert not Claim.objects.exclude(made_on_precision=DatePrecision.RANGE).filter(made_until__isnull=False).exists()


def test_a_removed_update_stays_with_its_reason_and_a_tombstone_in_the_feed(synthetic_claims):
    removed = StatusUpdate.objects.removed()
    assert removed.exists()
    for update in removed:
        assert update.removal_reason
        assert update.removed_at > update.published_at
        tombstone = ClaimChange.objects.get(kind=ChangeKind.STATUS_REMOVED, status_update=update)
        assert tombstone.note == update.removal_reason


def test_nothing_is_dated_after_it_was_written(synthetic_claims):
    now = datetime.datetime.now(datetime.UTC)
    assert not StatusUpdate.objects.filter(published_at__gt=now).exists()
    assert not ClaimChange.objects.filter(recorded_at__gt=now).exists()
