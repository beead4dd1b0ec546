"""A published verdict cites at least one evidence source; "not yet rated" and drafts need none."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Scale, Status
from tests import factories

pytestmark = pytest.mark.django_db

NOV_7 = datetime.date(2024, 11, 7)


def status(slug: str) -> Status:
    return Status.objects.get(scale=Scale.PROMISE, slug=slug)


@pytest.fixture
def pledge():
    return factories.ClaimFactory(made_on=NOV_7)


def record(claim, slug: str, **kwargs):
    return services.claim_record_status(
        claim=claim,
        status=status(slug),
        effective_on=NOV_7,
        rationale="Rated.",
        recorded_by=factories.EditorFactory(),
        **kwargs,
    )


def test_a_published_verdict_without_evidence_is_refused_naming_the_evidence(pledge):
    with pytest.raises(ValidationError) as refused:
        record(pledge, "kept")
    assert "evidence" in refused.value.message_dict
    pledge.refresh_from_db()
    assert pledge.current_status.slug == "not-yet-rated"
    assert not pledge.status_updates.exists()


def test_a_published_verdict_with_evidence_is_recorded(pledge):
    source = factories.SourceFactory()
    update = record(pledge, "kept", evidence=[source])
    pledge.refresh_from_db()
    assert pledge.current_status.slug == "kept"
    assert list(update.evidence.all()) == [source]


def test_not_yet_rated_needs_no_evidence(pledge):
    record(pledge, "not-yet-rated")
    assert pledge.status_updates.in_record().count() == 1


def test_a_draft_verdict_may_be_saved_without_evidence_but_not_published_without_it(pledge):
    draft = record(pledge, "broken", publish=False)
    assert draft.is_draft
    with pytest.raises(ValidationError) as refused:
        services.status_update_publish(update=draft, published_by=factories.EditorFactory())
    assert "evidence" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.published_at is None


def test_a_draft_that_gains_evidence_can_be_published(pledge):
    draft = record(pledge, "broken", publish=False)
    draft.evidence.add(factories.SourceFactory())
    services.status_update_publish(update=draft, published_by=factories.EditorFactory())
    pledge.refresh_from_db()
    assert pledge.current_status.slug == "broken"
