"""Readers see the record as it stood on a past date, and who a claim waits on."""

import datetime

import pytest
from django.utils import timezone

from claims.models import Status
from tests import factories
from tests.factories import record_status

pytestmark = pytest.mark.django_db


def noon(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T12:00"))


@pytest.fixture
def pledge():
    person = factories.PersonFactory(slug="mayor", name="The Mayor")
    claim = factories.ClaimFactory(
        claimant=person, made_on=datetime.date(2025, 1, 20), published_at=noon("2025-01-20"), summary="Fix the roads"
    )
    record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="kept"),
        effective_on=datetime.date(2025, 3, 1),
        rationale="Roads fixed.",
        recorded_by=factories.EditorFactory(),
        recorded_at=noon("2025-03-01"),
    )
    return claim


def test_the_list_shows_each_claims_status_as_it_stood_on_the_date(client, pledge):
    then = client.get("/claims/", {"as_of": "2025-02-01"})
    assert then.status_code == 200
    page = then.content.decode()
    assert "Fix the roads" in page
    assert "Not yet rated" in page
    assert "as it stood at the end of" in page
    assert [claim.current_status.slug for claim in then.context["claims"]] == ["not-yet-rated"]
    now = client.get("/claims/")
    assert [claim.current_status.slug for claim in now.context["claims"]] == ["kept"]


def test_the_status_filter_follows_the_date(client, pledge):
    assert list(client.get("/claims/", {"as_of": "2025-02-01", "status": "kept"}).context["claims"]) == []
    assert len(client.get("/claims/", {"as_of": "2025-03-02", "status": "kept"}).context["claims"]) == 1


def test_the_person_page_and_the_home_counts_take_a_date(client, pledge):
    person_then = client.get("/people/mayor/", {"as_of": "2025-02-01"})
    assert [group.status.slug for group in person_then.context["groups"]] == ["not-yet-rated"]
    assert [group.status.slug for group in client.get("/people/mayor/").context["groups"]] == ["kept"]

    def promise_counts(response) -> dict[str, int]:
        [promises] = [scale for scale in response.context["scales"] if scale.scale == "promise"]
        return {status.slug: status.claim_count for status in promises.rows if status.claim_count}

    assert promise_counts(client.get("/", {"as_of": "2025-02-01"})) == {"not-yet-rated": 1}
    assert promise_counts(client.get("/", {"as_of": "2025-01-19"})) == {}
    assert promise_counts(client.get("/")) == {"kept": 1}


def test_an_unusable_date_shows_todays_record_with_a_note(client, pledge):
    response = client.get("/people/mayor/", {"as_of": "last tuesday"})
    assert response.status_code == 200
    assert "is not a date" in response.content.decode()
    assert [group.status.slug for group in response.context["groups"]] == ["kept"]
    listing = client.get("/claims/", {"as_of": "31/02/2025"})
    assert listing.status_code == 200
    assert [claim.current_status.slug for claim in listing.context["claims"]] == ["kept"]


def test_the_claim_page_names_who_must_act_and_the_list_filters_by_it(client, pledge):
    council = factories.OrganisationFactory(slug="city-council", name="City Council")
    pledge.must_act.add(council)
    other = factories.ClaimFactory(summary="Another pledge")
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "Waiting on a decision by" in page
    assert 'href="/claims/?must_act=city-council">City Council</a>' in page
    listed = client.get("/claims/", {"must_act": "city-council"}).context["claims"]
    assert [claim.pk for claim in listed] == [pledge.pk]
    assert other.pk not in [claim.pk for claim in listed]
