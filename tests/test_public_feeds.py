"""Atom feeds of published status updates, sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, generated in this test
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_the_updates_feed_holds_every_published_update_of_published_claims(client, world):
    feed = entries(client.get("/feeds/updates/"))

    links = {entry.find(f"{ATOM}link").get("href") for entry in feed}
    assert len(feed) == 5  # three on the pledge, one on a component, one on the statement
    assert f"http://testserver/claims/build-10000-homes/#update-{world.correction.pk}" in links
    assert f"http://testserver/claims/build-10000-homes/#update-{world.draft_update.pk}" not in links


def test_an_entry_has_title_summary_author_and_dates(client, world):
    feed = entries(client.get("/claims/build-10000-homes/feed/"))

    correction = next(entry for entry in feed if entry.find(f"{ATOM}id").text.endswith(f"update-{world.correction.pk}"))
    assert correction.find(f"{ATOM}title").text == "Correction: Build 10,000 affordable homes by 2027 — Stalled"
    assert "it is stalled, not broken" in correction.find(f"{ATOM}summary").text
    assert correction.find(f"{ATOM}author/{ATOM}name").text == "Grace Reporter"
    assert correction.find(f"{ATOM}updated").text
    assert correction.find(f"{ATOM}published").text


def test_the_claim_feed_holds_only_that_claims_updates(client, world):
    feed = entries(client.get("/claims/crime-halved/feed/"))

    assert [entry.find(f"{ATOM}title").text for entry in feed] == ["Crime has halved since 2020 — False"]


def test_the_person_feed_holds_only_their_claims_updates(client, world):
    feed = entries(client.get("/people/ministry-of-roads/feed/"))

    assert [entry.find(f"{ATOM}title").text for entry in feed] == ["Fix every bridge — Kept"]


def test_feeds_of_unpublished_claims_or_unknown_people_are_not_found(client, world):
    assert client.get("/claims/secret-draft/feed/").status_code == 404
    assert client.get("/claims/withdrawn-claim/feed/").status_code == 404
    assert client.get("/people/nobody/feed/").status_code == 404


def test_the_sitemap_lists_the_pages_published_claims_and_people(client, world):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, generated in this test
    locations = {url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")}
    assert "http://testserver/" in locations
    assert "http://testserver/methodology/" in locations
    assert "http://testserver/claims/build-10000-homes/" in locations
    assert "http://testserver/people/ada-mayor/" in locations
    assert "http://testserver/claims/secret-draft/" not in locations
    assert "http://testserver/claims/withdrawn-claim/" not in locations


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
