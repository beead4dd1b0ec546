"""The public list and the API offer the same claim filters (claims.filters): each means the same on both."""

import datetime

import pytest
from django.core.cache import cache

from api.filters import ClaimFilterSet
from claims.filters import ClaimFilterBase
from public.filters import ClaimFilter
from tests.api_support import results
from tests.browser.data import build_world
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()
# The same question asked of both surfaces; the public checkbox says "on" where the API says "true".
SAME_QUESTION = [
    ({"q": "homes"}, {"q": "homes"}),
    ({"q": '"affordable homes" or bridge'}, {"q": '"affordable homes" or bridge'}),
    ({"status": "kept"}, {"status": "kept"}),
    ({"status": "not-yet-rated"}, {"status": "not-yet-rated"}),
    ({"claimant": "ministry-of-roads"}, {"claimant": "ministry-of-roads"}),
    ({"kind": "pledge"}, {"kind": "pledge"}),
    ({"topic": "housing"}, {"topic": "housing"}),
    ({"must_act": "parliament"}, {"must_act": "parliament"}),
    ({"as_of": TODAY, "status": "kept"}, {"as_of": TODAY, "status": "kept"}),
    ({"past_deadline": "on"}, {"past_deadline": "true"}),
]


@pytest.fixture
def world():
    cache.clear()
    world = build_world()
    parliament = PersonFactory(slug="parliament")
    world.pledge.must_act.add(parliament)
    return world


def public_ids(client, params) -> set[int]:
    response = client.get("/claims/", params)
    assert response.status_code == 200
    return {claim.pk for claim in response.context["claims"]}


def api_ids(client, params) -> set[int]:
    response = client.get("/api/v1/claims", params)
    assert response.status_code == 200, response.content
    return {claim["id"] for claim in results(response)}


@pytest.mark.parametrize(("public", "api"), SAME_QUESTION)
def test_a_filter_finds_the_same_claims_on_the_public_list_and_in_the_api(client, world, public, api):
    found = public_ids(client, public)

    assert found == api_ids(client, api)
    assert found, "the example data should match something, or the comparison proves nothing"


def test_both_surfaces_extend_the_one_filter_base():
    assert issubclass(ClaimFilter, ClaimFilterBase)
    assert issubclass(ClaimFilterSet, ClaimFilterBase)
    shared = {"q", "status", "claimant", "kind", "topic", "must_act", "as_of", "past_deadline"}
    for filterset in (ClaimFilter, ClaimFilterSet):
        assert shared <= set(filterset.base_filters)
        for name in ("q", "as_of", "status", "past_deadline"):
            assert filterset.base_filters[name].method.startswith("filter_"), name
