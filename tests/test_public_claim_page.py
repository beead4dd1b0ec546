"""The claim page: what a reader sees about one claim, and what stays hidden."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Visibility
from tests.factories import (
    ClaimAppearanceFactory,
    ClaimFactory,
    EditorFactory,
    PlanFactory,
    SourceFactory,
    record_status,
    status_on,
)

pytestmark = pytest.mark.django_db


def test_a_published_claim_shows_its_quote_claimant_sources_and_status(client, world):
    response = client.get(world.pledge.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Build 10,000 affordable homes by 2027" in page
    assert "We will build ten thousand affordable homes before the end of 2027." in page
    assert 'href="/people/ada-mayor/"' in page
    assert "Mayor launches housing pledge" in page
    assert "Mayor repeats homes pledge" in page
    assert page.count("First appearance") == 1
    assert "Stalled" in page
    assert world.pledge.current_status.meaning in page
    assert "past deadline" in page


def test_the_timeline_lists_published_updates_newest_first_with_rationale_evidence_and_byline(client, world):
    page = client.get(world.pledge.get_absolute_url()).content.decode()

    assert page.index(f'id="update-{world.correction.pk}"') < page.index(f'id="update-{world.first_update.pk}"')
    assert "The council approved a budget for the first 2,000 homes." in page
    assert "Council approves homes budget" in page
    assert "By Grace Reporter" in page


def test_a_correction_links_to_what_it_corrects_and_the_corrected_entry_is_marked(client, world):
    page = client.get(world.pledge.get_absolute_url()).content.decode()

    assert f'<a href="#update-{world.mistaken_update.pk}">the update of' in page
    assert f'<a href="#update-{world.correction.pk}">the correction of' in page
    assert "timeline__entry--corrected" in page
    assert "Correction</span>" in page
    assert "Corrected</span>" in page


def test_a_draft_update_never_appears(client, world):
    page = client.get(world.pledge.get_absolute_url()).content.decode()

    assert "Draft verdict the editors have not published yet." not in page
    assert f"update-{world.draft_update.pk}" not in page


def test_a_plan_shows_its_components_with_statuses_and_a_roll_up(client, world):
    page = client.get(world.plan.get_absolute_url()).content.decode()

    assert "Parts of this plan" in page
    assert "Fix every bridge" in page
    assert "Fill all potholes" in page
    assert "2 components: 1 not yet rated, 1 kept." in page


def test_a_component_links_to_its_plan(client, world):
    page = client.get(world.components[0].get_absolute_url()).content.decode()

    assert f'Part of the plan <a href="{world.plan.get_absolute_url()}">Repair the national road network</a>' in page


def test_a_draft_claim_is_not_found(client, world):
    response = client.get(world.draft.get_absolute_url())

    assert response.status_code == 404
    assert world.draft.summary not in response.content.decode()


def test_an_unknown_claim_is_not_found(client, world):
    assert client.get("/claims/no-such-claim/").status_code == 404


def test_a_withdrawn_claim_is_gone_with_a_note_and_without_its_content(client, world):
    response = client.get(world.withdrawn.get_absolute_url())

    assert response.status_code == 410
    page = response.content.decode()
    assert "This claim was withdrawn" in page
    assert world.withdrawn.summary not in page
    assert world.withdrawn.quote not in page


def test_an_unpublished_component_is_not_listed_on_its_plan(client, world):
    ClaimFactory(
        claimant=world.ministry,
        parent=world.plan,
        summary="Secret component",
        visibility=Visibility.DRAFT,
        published_at=None,
    )

    assert "Secret component" not in client.get(world.plan.get_absolute_url()).content.decode()


def test_the_page_names_its_canonical_url_and_open_graph_tags(client, world):
    page = client.get(world.pledge.get_absolute_url()).content.decode()

    assert '<link rel="canonical" href="http://testserver/claims/build-10000-homes/">' in page
    assert '<meta property="og:title" content="Build 10,000 affordable homes by 2027">' in page
    assert '<meta property="og:type" content="article">' in page


def _claim_with_timeline(length: int):
    editor = EditorFactory()
    claim = ClaimFactory(made_on=timezone.localdate() - datetime.timedelta(days=400))
    for number in range(2):
        ClaimAppearanceFactory(claim=claim, is_first_appearance=number == 0)
    previous = None
    for day in range(length):
        previous = record_status(
            claim=claim,
            status=status_on("promise", "in-the-works" if day % 2 else "stalled"),
            effective_on=claim.made_on + datetime.timedelta(days=day),
            rationale=f"Update number {day}.",
            recorded_by=editor,
            evidence=[SourceFactory(), SourceFactory()],
            corrects=previous if day % 5 == 4 else None,
        )
    return claim


@pytest.mark.parametrize("language", ["", "/uk"])
@pytest.mark.parametrize("timeline_length", [2, 20])
def test_the_page_takes_the_same_number_of_queries_whatever_the_timeline_length_and_language(
    client, django_assert_num_queries, timeline_length, language
):
    claim = _claim_with_timeline(timeline_length)
    claim.summary_uk = "Заява"
    claim.save()

    # 1 data version, 2 freshness (last change of claim, claimant, plan, sources, components),
    # 3 status scales (ETag), 4 the claim with claimant, status and plan, 5 topics, 6 who must act,
    # 7 appearances with sources, 8 components, 9 timeline with status, byline and corrected entry,
    # 10 evidence.
    with django_assert_num_queries(10):
        response = client.get(f"{language}{claim.get_absolute_url()}")

    assert response.status_code == 200
    assert response.content.decode().count('class="timeline__entry') == timeline_length


def test_a_component_says_which_plan_it_is_part_of_with_the_plans_roll_up(client, world):
    page = client.get(world.components[1].get_absolute_url()).content.decode()

    assert "1 not yet rated, 1 kept among its published parts." in page
    assert "Parts of this plan" not in page


def test_a_component_keeps_its_own_kind(client, world):
    statement = ClaimFactory(claimant=world.ministry, parent=world.plan, kind="statement", summary="Roads are safer")

    page = client.get(statement.get_absolute_url()).content.decode()

    assert '<p class="eyebrow">Statement' in page
    assert "Part of the plan" in page


def test_a_plan_without_components_says_none_are_listed_yet(client, world):
    plan = PlanFactory(claimant=world.ministry, summary="An empty plan")

    page = client.get(plan.get_absolute_url()).content.decode()

    assert "Parts of this plan" in page
    assert "No components listed yet" in page


def test_only_a_plan_shows_the_parts_section(client, world):
    assert "Parts of this plan" not in client.get(world.statement.get_absolute_url()).content.decode()
    assert "Parts of this plan" not in client.get(world.pledge.get_absolute_url()).content.decode()


def test_a_withdrawn_claim_says_when_and_why(client, world):
    page = client.get(world.withdrawn.get_absolute_url()).content.decode()

    withdrawn_on = timezone.localdate(world.withdrawn.withdrawn_at)
    assert f"withdrew this claim from publication on {withdrawn_on.day} {withdrawn_on:%B %Y}" in page
    assert "The quote was wrongly attributed to the mayor." in page
    assert 'href="/corrections/"' in page


def test_a_component_page_takes_one_more_query_for_its_plans_roll_up(client, world, django_assert_num_queries):
    # The ten of any claim page with a timeline, plus 11 the plan's published components.
    with django_assert_num_queries(11):
        client.get(world.components[0].get_absolute_url())
