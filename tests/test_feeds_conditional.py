"""Feeds answer conditional requests like the pages (``claimtracker.page_cache.public_page``): validators,
a 304 without a body for a current copy, shared-cache headers, and a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from claims import services
from claims.models import Visibility
from tests.browser.data import FEEDS
from tests.factories import ClaimFactory, EditorFactory, PersonFactory, SuperuserFactory, record_status, status_on

pytestmark = pytest.mark.django_db

# Validators, 304s and shared-cache headers of the FEEDS are tested with the pages', in
# tests/test_public_conditional_get.py: one mechanism (public_page), one set of tests.


@pytest.mark.parametrize("path", FEEDS)
def test_a_correction_changes_the_validator_and_shows_on_the_next_poll(client, world, path):
    before = client.get(path)
    record_status(
        claim=world.pledge,
        status=status_on("promise", "in-the-works"),
        effective_on=timezone.localdate() - datetime.timedelta(days=1),
        rationale="Building resumed on every site.",
        recorded_by=EditorFactory(),
        corrects=world.correction,
    )

    response = client.get(path, headers={"if-none-match": before.headers["ETag"]})

    assert response.status_code == 200
    assert response.headers["ETag"] != before.headers["ETag"]
    assert response.content != before.content


def test_a_removal_changes_the_validator_of_the_claims_feed(client, world):
    etag = client.get("/claims/build-10000-homes/feed/").headers["ETag"]
    services.status_update_remove(update=world.first_update, removed_by=SuperuserFactory(), reason="A court order.")

    response = client.get("/claims/build-10000-homes/feed/", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "A court order." in response.content.decode()


def test_a_feed_answers_only_get_and_head(client, world):
    assert client.head("/feeds/updates/").status_code == 200
    assert client.post("/feeds/updates/").status_code == 405


def test_a_feed_of_nothing_public_is_still_not_found(client, world):
    assert client.get("/claims/secret-draft/feed/").status_code == 404
    assert client.get("/claims/withdrawn-claim/feed/").status_code == 404
    assert client.get("/people/nobody/feed/").status_code == 404


# --- query counts --------------------------------------------------------------------------------


@pytest.fixture
def many(request):
    """``request.param`` claims by one person, each with a published update, and as many corrections and withdrawals."""
    person = PersonFactory(slug="busy")
    editor = EditorFactory()
    for number in range(request.param):
        claim = ClaimFactory(claimant=person, slug=f"claim-{number}")
        first = record_status(
            claim=claim,
            status=status_on("promise", "in-the-works"),
            effective_on=claim.made_on,
            rationale="Started.",
            recorded_by=editor,
        )
        record_status(
            claim=claim,
            status=status_on("promise", "stalled"),
            effective_on=claim.made_on,
            rationale="Stalled, in fact.",
            recorded_by=editor,
            corrects=first,
        )
        gone = ClaimFactory(claimant=person, slug=f"gone-{number}")
        services.claim_set_visibility(
            claim=gone, visibility=Visibility.WITHDRAWN, changed_by=editor, reason="Misquoted."
        )
    return request.param


# Each: 1 the data version, 2 the feed's freshness, 3 the status scales (all from ``public_page``),
# then the feed's own queries: its subject (claim or person) and its entries in one query each.
QUERIES = {"/feeds/updates/": 4, "/claims/claim-0/feed/": 5, "/people/busy/feed/": 5, "/corrections/feed/": 4}


@pytest.mark.parametrize("many", [1, 12], indirect=True)
@pytest.mark.parametrize(("path", "queries"), QUERIES.items())
def test_a_feed_takes_the_same_number_of_queries_however_long_it_is(
    client, django_assert_num_queries, many, path, queries
):
    with django_assert_num_queries(queries):
        response = client.get(path)

    assert response.status_code == 200
    # Two updates on each claim; in the log, a correction and a withdrawal for each.
    assert response.content.decode().count("<entry>") == (2 if path.startswith("/claims/") else 2 * many)


@pytest.mark.parametrize("many", [3], indirect=True)
@pytest.mark.parametrize("path", QUERIES)
def test_a_not_modified_feed_costs_only_the_data_version(client, django_assert_num_queries, many, path):
    etag = client.get(path).headers["ETag"]

    # Nothing was written since the first request: its validators are remembered.
    with django_assert_num_queries(1):
        response = client.get(path, headers={"if-none-match": etag})

    assert response.status_code == 304
