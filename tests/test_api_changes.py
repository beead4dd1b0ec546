import pytest

from claims import services
from claims.models import ClaimChange
from tests import factories
from tests.api_support import error_of, published_claim, record

pytestmark = pytest.mark.django_db


def test_the_feed_lists_changes_in_id_order_each_with_the_claims_current_representation(client):
    claim = published_claim()
    record(claim, "in-the-works")

    body = client.get("/api/v1/changes").json()

    assert [change["kind"] for change in body["results"]] == ["claim_created", "status_recorded"]
    assert [change["id"] for change in body["results"]] == list(ClaimChange.objects.values_list("pk", flat=True))
    assert all(change["claim"]["current_status"]["slug"] == "in-the-works" for change in body["results"])
    assert body["cursor"] == str(body["results"][-1]["id"])
    assert body["has_more"] is False


def test_after_a_cursor_only_later_changes_come(client):
    claim = published_claim()
    cursor = client.get("/api/v1/changes").json()["cursor"]
    update = record(claim, "kept")

    body = client.get("/api/v1/changes", {"after": cursor}).json()

    assert [(change["kind"], change["status_update"]) for change in body["results"]] == [("status_recorded", update.pk)]
    assert client.get("/api/v1/changes", {"after": body["cursor"]}).json()["results"] == []


def test_pages_are_capped_and_say_there_is_more(client):
    for _ in range(3):
        published_claim()

    first = client.get("/api/v1/changes", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 2
    assert first["has_more"] is True
    assert len(second["results"]) == 1
    assert second["has_more"] is False


def test_a_claim_that_is_not_published_now_comes_as_a_tombstone(client):
    claim = published_claim()
    editor = factories.EditorFactory()
    services.claim_set_visibility(
        claim=claim, visibility="withdrawn", changed_by=editor, reason="The speech was misattributed."
    )

    results = client.get("/api/v1/changes").json()["results"]

    assert [change["kind"] for change in results] == ["claim_created", "claim_withdrawn"]
    tombstone = {"id": claim.pk, "deleted": True, "reason": "The speech was misattributed."}
    assert all(change["claim"] == tombstone for change in results)
    assert [change["reason"] for change in results] == [None, "The speech was misattributed."]


def test_changes_to_claims_never_published_are_left_out(client):
    published_claim(visibility="draft")

    assert client.get("/api/v1/changes").json()["results"] == []


def test_a_change_to_a_component_carries_its_plan_too(client):
    plan = published_claim(kind="plan", summary="The plan")
    component = published_claim(parent=plan, summary="Part one")
    cursor = client.get("/api/v1/changes").json()["cursor"]
    record(component, "kept")

    change = client.get("/api/v1/changes", {"after": cursor}).json()["results"][0]

    assert change["claim"]["id"] == component.pk
    assert [related["id"] for related in change["related"]] == [plan.pk]
    assert change["related"][0]["components"][0]["status"] == "kept"


@pytest.mark.parametrize("params", [{"after": "abc"}, {"after": "-1"}, {"page_size": "0"}, {"page_size": "500"}])
def test_bad_feed_parameters_are_a_400_naming_them(client, params):
    response = client.get("/api/v1/changes", params)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == set(params)
