"""The list's claimant filter is a text field: a name, part of one, or a slug. The page never
ships the list of every claimant, so its size does not grow with the number of people tracked."""

from __future__ import annotations

import pytest

from tests.factories import ClaimFactory, PersonFactory

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return sorted(claim.summary for claim in response.context["claims"])


@pytest.fixture
def claims_by_three():
    ada = PersonFactory(name="Ada Mayor", slug="ada-mayor")
    adam = PersonFactory(name="Adam Okafor", slug="adam-okafor")
    roads = PersonFactory(name="Ministry of Roads", slug="ministry-of-roads")
    ClaimFactory(claimant=ada, summary="Homes by 2027")
    ClaimFactory(claimant=adam, summary="Clean rivers")
    ClaimFactory(claimant=roads, summary="Fix every bridge")


@pytest.mark.parametrize(
    ("claimant", "expected"),
    [
        ("ada-mayor", ["Homes by 2027"]),  # a slug: links from person pages and old URLs
        ("Ada Mayor", ["Homes by 2027"]),
        ("  ministry OF roads ", ["Fix every bridge"]),  # any case, spaces around ignored
        ("Ada", ["Clean rivers", "Homes by 2027"]),  # part of a name: everyone it fits
        ("Nobody at all", []),
        ("", ["Clean rivers", "Fix every bridge", "Homes by 2027"]),
    ],
)
def test_the_claimant_field_takes_a_name_part_of_one_or_a_slug(client, claims_by_three, claimant, expected):
    assert listed(client.get("/claims/", {"claimant": claimant})) == expected


def test_the_list_page_does_not_list_every_claimant(client):
    people = PersonFactory.create_batch(30)
    for person in people:
        ClaimFactory(claimant=person)

    page = client.get("/claims/").content.decode()

    assert not any(person.name in page.split('<section class="results"')[0] for person in people)
    assert '<input type="text" name="claimant"' in page


def test_a_searched_name_stays_in_the_field_and_the_canonical_url(client, claims_by_three):
    page = client.get("/claims/", {"claimant": "Ada"}).content.decode()

    assert 'name="claimant" value="Ada"' in page
    assert '<link rel="canonical" href="http://testserver/claims/?claimant=Ada">' in page


def test_an_over_long_name_is_explained_not_an_error(client, claims_by_three):
    response = client.get("/claims/", {"claimant": "x" * 500})

    assert response.status_code == 200
    assert "Some of the filters could not be used" in response.content.decode()
