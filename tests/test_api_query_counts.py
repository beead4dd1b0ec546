"""Every page costs a fixed number of queries, whatever its size."""

import pytest
from django.test import Client

from tests import factories
from tests.api_support import editor_client, published_claim, record

pytestmark = pytest.mark.django_db


def claims_with_timelines(count: int) -> None:
    editor = factories.EditorFactory()
    plan = factories.PlanFactory()
    for _ in range(count):
        claim = factories.ClaimFactory(parent=plan)
        claim.topics.add(factories.TopicFactory())
        factories.ClaimAppearanceFactory(claim=claim)
        for slug in ("in-the-works", "stalled", "kept"):
            record(claim, slug, by=editor, evidence=1)


# 1 claims (claimant, status and plan joined), 1 topics, 1 who must act, 1 components,
# 1 appearances with sources, 1 published timeline updates with status, 1 evidence.
CLAIM_PAGE_QUERIES = 7
# The claim list first reads the data version its cache key holds (api/caching.py: newest claim,
# person, source, change, topic and status edits, in one query), then builds the page (7).
CLAIM_LIST_QUERIES = 1 + CLAIM_PAGE_QUERIES


@pytest.mark.parametrize("count", [2, 20])
def test_a_page_of_claims_costs_eight_queries_for_2_or_20_claims(django_assert_num_queries, count):
    claims_with_timelines(count)
    client = Client()

    with django_assert_num_queries(CLAIM_LIST_QUERIES):
        response = client.get("/api/v1/claims", {"page_size": 50})

    body = response.json()
    assert len(body["results"]) == count + 1  # and the plan
    assert sum(len(claim["timeline"]) for claim in body["results"]) == 3 * count
    assert all(len(update["evidence"]) == 1 for claim in body["results"] for update in claim["timeline"])


@pytest.mark.parametrize("count", [2, 20])
def test_an_editors_page_adds_only_the_key_look_up(django_assert_num_queries, count):
    claims_with_timelines(count)
    editor, _ = editor_client()
    editor.get("/api/v1/statuses")  # last_used_at is now fresh: no UPDATE below

    # The key (owner and Editors membership joined), then the claim page.
    with django_assert_num_queries(1 + CLAIM_LIST_QUERIES):
        editor.get("/api/v1/claims", {"page_size": 50})


@pytest.mark.parametrize("count", [2, 20])
def test_a_cached_page_of_claims_costs_only_the_data_version(django_assert_num_queries, count):
    claims_with_timelines(count)
    client = Client()
    first = client.get("/api/v1/claims", {"page_size": 50})

    # 1 data version; the body comes from the cache.
    with django_assert_num_queries(1):
        again = client.get("/api/v1/claims", {"page_size": 50})
    with django_assert_num_queries(1):
        unchanged = client.get("/api/v1/claims", {"page_size": 50}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert unchanged.status_code == 304


def test_a_claim_costs_seven_queries(django_assert_num_queries):
    claims_with_timelines(1)
    claim = factories.ClaimFactory()
    record(claim, "kept", evidence=3)

    with django_assert_num_queries(CLAIM_PAGE_QUERIES):
        Client().get(f"/api/v1/claims/{claim.pk}")


@pytest.mark.parametrize("count", [2, 20])
def test_a_page_of_changes_costs_nine_queries(django_assert_num_queries, count):
    editor = factories.EditorFactory()
    plan = published_claim(by=editor, kind="plan")
    for _ in range(count):
        record(published_claim(by=editor, parent=plan), "kept", by=editor, evidence=1)

    # 1 changes, 1 the ids of the changed claims' plans, then those claims and plans as a claim page (7).
    with django_assert_num_queries(2 + CLAIM_PAGE_QUERIES):
        response = Client().get("/api/v1/changes", {"page_size": 200})

    assert len(response.json()["results"]) == 1 + 2 * count


@pytest.mark.parametrize("count", [2, 20])
def test_a_page_of_claimreviews_costs_three_queries(django_assert_num_queries, count):
    claims_with_timelines(count)

    # 1 claims (claimant and status joined), 1 appearances with sources, 1 published timeline.
    with django_assert_num_queries(3):
        Client().get("/api/v1/claimreviews", {"page_size": 50})


@pytest.mark.parametrize("count", [2, 20])
def test_the_csv_export_costs_two_queries(django_assert_num_queries, count):
    claims_with_timelines(count)

    # 1 claims (claimant and status joined), 1 topics, per chunk of 500.
    with django_assert_num_queries(2):
        response = Client().get("/api/v1/claims.csv")
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == 1 + count + 1


@pytest.mark.parametrize("count", [2, 20])
def test_people_and_sources_pages_cost_one_query(django_assert_num_queries, count):
    claims_with_timelines(count)

    with django_assert_num_queries(1):
        Client().get("/api/v1/people", {"page_size": 50})
    with django_assert_num_queries(1):
        Client().get("/api/v1/sources", {"page_size": 200})
