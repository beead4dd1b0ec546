"""The claims list: filters, search, sorting and pages, each a shareable URL, and bad input."""

import datetime

import pytest
from django.utils import timezone

from claims.models import ClaimKind
from tests.factories import ClaimFactory, PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db

ALL_PUBLISHED = [
    "Build 10,000 affordable homes by 2027",
    "Repair the national road network",
    "Fix every bridge",
    "Fill all potholes",
    "Crime has halved since 2020",
]


def listed(response) -> list[str]:
    """The summaries on the page, in order."""
    return [claim.summary for claim in response.context["claims"]]


def test_the_list_shows_every_published_claim_and_no_draft_or_withdrawn_one(client, world):
    response = client.get("/claims/")

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(ALL_PUBLISHED)
    page = response.content.decode()
    assert world.draft.summary not in page
    assert world.withdrawn.summary not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=stalled", ["Build 10,000 affordable homes by 2027"]),
        ("status=not-yet-rated", ["Repair the national road network", "Fill all potholes"]),
        ("claimant=ministry-of-roads", ["Repair the national road network", "Fix every bridge", "Fill all potholes"]),
        ("kind=statement", ["Crime has halved since 2020"]),
        ("topic=housing", ["Build 10,000 affordable homes by 2027"]),
        ("past_deadline=on", ["Build 10,000 affordable homes by 2027"]),
        ("claimant=ada-mayor&kind=pledge", ["Build 10,000 affordable homes by 2027"]),
    ],
)
def test_each_filter_narrows_the_list(client, world, query, expected):
    response = client.get(f"/claims/?{query}")

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ten thousand", ["Build 10,000 affordable homes by 2027"]),  # the quote
        ("POTHOLES", ["Fill all potholes"]),  # the summary, any case
        ("ada mayor", ["Build 10,000 affordable homes by 2027", "Crime has halved since 2020"]),  # the claimant
    ],
)
def test_search_looks_in_quote_summary_and_claimant(client, world, text, expected):
    response = client.get("/claims/", {"q": text})

    assert sorted(listed(response)) == sorted(expected)


def test_the_filter_form_keeps_its_values_so_the_url_can_be_shared(client, world):
    page = client.get("/claims/?claimant=ada-mayor&q=homes").content.decode()

    assert 'method="get"' in page
    assert 'name="claimant" value="ada-mayor"' in page
    assert 'value="homes"' in page


def test_sorting_by_newest_and_oldest_uses_the_date_the_claim_was_made(client, world):
    newest = listed(client.get("/claims/?sort=newest"))
    oldest = listed(client.get("/claims/?sort=oldest"))

    assert newest[0] == "Crime has halved since 2020"
    assert oldest[0] == "Build 10,000 affordable homes by 2027"


def test_the_default_order_is_most_recently_updated_first(client, world):
    recent = ClaimFactory(summary="Just edited")

    assert listed(client.get("/claims/"))[0] == recent.summary


def test_no_match_gives_a_clear_empty_state_with_a_way_out(client, world):
    response = client.get("/claims/", {"q": "zebra crossings on the moon"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "No claims match these filters" in page
    assert "Clear all filters" in page


def test_pages_hold_twenty_claims_and_link_to_each_other_keeping_the_filters(client):
    person = PersonFactory(slug="prolific")
    ClaimFactory.create_batch(45, claimant=person)

    first = client.get("/claims/?claimant=prolific")
    third = client.get("/claims/?claimant=prolific&page=3")

    assert len(first.context["claims"]) == 20
    assert "claimant=prolific&amp;page=2" in first.content.decode()
    assert len(third.context["claims"]) == 5


@pytest.mark.parametrize("page", ["0", "4", "999999999999999999999", "abc", "-1", "1.5", ""])
def test_a_page_number_out_of_range_or_not_a_number_is_a_helpful_not_found(client, page):
    ClaimFactory.create_batch(45)

    response = client.get("/claims/", {"page": page})

    assert response.status_code == 404
    assert "This list has 3 pages" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"claimant": "nobody-by-this-name"},
        {"kind": "rumour"},
        {"topic": "no-such-topic"},
        {"sort": "sideways"},
        {"past_deadline": "perhaps"},
        {"q": "x" * 5000},
        {"q": "100% _true_ \\ ' \" ; -- <b>"},
        {"q": "nul\x00byte"},
        {"q": "emoji 🙂 and ünïcödé"},
        {"status": ["kept", "broken"]},
    ],
)
def test_odd_or_unknown_filter_values_give_a_page_not_an_error(client, world, query):
    response = client.get("/claims/", query)

    assert response.status_code == 200


def test_an_unknown_filter_value_is_explained_and_ignored(client, world):
    response = client.get("/claims/", {"status": "bogus", "kind": "pledge"})

    page = response.content.decode()
    assert "Some of the filters could not be used" in page
    assert sorted(listed(response)) == sorted(
        ["Build 10,000 affordable homes by 2027", "Fix every bridge", "Fill all potholes"]
    )


def test_an_over_long_search_is_explained(client, world):
    page = client.get("/claims/", {"q": "x" * 5000}).content.decode()

    assert "A search can be at most 400 characters long." in page


def test_the_canonical_url_keeps_only_the_valid_filters(client, world):
    page = client.get("/claims/?kind=pledge&status=bogus&utm_source=x").content.decode()

    assert '<link rel="canonical" href="http://testserver/claims/?kind=pledge">' in page


@pytest.mark.parametrize("language", ["", "/uk", "/ru"])
@pytest.mark.parametrize("count", [2, 20])
def test_the_list_takes_the_same_number_of_queries_whatever_the_page_size_and_language(
    client, django_assert_num_queries, count, language
):
    # Translations loaded (summaries, the topic): they sit in the rows the page reads anyway.
    topic = TopicFactory(name_uk="Тема", name_ru="Тема")
    for claim in ClaimFactory.create_batch(
        count, kind=ClaimKind.PLEDGE, deadline=timezone.localdate(), summary_uk="Заява", summary_ru="Заявление"
    ):
        claim.topics.add(topic)
    PersonFactory.create_batch(3)

    # 1 data version, 2 freshness, 3 status scales (ETag), 4 count, 5 the page of claims with
    # claimant and status, 6 their topics; the form's choices: 7 statuses, 8 topics, 9 who must act.
    with django_assert_num_queries(9):
        response = client.get(f"{language}/claims/", {"kind": "pledge", "q": "claim"})

    assert len(response.context["claims"]) == count


def test_an_empty_result_takes_fewer_queries_not_more(client, django_assert_num_queries):
    # No page of claims to load: 1 data version, 2 freshness, 3 scales, 4 count, then the three
    # choice lists.
    with django_assert_num_queries(7):
        response = client.get("/claims/", {"q": "nothing"})

    assert response.status_code == 200


def test_a_deadline_today_is_not_yet_past(client):
    ClaimFactory(summary="Due today", deadline=timezone.localdate(), made_on=timezone.localdate())
    ClaimFactory(summary="Due yesterday", deadline=timezone.localdate() - datetime.timedelta(days=1))

    assert listed(client.get("/claims/?past_deadline=on")) == ["Due yesterday"]


def test_a_long_list_counts_only_up_to_a_cap_and_says_there_are_more(client, monkeypatch):
    # No COUNT(*) over the whole table: past the cap the page says "more than" and stops paging.
    monkeypatch.setattr("public.views.LIST_COUNT_CAP", 30)
    ClaimFactory.create_batch(45)

    first = client.get("/claims/").content.decode()
    last = client.get("/claims/", {"page": "2"})

    assert "More than 30 claims" in first
    assert len(last.context["claims"]) == 10
    assert "change the sort to see others" in last.content.decode()
    assert client.get("/claims/", {"page": "3"}).status_code == 404
