"""The API shows the people the public pages show: those with at least one published claim."""

import pytest
from django.test import Client

from claims.models import Visibility
from people.models import Person
from tests import factories
from tests.api_support import editor_client, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    published = factories.ClaimFactory(claimant=factories.PersonFactory(slug="public-figure")).claimant
    drafted = factories.DraftClaimFactory(claimant=factories.PersonFactory(slug="only-drafts")).claimant
    withdrawn = factories.ClaimFactory(
        claimant=factories.PersonFactory(slug="only-withdrawn"),
        visibility=Visibility.WITHDRAWN,
        withdrawal_reason="Misattributed.",
    ).claimant
    factories.PersonFactory(slug="no-claims")
    return published, drafted, withdrawn


def test_only_people_with_a_published_claim_are_listed(client, people):
    assert [person["slug"] for person in results(client.get("/api/v1/people"))] == ["public-figure"]


@pytest.mark.parametrize("slug", ["only-drafts", "only-withdrawn", "no-claims"])
def test_a_person_without_a_published_claim_is_a_404_as_on_their_public_page(client, people, slug):
    assert client.get(f"/api/v1/people/{slug}").status_code == 404
    assert client.get(f"/people/{slug}/").status_code == 404


def test_a_person_with_a_published_claim_is_found_here_and_on_their_page(client, people):
    assert client.get("/api/v1/people/public-figure").json()["slug"] == "public-figure"
    assert client.get("/people/public-figure/").status_code == 200


def test_an_editors_key_sees_the_same_people_as_everyone(people):
    editor, _ = editor_client()

    assert [person["slug"] for person in results(editor.get("/api/v1/people"))] == ["public-figure"]


def test_the_api_and_the_public_pages_share_one_rule():
    from public.selectors import people_tracked

    for claimant in factories.PersonFactory.create_batch(2):
        factories.ClaimFactory(claimant=claimant)
    factories.DraftClaimFactory()

    assert set(Person.objects.tracked()) == set(people_tracked())


@pytest.mark.parametrize("count", [2, 20])
def test_the_people_list_and_a_person_cost_one_query_each(django_assert_num_queries, count):
    for claimant in factories.PersonFactory.create_batch(count):
        factories.ClaimFactory(claimant=claimant)
        factories.DraftClaimFactory(claimant=factories.PersonFactory())
    slug = Person.objects.tracked().first().slug

    with django_assert_num_queries(1):
        listed = results(Client().get("/api/v1/people", {"page_size": 50}))
    with django_assert_num_queries(1):
        Client().get(f"/api/v1/people/{slug}")

    assert len(listed) == count
