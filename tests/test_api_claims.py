import datetime

import pytest
from django.utils import timezone

from claims.models import Visibility
from tests import factories
from tests.api_support import editor_client, error_of, partner_client, record, results
from tests.factories import record_status

pytestmark = pytest.mark.django_db


def test_a_claim_shows_its_claimant_status_plan_sources_and_timeline_with_evidence(client):
    plan = factories.PlanFactory(summary="The infrastructure plan")
    claim = factories.ClaimFactory(parent=plan, claimant__slug="ada-lovelace")
    topic = factories.TopicFactory(slug="transport", name="Transport")
    claim.topics.add(topic)
    appearance = factories.ClaimAppearanceFactory(claim=claim)
    first = record(claim, "in-the-works", evidence=2)
    record(claim, "kept", days_after=5)

    body = client.get(f"/api/v1/claims/{claim.pk}").json()

    assert body["id"] == claim.pk
    assert body["slug"] == claim.slug
    assert body["kind"] == "pledge"
    assert body["claimant"]["slug"] == "ada-lovelace"
    assert body["current_status"]["slug"] == "kept"
    assert body["parent"] == {
        "id": plan.pk,
        "slug": plan.slug,
        "summary": plan.summary,
        "summary_language": "en",
        "kind": "plan",
        "status": "not-yet-rated",
    }
    assert body["topics"] == [{"slug": "transport", "name": "Transport", "name_language": "en"}]
    assert body["appearances"][0]["source"]["url"] == appearance.source.url
    assert [update["status"]["slug"] for update in body["timeline"]] == ["kept", "in-the-works"]
    assert len(body["timeline"][1]["evidence"]) == 2
    assert body["timeline"][1]["id"] == first.pk
    assert body["public_url"].endswith(f"/claims/{claim.slug}/")


def test_a_plan_lists_its_published_components_only(client):
    plan = factories.PlanFactory()
    shown = factories.ClaimFactory(parent=plan)
    factories.DraftClaimFactory(parent=plan)

    body = client.get(f"/api/v1/claims/{plan.pk}").json()

    assert [component["id"] for component in body["components"]] == [shown.pk]


def test_a_claim_is_found_by_its_slug_too(client):
    claim = factories.ClaimFactory(slug="ten-new-bridges")

    response = client.get("/api/v1/claims/by-slug/ten-new-bridges")

    assert response.status_code == 200
    assert response.json()["id"] == claim.pk


def test_the_old_slug_address_redirects_permanently_to_the_unambiguous_one_keeping_the_query(client):
    factories.ClaimFactory(slug="ten-new-bridges")

    response = client.get("/api/v1/claims/ten-new-bridges?as_of=2030-01-01")

    assert response.status_code == 308
    assert response["Location"] == "/api/v1/claims/by-slug/ten-new-bridges?as_of=2030-01-01"


def test_a_claim_whose_slug_is_all_digits_is_found_by_slug(client):
    claim = factories.ClaimFactory(slug="2030")

    response = client.get("/api/v1/claims/by-slug/2030")

    assert response.status_code == 200
    assert response.json()["id"] == claim.pk


def test_drafts_and_withdrawn_claims_are_invisible_to_anonymous_clients_and_viewers_keys(client):
    published = factories.ClaimFactory()
    draft = factories.DraftClaimFactory()
    withdrawn = factories.ClaimFactory(visibility=Visibility.WITHDRAWN, withdrawal_reason="Misattributed.")
    viewer = partner_client()

    for reader in (client, viewer):
        assert [claim["id"] for claim in results(reader.get("/api/v1/claims"))] == [published.pk]
        for hidden in (draft, withdrawn):
            response = reader.get(f"/api/v1/claims/{hidden.pk}")
            assert response.status_code == 404
            assert error_of(response)["code"] == "not_found"
            assert reader.get(f"/api/v1/claims/{hidden.slug}").status_code == 404


def test_an_editors_key_sees_drafts_with_their_visibility():
    draft = factories.DraftClaimFactory()
    editor, _ = editor_client()

    response = editor.get(f"/api/v1/claims/{draft.pk}")

    assert response.status_code == 200
    assert response.json()["visibility"] == "draft"


def test_the_list_is_filtered_by_several_statuses_given_by_slug(client):
    kept = factories.ClaimFactory()
    record(kept, "kept")
    broken = factories.ClaimFactory()
    record(broken, "broken")
    factories.ClaimFactory()

    response = client.get("/api/v1/claims", {"status": ["kept", "broken"]})

    assert {claim["id"] for claim in results(response)} == {kept.pk, broken.pk}


def test_the_list_is_filtered_by_claimant_kind_topic_and_plan(client):
    plan = factories.PlanFactory(claimant__slug="grace-hopper")
    component = factories.ClaimFactory(parent=plan, claimant=plan.claimant)
    statement = factories.StatementFactory()
    on_topic = factories.ClaimFactory()
    on_topic.topics.add(factories.TopicFactory(slug="health"))

    def ids(**params):
        return {claim["id"] for claim in results(client.get("/api/v1/claims", params))}

    assert ids(claimant="grace-hopper") == {plan.pk, component.pk}
    assert ids(kind="statement") == {statement.pk}
    assert ids(kind=["plan", "statement"]) == {plan.pk, statement.pk}
    assert ids(topic="health") == {on_topic.pk}
    assert ids(parent=plan.pk) == {component.pk}
    assert component.pk not in ids(top_level="true")


def test_the_list_is_filtered_by_date_made_update_time_deadline_and_words(client):
    today = timezone.localdate()
    old = factories.ClaimFactory(made_on=today - datetime.timedelta(days=400), summary="Old bridges")
    overdue = factories.ClaimFactory(
        made_on=today - datetime.timedelta(days=40), deadline=today - datetime.timedelta(days=1)
    )
    recent = factories.ClaimFactory(made_on=today - datetime.timedelta(days=10), summary="Free school meals")

    def ids(**params):
        response = client.get("/api/v1/claims", params)
        assert response.status_code == 200, response.content
        return {claim["id"] for claim in results(response)}

    assert ids(made_on_after=str(today - datetime.timedelta(days=50))) == {overdue.pk, recent.pk}
    assert ids(made_on_before=str(today - datetime.timedelta(days=100))) == {old.pk}
    assert ids(past_deadline="true") == {overdue.pk}
    assert ids(past_deadline="false") == {old.pk, recent.pk}
    assert ids(q="school meals") == {recent.pk}
    cutoff = timezone.now()
    record(old, "kept")
    assert ids(updated_since=cutoff.isoformat()) == {old.pk}


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("status", "no-such-status"),
        ("claimant", "nobody"),
        ("kind", "prophecy"),
        ("made_on_after", "yesterday"),
        ("updated_since", "2026-13-45"),
        ("past_deadline", "perhaps"),
        ("parent", "abc"),
        ("ordering", "summary"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(client, parameter, value):
    response = client.get("/api/v1/claims", {parameter: value})

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_filter"
    assert parameter in error["fields"]
    assert parameter in error["message"]


def test_a_plan_that_is_a_draft_cannot_be_used_as_a_filter_by_the_public(client):
    plan = factories.PlanFactory(visibility=Visibility.DRAFT, published_at=None)

    response = client.get("/api/v1/claims", {"parent": plan.pk})

    assert response.status_code == 400


def test_claims_come_most_recently_updated_first_and_can_be_ordered_oldest_first(client):
    first, second, third = factories.ClaimFactory.create_batch(3)
    record(first, "kept")

    newest_first = [claim["id"] for claim in results(client.get("/api/v1/claims"))]
    oldest_first = [claim["id"] for claim in results(client.get("/api/v1/claims", {"ordering": "updated_at"}))]

    assert newest_first == [first.pk, third.pk, second.pk]
    assert oldest_first == [second.pk, third.pk, first.pk]


def test_claims_name_who_must_act_and_can_be_filtered_by_it(client):
    from tests import factories

    congress = factories.OrganisationFactory(slug="congress", name="Congress")
    waiting = factories.ClaimFactory()
    waiting.must_act.add(congress)
    factories.ClaimFactory()
    body = client.get("/api/v1/claims", {"must_act": "congress"}).json()
    assert [claim["id"] for claim in body["results"]] == [waiting.pk]
    assert [person["slug"] for person in body["results"][0]["must_act"]] == ["congress"]


def test_as_of_answers_with_the_status_in_effect_on_that_date(client):
    import datetime

    from django.utils import timezone

    from claims.models import Status
    from tests import factories

    def noon(day: str) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T12:00"))

    claim = factories.ClaimFactory(made_on=datetime.date(2025, 1, 20), published_at=noon("2025-01-20"))
    record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="in-the-works"),
        effective_on=datetime.date(2025, 2, 1),
        rationale="Begun.",
        recorded_by=factories.EditorFactory(),
        recorded_at=noon("2025-02-01"),
    )

    def statuses(**params) -> list[str]:
        return [claim["current_status"]["slug"] for claim in client.get("/api/v1/claims", params).json()["results"]]

    assert statuses() == ["in-the-works"]
    assert statuses(as_of="2025-01-19") == []  # not made yet
    assert statuses(as_of="2025-01-25") == ["not-yet-rated"]
    assert statuses(as_of="2025-02-02") == ["in-the-works"]
    assert statuses(as_of="2025-01-25", status="in-the-works") == []
    assert statuses(as_of="2025-02-02", status="in-the-works") == ["in-the-works"]
    assert client.get("/api/v1/claims", {"as_of": "not-a-date"}).status_code == 400
