"""Claim, person and list pages answer 304 to a client whose copy is current, and say how long a
shared cache may keep them."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.data import FEEDS
from tests.factories import EditorFactory, record_status, status_on

pytestmark = pytest.mark.django_db

PAGES = ["/claims/build-10000-homes/", "/people/ada-mayor/", "/claims/", "/"]


@pytest.mark.parametrize("path", PAGES + FEEDS)
def test_a_page_carries_validators_and_shared_cache_headers(client, world, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith("GMT")
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=300" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", PAGES + FEEDS)
def test_a_matching_etag_gets_not_modified_without_a_body(client, world, path):
    etag = client.get(path).headers["ETag"]

    response = client.get(path, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    assert "public" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", PAGES + FEEDS)
def test_an_unchanged_page_since_its_last_modified_date_gets_not_modified(client, world, path):
    last_modified = client.get(path).headers["Last-Modified"]

    response = client.get(path, headers={"if-modified-since": last_modified})

    assert response.status_code == 304
    assert response.content == b""


def test_a_not_modified_answer_costs_only_the_data_version(client, world, django_assert_num_queries):
    etag = client.get(world.pledge.get_absolute_url()).headers["ETag"]

    # 1 the data version: nothing was written since, so the page's validators are remembered.
    with django_assert_num_queries(1):
        response = client.get(world.pledge.get_absolute_url(), headers={"if-none-match": etag})

    assert response.status_code == 304


@pytest.mark.parametrize("path", PAGES)
def test_a_new_status_update_changes_the_validator(client, world, path):
    etag = client.get(path).headers["ETag"]
    record_status(
        claim=world.pledge,
        status=status_on("promise", "kept"),
        effective_on=timezone.localdate() - datetime.timedelta(days=1),
        rationale="All homes are built.",
        recorded_by=EditorFactory(),
    )

    response = client.get(path, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_rewording_a_status_changes_the_validator(client, world):
    path = world.pledge.get_absolute_url()
    etag = client.get(path).headers["ETag"]
    stalled = status_on("promise", "stalled")
    stalled.meaning = "Progress has stopped."
    stalled.save()

    response = client.get(path, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "Progress has stopped." in response.content.decode()


def test_a_missing_page_is_not_cached_as_public(client, world):
    response = client.get(world.draft.get_absolute_url())

    assert response.status_code == 404
    assert "ETag" not in response.headers


def test_the_pages_refuse_writes(client, world):
    assert client.post(world.pledge.get_absolute_url()).status_code == 405
