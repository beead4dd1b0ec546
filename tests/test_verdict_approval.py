"""A second pair of eyes: with approval required, a verdict is public only once another editor approves it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import ClaimChange, StatusUpdate
from tests import factories
from tests.factories import record_status, status_on

pytestmark = pytest.mark.django_db

NOV_7 = datetime.date(2024, 11, 7)


@pytest.fixture(autouse=True)
def _approval_required(settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True


@pytest.fixture
def author():
    return factories.EditorFactory()


@pytest.fixture
def claim():
    return factories.ClaimFactory(made_on=NOV_7)


def record_verdict(claim, author, **kwargs):
    return record_status(
        claim=claim,
        status=status_on("promise", "broken"),
        effective_on=NOV_7,
        rationale="Broken.",
        recorded_by=author,
        **kwargs,
    )


def test_a_verdict_waits_for_approval_and_changes_nothing_public(claim, author):
    version = claim.version
    changes = ClaimChange.objects.count()
    update = record_verdict(claim, author)
    assert update.is_awaiting_approval
    assert update.published_at is None
    claim.refresh_from_db()
    assert claim.current_status.slug == "not-yet-rated"
    assert ClaimChange.objects.count() == changes
    assert list(StatusUpdate.objects.awaiting_approval()) == [update]
    assert claim.version == version


def test_not_yet_rated_needs_no_approval(claim, author):
    update = record_status(
        claim=claim,
        status=status_on("promise", "not-yet-rated"),
        effective_on=NOV_7,
        rationale="Tracking starts.",
        recorded_by=author,
    )
    assert update.published_at is not None


def test_the_author_cannot_approve_their_own_verdict(claim, author):
    update = record_verdict(claim, author)
    with pytest.raises(PermissionDenied):
        services.status_update_approve(update=update, approved_by=author)
    update.refresh_from_db()
    assert update.published_at is None


def test_another_editor_approves_and_the_verdict_is_published_with_the_approval_recorded(claim, author):
    update = record_verdict(claim, author)
    reviewer = factories.EditorFactory()
    services.status_update_approve(update=update, approved_by=reviewer)
    update.refresh_from_db()
    assert update.published_at is not None
    assert (update.approved_by, update.approved_at) == (reviewer, update.published_at)
    claim.refresh_from_db()
    assert claim.current_status.slug == "broken"
    assert ClaimChange.objects.filter(claim=claim, status_update=update).exists()


def test_an_approved_verdict_cannot_be_approved_again(claim, author):
    update = record_verdict(claim, author)
    services.status_update_approve(update=update, approved_by=factories.EditorFactory())
    with pytest.raises(ValidationError):
        services.status_update_approve(update=update, approved_by=factories.EditorFactory())


def test_a_draft_is_submitted_for_approval_when_published(claim, author):
    draft = record_verdict(claim, author, publish=False)
    assert not draft.is_awaiting_approval
    services.status_update_publish(update=draft, published_by=author)
    draft.refresh_from_db()
    assert draft.is_awaiting_approval
    claim.refresh_from_db()
    assert claim.current_status.slug == "not-yet-rated"


def test_without_the_setting_a_verdict_is_published_at_once(settings, claim, author):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = False
    update = record_verdict(claim, author)
    assert update.published_at is not None
    assert update.approved_by is None
