import pytest

from tests import factories
from tests.api_support import editor_client, results

pytestmark = pytest.mark.django_db


def test_people_are_listed_and_found_by_slug_with_a_link_to_their_claims(client):
    ada = factories.PersonFactory(slug="ada", name="Ada Lovelace")
    organisation = factories.OrganisationFactory()
    for claimant in (ada, organisation):
        factories.ClaimFactory(claimant=claimant)

    listed = results(client.get("/api/v1/people"))
    detail = client.get("/api/v1/people/ada").json()

    assert len(listed) == 2
    assert detail["name"] == "Ada Lovelace"
    assert detail["id"] == ada.pk
    assert detail["claims_url"].endswith("/api/v1/claims?claimant=ada")
    organisations = results(client.get("/api/v1/people", {"kind": "organisation"}))
    assert [person["slug"] for person in organisations] == [organisation.slug]


def test_sources_cited_only_by_drafts_are_hidden_from_the_public(client):
    shown = factories.ClaimAppearanceFactory().source
    hidden = factories.ClaimAppearanceFactory(claim=factories.DraftClaimFactory()).source
    editor, _ = editor_client()

    assert [source["id"] for source in results(client.get("/api/v1/sources"))] == [shown.pk]
    assert client.get(f"/api/v1/sources/{hidden.pk}").status_code == 404
    assert editor.get(f"/api/v1/sources/{hidden.pk}").status_code == 200


def test_the_statuses_are_both_scales_in_order(client):
    statuses = client.get("/api/v1/statuses").json()
    promise = client.get("/api/v1/statuses", {"scale": "promise"}).json()

    assert {status["scale"] for status in statuses} == {"promise", "fact_check"}
    assert [status["order"] for status in promise] == sorted(status["order"] for status in promise)
    assert next(status for status in promise if status["slug"] == "kept")["rating_value"] == 5


def test_pages_are_capped_at_200(client):
    for person in factories.PersonFactory.create_batch(3):
        factories.ClaimFactory(claimant=person)

    response = client.get("/api/v1/people", {"page_size": 1})
    capped = client.get("/api/v1/people", {"page_size": 100000})

    assert len(results(response)) == 1
    assert response.json()["next"]
    assert len(results(capped)) == 3
