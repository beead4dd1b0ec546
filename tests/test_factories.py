import pytest

from claims.models import Claim, Scale, StatusUpdate, Visibility
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_factory_builds_a_valid_saved_record():
    for factory_class in [
        factories.UserFactory,
        factories.EditorFactory,
        factories.ViewerFactory,
        factories.SuperuserFactory,
        factories.PersonFactory,
        factories.OrganisationFactory,
        factories.TopicFactory,
        factories.SourceFactory,
        factories.ClaimFactory,
        factories.DraftClaimFactory,
        factories.PlanFactory,
        factories.StatementFactory,
        factories.ClaimAppearanceFactory,
        factories.StatusUpdateFactory,
    ]:
        record = factory_class()
        assert record.pk is not None, factory_class
        if hasattr(record, "full_clean"):
            record.full_clean(exclude=["password"])


def test_claim_factory_builds_a_published_claim_at_its_scales_default_status():
    claim = factories.ClaimFactory()
    assert claim.visibility == Visibility.PUBLISHED
    assert claim.scale == Scale.PROMISE
    assert claim.current_status.is_default


def test_statement_factory_rates_on_the_fact_check_scale():
    assert factories.StatementFactory().current_status.scale == Scale.FACT_CHECK


def test_editor_and_viewer_factories_join_their_groups():
    assert list(factories.EditorFactory().groups.values_list("name", flat=True)) == ["Editors"]
    assert list(factories.ViewerFactory().groups.values_list("name", flat=True)) == ["Viewers"]


def test_status_update_factory_uses_a_status_on_the_claims_scale():
    update = factories.StatusUpdateFactory(claim=factories.StatementFactory())
    assert update.status.scale == update.claim.scale
    assert StatusUpdate.objects.count() == 1
    assert Claim.objects.count() == 1


def test_record_status_gives_a_verdict_a_fresh_evidence_source_and_tracking_none():
    claim = factories.ClaimFactory()
    tracking = factories.record_status(
        claim=claim,
        status=factories.status_on("promise", "not-yet-rated"),
        effective_on=claim.made_on,
        rationale="Tracking starts.",
        recorded_by=factories.EditorFactory(),
    )
    verdict = factories.record_status(
        claim=claim,
        status=factories.status_on("promise", "in-the-works"),
        effective_on=claim.made_on,
        rationale="Funded.",
        recorded_by=factories.EditorFactory(),
    )

    assert not tracking.evidence.exists()
    assert verdict.evidence.count() == 1
    claim.refresh_from_db()
    assert claim.current_status.slug == "in-the-works"
