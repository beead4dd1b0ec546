"""Rules the database cannot hold on its own give clean validation errors."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claimtracker.versioning import StaleEditError
from tests import factories

pytestmark = pytest.mark.django_db


def test_components_cannot_form_a_cycle():
    plan = factories.PlanFactory()
    component = factories.PlanFactory(parent=plan)
    plan.parent = component
    with pytest.raises(ValidationError) as raised:
        services.claim_save(claim=plan, saved_by=None)
    assert "cycle" in raised.value.message_dict["parent"][0]


def test_only_a_plan_can_have_components():
    pledge = factories.ClaimFactory()
    component = factories.ClaimFactory()
    component.parent = pledge
    with pytest.raises(ValidationError) as raised:
        services.claim_save(claim=component, saved_by=None)
    assert raised.value.message_dict["parent"] == ["Only a plan can have components."]


def test_a_claim_cannot_be_its_own_component():
    plan = factories.PlanFactory()
    plan.parent = plan
    with pytest.raises(ValidationError):
        services.claim_save(claim=plan, saved_by=None)


def test_a_claim_with_a_timeline_cannot_move_to_another_scale():
    update = factories.StatusUpdateFactory()
    claim = update.claim
    claim.kind = "statement"
    with pytest.raises(ValidationError) as raised:
        services.claim_save(claim=claim, saved_by=None)
    assert "kind" in raised.value.message_dict


def test_a_claim_without_a_timeline_moves_to_its_new_scales_default_status():
    claim = factories.ClaimFactory()
    claim.kind = "factual_claim"
    services.claim_save(claim=claim, saved_by=None)
    claim.refresh_from_db()
    assert claim.scale == "fact_check"
    assert claim.current_status.is_default


def test_a_save_from_a_stale_version_is_refused_and_writes_nothing():
    claim = factories.ClaimFactory(summary="Original summary")
    first_editor_copy = type(claim).objects.get(pk=claim.pk)
    second_editor_copy = type(claim).objects.get(pk=claim.pk)
    first_editor_copy.summary = "First editor's summary"
    services.claim_save(claim=first_editor_copy, saved_by=None)
    second_editor_copy.summary = "Second editor's summary"
    with pytest.raises(StaleEditError):
        services.claim_save(claim=second_editor_copy, saved_by=None)
    claim.refresh_from_db()
    assert claim.summary == "First editor's summary"


def test_a_wikidata_id_is_validated_before_saving():
    from people.services import person_save

    person = factories.PersonFactory.build(wikidata_id="wikidata-22686")
    with pytest.raises(ValidationError) as raised:
        person_save(person=person)
    assert "wikidata_id" in raised.value.message_dict


def test_a_source_with_a_non_web_address_is_refused():
    with pytest.raises(ValidationError) as raised:
        services.source_get_or_create(url="ftp://files.example/report.pdf", title="Report")
    assert "url" in raised.value.message_dict


def test_a_plan_with_components_cannot_become_another_kind():
    plan = factories.PlanFactory()
    factories.ClaimFactory(parent=plan)
    plan.kind = "pledge"
    with pytest.raises(ValidationError) as refused:
        services.claim_save(claim=plan, saved_by=None)
    assert "kind" in refused.value.message_dict
    plan.refresh_from_db()
    assert plan.kind == "plan"
