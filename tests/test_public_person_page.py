"""The person page: who they are and their published claims, grouped by status with counts."""

import pytest

from people.models import Person
from tests.factories import ClaimFactory, EditorFactory, PersonFactory, rate

pytestmark = pytest.mark.django_db


def pledges_at(claimant: Person, slugs: list[str]) -> None:
    """A published pledge by ``claimant`` at each of these statuses (on the promise scale)."""
    editor = EditorFactory()
    for slug in slugs:
        claim = ClaimFactory(claimant=claimant)
        rate(claim, slug, claim.made_on, "x", by=editor)


def test_the_page_says_who_they_are(client, world):
    response = client.get("/people/ada-mayor/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Ada Mayor</h1>" in page
    assert "Mayor of Exampleton" in page
    assert "https://www.wikidata.org/wiki/Q42" in page
    assert '<meta property="og:type" content="profile">' in page


def test_published_claims_are_grouped_by_status_with_counts(client, world):
    response = client.get("/people/ada-mayor/")

    groups = {group.status.label: [claim.summary for claim in group.claims] for group in response.context["groups"]}
    assert groups == {
        "Stalled": ["Build 10,000 affordable homes by 2027"],
        "False": ["Crime has halved since 2020"],
    }
    page = response.content.decode()
    assert "2 published claims" in page
    assert world.draft.summary not in page
    assert world.withdrawn.summary not in page


def test_groups_follow_the_scales_promises_first_in_scale_order(client, world):
    pledges_at(world.mayor, ["kept", "in-the-works"])

    labels = [group.status.label for group in client.get("/people/ada-mayor/").context["groups"]]

    assert labels == ["In the works", "Stalled", "Kept", "False"]


def test_someone_without_published_claims_is_not_found(client, world):
    PersonFactory(slug="nobody-yet")

    assert client.get("/people/nobody-yet/").status_code == 404
    assert client.get("/people/no-such-person/").status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_the_page_takes_the_same_number_of_queries_whatever_the_number_of_claims(
    client, django_assert_num_queries, count
):
    pledges_at(PersonFactory(slug="busy"), (["kept", "broken", "stalled"] * count)[:count])

    # 1 data version, 2 freshness, 3 status scales (ETag), 4 the person with their count, 5 their
    # claims with status and plan.
    with django_assert_num_queries(5):
        response = client.get("/people/busy/")

    assert sum(group.count for group in response.context["groups"]) == count
