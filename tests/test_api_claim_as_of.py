"""A claim's API detail answers `?as_of=YYYY-MM-DD` as the record stood at the end of that day."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from claims import services
from claims.models import Status
from tests import factories
from tests.api_support import error_of
from tests.factories import record_status
from tests.test_api_query_counts import CLAIM_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def noon(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T12:00"))


@pytest.fixture
def history():
    """Made 20 January 2025; "in the works" from 1 February; "broken" from 1 March, corrected to
    "stalled" on 10 March; the "in the works" entry removed today."""
    editor = factories.EditorFactory()
    claim = factories.ClaimFactory(made_on=datetime.date(2025, 1, 20), published_at=noon("2025-01-20"))

    def recorded(slug: str, day: str, **fields):
        return record_status(
            claim=claim,
            status=Status.objects.get(scale="promise", slug=slug),
            effective_on=datetime.date.fromisoformat(day),
            rationale=f"Rated {slug}.",
            recorded_by=editor,
            recorded_at=noon(day),
            **fields,
        )

    begun = recorded("in-the-works", "2025-02-01")
    broken = recorded("broken", "2025-03-01")
    recorded("stalled", "2025-03-10", corrects=broken)
    services.status_update_remove(update=begun, removed_by=factories.SuperuserFactory(), reason="Court order.")
    claim.refresh_from_db()
    return claim, begun, broken


def detail(claim, **params) -> dict:
    response = Client().get(f"/api/v1/claims/{claim.pk}", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_claim_shows_the_status_and_timeline_as_they_stood_that_day(history):
    claim, begun, broken = history

    on_feb_2 = detail(claim, as_of="2025-02-02")
    assert (on_feb_2["current_status"]["slug"], on_feb_2["status_changed_on"]) == ("in-the-works", "2025-02-01")
    # The entry removed later was still in the record then, with its content.
    (entry,) = on_feb_2["timeline"]
    assert (entry["id"], entry["status"]["slug"], entry["rationale"]) == (
        begun.pk,
        "in-the-works",
        "Rated in-the-works.",
    )
    assert entry["removed_at"] is None
    assert entry["removal_reason"] is None

    on_mar_5 = detail(claim, as_of="2025-03-05")
    assert on_mar_5["current_status"]["slug"] == "broken"
    assert [entry["status"]["slug"] for entry in on_mar_5["timeline"]] == ["broken", "in-the-works"]
    assert on_mar_5["timeline"][0]["corrected_by"] is None  # the correction came later

    on_mar_11 = detail(claim, as_of="2025-03-11")
    assert on_mar_11["current_status"]["slug"] == "stalled"
    assert next(entry for entry in on_mar_11["timeline"] if entry["id"] == broken.pk)["corrected_by"] is not None


def test_without_as_of_the_claim_shows_the_record_now(history):
    claim, begun, _ = history

    now = detail(claim)

    assert now["current_status"]["slug"] == "stalled"
    removed = next(entry for entry in now["timeline"] if entry["id"] == begun.pk)
    assert removed["status"] is None
    assert removed["removal_reason"] == "Court order."


def test_the_slug_address_honours_as_of_too(history):
    claim, _, _ = history

    body = Client().get(f"/api/v1/claims/by-slug/{claim.slug}", {"as_of": "2025-02-02"}).json()

    assert body["current_status"]["slug"] == "in-the-works"


def test_a_claim_not_yet_made_or_published_that_day_is_not_found(history):
    claim, _, _ = history

    response = Client().get(f"/api/v1/claims/{claim.pk}", {"as_of": "2025-01-19"})

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["not-a-date", "2025-02-30", "02/03/2025", ""])
def test_an_invalid_date_is_a_400_naming_as_of(history, value):
    claim, _, _ = history

    response = Client().get(f"/api/v1/claims/{claim.pk}", {"as_of": value})

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"as_of"}


def test_a_claim_as_of_a_date_costs_one_query_more_than_now(history, django_assert_num_queries):
    claim, _, _ = history

    # The claim page (7), plus the status it had that day.
    with django_assert_num_queries(CLAIM_PAGE_QUERIES + 1):
        Client().get(f"/api/v1/claims/{claim.pk}", {"as_of": "2025-03-05"})


@pytest.mark.parametrize("day", ["2025-02-02", "2025-03-05", "2025-03-11"])
def test_the_list_as_of_a_date_shows_the_same_claim_as_the_detail(history, day):
    claim, _, _ = history

    (listed,) = Client().get("/api/v1/claims", {"as_of": day}).json()["results"]

    assert listed == detail(claim, as_of=day)
