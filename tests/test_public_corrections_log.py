"""The public corrections log: every correction, removal and withdrawal, newest first, with why."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from claims import services
from claims.models import ClaimKind, Visibility
from public import views
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    PersonFactory,
    StatementFactory,
    SuperuserFactory,
    rate,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NOV_7 = datetime.date(2024, 11, 7)


@pytest.fixture
def editor():
    return EditorFactory(first_name="Grace", last_name="Reporter")


@pytest.fixture
def mayor():
    return PersonFactory(name="Ada Mayor", slug="ada-mayor")


@pytest.fixture
def corrected(mayor, editor):
    claim = StatementFactory(claimant=mayor, slug="crime-halved", summary="Crime has halved", made_on=NOV_7)
    first = rate(claim, "accurate", NOV_7, "Police figures agree.", by=editor)
    correction = rate(
        claim,
        "unclear",
        NOV_7,
        "The police changed how they count; the figures cannot be compared.",
        by=editor,
        corrects=first,
    )
    return claim, first, correction


@pytest.fixture
def removed(mayor, editor):
    claim = ClaimFactory(claimant=mayor, slug="homes", summary="Build homes", made_on=NOV_7)
    update = rate(claim, "in-the-works", NOV_7, "Named a private individual.", by=editor)
    services.status_update_remove(update=update, removed_by=SuperuserFactory(), reason="A court order.")
    return claim, update


@pytest.fixture
def withdrawn(mayor, editor):
    claim = ClaimFactory(claimant=mayor, slug="misquote", summary="A misattributed quote")
    services.claim_set_visibility(
        claim=claim, visibility=Visibility.WITHDRAWN, changed_by=editor, reason="Said by someone else."
    )
    return claim


def test_the_log_lists_corrections_removals_and_withdrawals_newest_first_with_why(
    client, corrected, removed, withdrawn
):
    page = client.get("/corrections/").content.decode()

    _claim, _first, correction = corrected
    assert page.index("Claim withdrawn") < page.index("Status update of 7 November 2024 removed")
    assert page.index("Status update of 7 November 2024 removed") < page.index(
        "Status corrected from Accurate to Unclear"
    )
    assert "The police changed how they count; the figures cannot be compared." in page
    assert "A court order." in page
    assert "Said by someone else." in page
    assert f'href="/claims/crime-halved/#update-{correction.pk}"' in page
    assert f'href="/claims/homes/#update-{removed[1].pk}"' in page
    assert 'href="/claims/misquote/"' in page
    assert "A misattributed quote" not in page  # a withdrawn claim's wording is not repeated
    assert "Named a private individual." not in page  # nor a removed update's content


def test_an_ordinary_status_update_or_an_edit_is_not_a_correction(client, mayor, editor):
    claim = ClaimFactory(claimant=mayor, made_on=NOV_7)
    rate(claim, "kept", NOV_7, "Done.", by=editor)

    page = client.get("/corrections/").content.decode()

    assert "No corrections yet" in page
    assert "We have not corrected, removed or withdrawn anything" in page


def test_the_log_is_linked_from_every_page_footer_and_the_methodology(client):
    assert 'href="/corrections/"' in client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert 'href="/corrections/"' in client.get("/methodology/").content.decode().split("<main")[1]


def test_the_log_is_in_the_sitemap(client):
    assert "http://testserver/corrections/</loc>" in client.get("/sitemap.xml").content.decode()


def test_the_log_filters_by_person(client, corrected, editor):
    other = ClaimFactory(claimant=PersonFactory(slug="bo"), slug="other")
    services.claim_set_visibility(claim=other, visibility=Visibility.WITHDRAWN, changed_by=editor, reason="Wrong.")

    page = client.get("/corrections/", {"person": "ada-mayor"}).content.decode()

    assert "Status corrected from Accurate to Unclear" in page
    assert "Claim withdrawn" not in page
    assert "Ada Mayor" in page


def test_an_unknown_person_gets_a_clear_message(client, corrected):
    response = client.get("/corrections/", {"person": "no-such-person"})

    assert response.status_code == 404
    assert "We track nobody at the address “no-such-person”" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "3", "x", "-1", "9" * 30])
def test_a_bad_page_number_gets_a_clear_not_found(client, corrected, page):
    response = client.get("/corrections/", {"page": page})

    assert response.status_code == 404
    assert "The corrections log has 1 page;" in response.content.decode()


def test_the_log_is_paginated_twenty_to_a_page(client, monkeypatch, mayor, editor):
    monkeypatch.setattr(views, "CORRECTIONS_PER_PAGE", 2)
    for number in range(3):
        claim = ClaimFactory(claimant=mayor, slug=f"gone-{number}")
        services.claim_set_visibility(
            claim=claim, visibility=Visibility.WITHDRAWN, changed_by=editor, reason=f"Reason {number}."
        )

    first = client.get("/corrections/").content.decode()
    second = client.get("/corrections/", {"page": "2"}).content.decode()

    assert "Reason 2." in first
    assert "Reason 1." in first
    assert "Reason 0." not in first
    assert "Reason 0." in second
    assert 'rel="next" href="?page=2"' in first


def test_twenty_entries_fit_on_the_first_page():
    assert views.CORRECTIONS_PER_PAGE == 20


@pytest.mark.parametrize("count", [1, 6])
def test_the_log_takes_the_same_number_of_queries_whatever_its_length(
    client, django_assert_num_queries, mayor, editor, count
):
    for number in range(count):
        claim = StatementFactory(claimant=mayor, slug=f"claim-{number}", kind=ClaimKind.STATEMENT, made_on=NOV_7)
        first = rate(claim, "accurate", NOV_7, "Right.", by=editor)
        rate(claim, "false", NOV_7, "Wrong after all.", by=editor, corrects=first)

    # 1 data version, 2 freshness, 3 status scales (ETag), 4 count, 5 the page of changes with
    # claim, claimant, update, its status and the corrected update's status.
    with django_assert_num_queries(5):
        response = client.get("/corrections/")
    assert response.content.decode().count('class="corrections-log__entry') == count

    # With a person: 1 the data version (the log's validators are remembered from the request
    # above), 2 the person, 3 count, 4 the page.
    with django_assert_num_queries(4):
        client.get("/corrections/", {"person": "ada-mayor"})


def test_a_new_correction_shows_on_the_next_request(client, corrected, editor):
    claim, _first, correction = corrected
    assert (
        "Status corrected from Unclear / cannot be rated to False" not in client.get("/corrections/").content.decode()
    )
    etag = client.get("/corrections/").headers["ETag"]

    rate(claim, "false", NOV_7, "Comparable figures were published.", by=editor, corrects=correction)

    response = client.get("/corrections/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Status corrected from Unclear / cannot be rated to False" in response.content.decode()


def test_the_log_is_cacheable_and_revalidates(client, corrected):
    response = client.get("/corrections/")

    assert "public" in response.headers["Cache-Control"]
    assert client.get("/corrections/", headers={"if-none-match": response.headers["ETag"]}).status_code == 304


def test_the_feed_has_an_entry_with_an_absolute_id_for_each_line_of_the_log(
    client, settings, corrected, removed, withdrawn
):
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example/"
    response = client.get("/corrections/feed/")

    assert response.headers["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 - our own output
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == [
        "Claim withdrawn",
        "Status update of 7 November 2024 removed: Build homes",
        "Status corrected from Accurate to Unclear / cannot be rated: Crime has halved",
    ]
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert all(entry_id.startswith("https://claims.example/corrections/#change-") for entry_id in ids)
    assert len(set(ids)) == 3
    assert "Why: A court order." in [entry.find(f"{ATOM}summary").text for entry in entries]
    assert entries[2].find(f"{ATOM}link").get("href").startswith("http://testserver/claims/crime-halved/#update-")


def test_the_log_dates_each_entry(client, corrected):
    page = client.get("/corrections/").content.decode()

    assert f"{timezone.localdate().day} {timezone.localdate():%B %Y}</time>" in page
