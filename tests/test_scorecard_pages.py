"""The scorecard pages: the whole tracker's (and a topic's), a person's, a term's and a comparison of
two. What they show, as of a day, their 404s and 400s, their fixed number of queries, and their
validators (304s; moved by a status update, a term's edit and the turn of the day)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from claims import freshness
from claims.dates import newsroom_today
from people.models import Term
from tests.factories import EditorFactory, PersonFactory, StatementFactory, TopicFactory, rate
from tests.scorecard_support import TermFactory, noon, parse, pledge_made

pytestmark = pytest.mark.django_db


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def mayor():
    """Ada Mayor's term (2024) with five pledges: kept ×2, compromise, broken ×2, all rated on
    1 February 2024, and one still in the works (rated 15 January); one pledge on housing."""
    person = PersonFactory(name="Ada Mayor", slug="ada-mayor", role="Mayor of Exampleton")
    term = TermFactory(
        person=person, office="Mayor of Exampleton", starts_on=day("2024-01-01"), ends_on=day("2024-12-31")
    )
    editor = EditorFactory()
    housing = TopicFactory(name="Housing", slug="housing")
    for slug in ["kept", "kept", "compromise", "broken", "broken", "in-the-works"]:
        claim = pledge_made(person, day("2024-01-01"), term=term)
        effective = day("2024-01-15") if slug == "in-the-works" else day("2024-02-01")
        rate(claim, slug, effective, "Rated.", by=editor, recorded_at=noon(effective))
        if slug == "broken":
            claim.topics.set([housing])
    return term


def block(response) -> str:
    """The scorecard block's text."""
    assert response.status_code == 200, response.status_code
    return parse(response.content).find_all(class_="scorecard")[0].text


def figures(response) -> dict[str, str]:
    """The scorecard table: status slug → its count and share, as shown."""
    table = parse(response.content).find_all("table", class_="scorecard__table")[0]
    return {
        row.attrs["data-status"]: " / ".join(cell.text for cell in row.find_all("td"))
        for row in table.find_all("tr")
        if "data-status" in row.attrs
    }


# --- what the pages show -----------------------------------------------------------------------


def test_the_persons_scorecard_shows_counts_and_the_shares_of_the_verdicts(client, mayor):
    response = client.get("/people/ada-mayor/scorecard/")

    text = block(response)
    assert "6 pledges" in text
    assert "Compromise 20% · Kept 40% · Broken 40% · Unclear / cannot be rated 0% of 5 pledges with a verdict" in text
    assert "1 pledge still tracked (no verdict yet)" in text
    assert f"As the record stands today, {newsroom_today():%-d %B %Y}" in text
    assert figures(response) == {
        "not-yet-rated": "0 / not a verdict",
        "in-the-works": "1 / not a verdict",
        "stalled": "0 / not a verdict",
        "compromise": "1 / 20%",
        "kept": "2 / 40%",
        "broken": "2 / 40%",
        "unclear": "0 / 0%",
    }
    page = parse(response.content)
    assert page.find("h1").text == "Ada Mayor"
    assert page.find("title").text == "Scorecard: Ada Mayor — Claim Tracker"
    image = page.find("meta", property="og:image")
    assert image.attrs["content"] == "http://testserver/share/people/ada-mayor/scorecard.png"
    assert page.find("meta", property="og:image:alt").attrs["content"] == (
        "Ada Mayor: 6 pledges. Compromise 20%, Kept 40%, Broken 40%, Unclear / cannot be rated 0% "
        "of 5 pledges with a verdict."
    )
    assert [link.attrs["href"] for link in page.find_all("a") if link.text == "Mayor of Exampleton"] == [
        f"/terms/{mayor.pk}/"
    ]


def test_the_terms_scorecard_says_the_term_ended_and_counts_only_its_pledges(client, mayor):
    pledge_made(mayor.person, day("2025-03-01"))  # after the term: the person's, not the term's

    text = block(client.get(f"/terms/{mayor.pk}/"))

    assert "The term ended on 31 December 2024" in text
    assert "6 pledges" in text
    assert "7 pledges" in block(client.get("/people/ada-mayor/scorecard/"))


def test_a_terms_scorecard_as_of_a_day_gives_the_day_of_the_term_and_the_figures_then(client, mayor):
    response = client.get(f"/terms/{mayor.pk}/", {"as_of": "2024-01-20"})

    text = block(response)
    assert "As the record stood at the end of 20 January 2024 · Day 20 of the term" in text
    assert "6 pledges" in text
    assert "No verdicts yet" in text
    assert figures(response)["in-the-works"] == "1 / not a verdict"
    assert figures(response)["not-yet-rated"] == "5 / not a verdict"
    page = response.content.decode()
    assert "This shows the record as it stood at the end of" in page
    assert f'<link rel="canonical" href="http://testserver/terms/{mayor.pk}/?as_of=2024-01-20">' in page
    assert 'property="og:image"' not in page  # the share image shows today's figures


def test_before_a_term_starts_its_scorecard_says_when_it_will(client, mayor):
    text = block(client.get(f"/terms/{mayor.pk}/", {"as_of": "2023-12-01"}))

    assert "The term starts on 1 January 2024" in text
    assert "0 pledges" in text


def test_the_day_number_is_formatted_for_the_language(client):
    person = PersonFactory(slug="long-serving")
    term = TermFactory(person=person, starts_on=day("2020-01-01"), ends_on=None)
    pledge_made(person, day("2020-01-02"), term=term)

    assert "Day 1,462 of the term" in block(client.get(f"/terms/{term.pk}/", {"as_of": "2024-01-01"}))
    assert "1 462" in block(client.get(f"/uk/terms/{term.pk}/", {"as_of": "2024-01-01"})).replace("\xa0", " ")


def test_the_tracker_page_counts_every_pledge_and_lists_people_and_terms(client, mayor):
    other = PersonFactory(name="Bo Senator", slug="bo-senator")
    pledge_made(other, day("2024-01-01"))
    StatementFactory(claimant=PersonFactory(slug="only-statements"), made_on=day("2024-01-01"))

    response = client.get("/scorecards/")

    assert "7 pledges" in block(response)
    assert "of 5 pledges with a verdict" in block(response)
    page = parse(response.content)
    people = [
        (link.attrs["href"], link.find(class_="people-grid__name").text, link.find(class_="people-grid__count").text)
        for link in page.find("ul", class_="people-grid").find_all("a")
    ]
    assert people == [
        ("/people/ada-mayor/scorecard/", "Ada Mayor", "6 pledges"),
        ("/people/bo-senator/scorecard/", "Bo Senator", "1 pledge"),
    ]
    assert f'href="/terms/{mayor.pk}/"' in response.content.decode()
    assert 'property="og:image" content="http://testserver/share/scorecard.png"' in response.content.decode()


def test_a_topics_scorecard_counts_the_pledges_on_it(client, mayor):
    response = client.get("/scorecards/", {"topic": "housing"})

    assert parse(response.content).find("h1").text == "Pledges on Housing"
    assert "2 pledges" in block(response)
    assert "Compromise 0% · Kept 0% · Broken 100% · Unclear / cannot be rated 0% of 2 pledges with a verdict" in block(
        response
    )


def test_the_tracker_as_of_a_day_links_to_the_scorecards_of_that_day(client, mayor):
    response = client.get("/scorecards/", {"as_of": "2024-01-20"})

    assert "No verdicts yet" in block(response)
    assert 'href="/people/ada-mayor/scorecard/?as_of=2024-01-20"' in response.content.decode()


def test_an_unusable_date_is_explained_and_today_is_shown(client, mayor):
    response = client.get("/people/ada-mayor/scorecard/", {"as_of": "yesterday"})

    assert response.status_code == 200
    assert "“yesterday” is not a date (use YYYY-MM-DD)" in response.content.decode()
    assert "As the record stands today" in block(response)


def test_the_person_home_and_methodology_pages_lead_to_the_scorecards(client, mayor):
    person_page = parse(client.get("/people/ada-mayor/").content)
    assert [link.attrs["href"] for link in person_page.find_all("a") if link.text == "Scorecard"] == [
        "/people/ada-mayor/scorecard/"
    ]
    assert 'href="/scorecards/"' in client.get("/").content.decode()
    methodology = parse(client.get("/methodology/").content)
    assert methodology.find("h2", id="scorecards").text == "How we count a scorecard"


def test_the_pages_come_in_ukrainian(client, mayor):
    for path in ["/uk/scorecards/", "/uk/people/ada-mayor/scorecard/", f"/uk/terms/{mayor.pk}/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'lang="uk"' in response.content.decode()


# --- not found and bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/people/nobody/scorecard/",
        "/people/no-claims/scorecard/",
        "/terms/999999/",
        "/terms/99999999999999999999999/",
        "/scorecards/?topic=no-such-topic",
    ],
)
def test_unknown_people_terms_and_topics_get_the_sites_404_page(client, mayor, path):
    PersonFactory(slug="no-claims")

    response = client.get(path)

    assert response.status_code == 404
    assert response.templates[0].name == "public/not_found.html"


def test_the_term_of_someone_without_published_claims_is_not_found(client):
    term = TermFactory(person=PersonFactory(slug="quiet"))

    assert client.get(f"/terms/{term.pk}/").status_code == 404


def test_the_comparison_shows_two_scorecards_side_by_side(client, mayor):
    other = PersonFactory(name="Bo Senator", slug="bo-senator")
    pledge_made(other, day("2024-01-01"))

    response = client.get("/compare/", {"a": "person:bo-senator", "b": f"term:{mayor.pk}"})

    assert response.status_code == 200
    page = parse(response.content)
    sides = page.find_all("section", class_="compare__side")
    assert [side.find("h2").text for side in sides] == ["Bo Senator", "Ada Mayor, Mayor of Exampleton"]
    assert "1 pledge" in sides[0].find(class_="scorecard").text
    assert "6 pledges" in sides[1].find(class_="scorecard").text
    assert len(page.find_all("svg", role="img")) == 2
    assert page.find("h1").text == "Bo Senator and Ada Mayor, Mayor of Exampleton compared"
    assert (
        f'<link rel="canonical" href="http://testserver/compare/?a=person%3Abo-senator&amp;b=term%3A{mayor.pk}">'
        in response.content.decode()
    )


def test_a_comparison_missing_a_side_asks_to_choose_with_the_given_one_chosen(client, mayor):
    response = client.get("/compare/", {"a": "person:ada-mayor"})

    assert response.status_code == 200
    page = parse(response.content)
    assert "Choose two scorecards to compare" in page.find(class_="form-errors").text
    assert page.find("select", id="id_a").find("option", selected="").attrs["value"] == "person:ada-mayor"
    assert page.find_all("section", class_="compare__side") == []


@pytest.mark.parametrize(
    "value", ["ada-mayor", "person:", "person:ada mayor", "term:abc", "term:0", "term:-1", "planet:mars"]
)
def test_a_malformed_side_is_a_400_that_says_what_was_wrong(client, mayor, value):
    response = client.get("/compare/", {"a": value, "b": f"term:{mayor.pk}"})

    assert response.status_code == 400
    message = parse(response.content).find(class_="form-errors").text
    assert f"“{value}” is not a scorecard we can compare" in message
    assert "person:<name> or term:<number>" in message


@pytest.mark.parametrize("value", ["person:nobody", "person:no-claims", "term:999999"])
def test_an_unknown_side_is_a_404_that_offers_the_form(client, mayor, value):
    PersonFactory(slug="no-claims")

    response = client.get("/compare/", {"a": "person:ada-mayor", "b": value})

    assert response.status_code == 404
    page = parse(response.content)
    assert f"We have no scorecard for “{value}”: choose one below." in page.find(class_="form-errors").text
    assert page.find("select", id="id_b")
    assert page.find_all("section", class_="compare__side") == []


# --- queries -----------------------------------------------------------------------------------


def record_of(size: int) -> Term:
    """A term of ``size`` × 10 weeks with ``size`` pledges of its holder, each rated."""
    person = PersonFactory(slug="busy")
    today = newsroom_today()
    term = TermFactory(person=person, starts_on=today - datetime.timedelta(weeks=size * 10), ends_on=None)
    editor = EditorFactory()
    for index, slug in enumerate((["kept", "broken", "stalled"] * size)[:size]):
        claim = pledge_made(person, term.starts_on + datetime.timedelta(days=index), term=term)
        rate(claim, slug, claim.made_on + datetime.timedelta(days=3), "Rated.", by=editor)
    topic = TopicFactory(slug="roads")
    for claim in person.claims.all():
        claim.topics.set([topic])
    return term


@pytest.mark.parametrize("size", [2, 20])
def test_each_page_takes_the_same_number_of_queries_whatever_the_number_of_pledges_and_weeks(
    client, django_assert_num_queries, size
):
    term = record_of(size)
    other = PersonFactory(slug="other")
    pledge_made(other, day("2024-01-01"))
    # Each first asks 1 the data version, 2 the newest write (freshness), 3 the statuses (ETag).
    pages = {
        # 4 statuses, 5 grouped count (per status and claimant), 6 topics, 7 the people it ranks, 8 terms.
        "/scorecards/": 8,
        # 4 the topic, 5 statuses, 6 the topic's count, 7 topics, 8 the tracker's pledges per person,
        # 9 those people, 10 terms.
        "/scorecards/?topic=roads": 10,
        # 4 the person, 5 statuses, 6 grouped count, 7 series claims, 8 their updates, 9 their terms.
        "/people/busy/scorecard/": 9,
        "/people/busy/scorecard/?as_of=2024-06-01": 9,
        # 4 the term and its holder, 5 statuses, 6 grouped count, 7 series claims, 8 their updates.
        f"/terms/{term.pk}/": 8,
        # 4 statuses, then for each side its person or term, count, claims, updates (5–12), 13 pledges per
        # person, 14 those people, 15 terms.
        f"/compare/?a=person:other&b=term:{term.pk}": 15,
    }
    for path, queries in pages.items():
        cache.clear()  # nothing remembered from the page before
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert response.status_code == 200, path
    weeks = len(response.context["sides"][1].chart.rows)
    assert weeks == size * 10 + 1


def test_a_not_modified_answer_costs_only_the_data_version(client, mayor, django_assert_num_queries):
    etag = client.get(f"/terms/{mayor.pk}/").headers["ETag"]

    # 1 the data version: nothing was written since, so the page's validators are remembered.
    with django_assert_num_queries(1):
        response = client.get(f"/terms/{mayor.pk}/", headers={"if-none-match": etag})

    assert response.status_code == 304


# --- validators --------------------------------------------------------------------------------


def paths(term: Term) -> list[str]:
    return [
        "/scorecards/",
        "/people/ada-mayor/scorecard/",
        f"/terms/{term.pk}/",
        f"/compare/?a=person:ada-mayor&b=term:{term.pk}",
    ]


def test_every_page_answers_304_to_a_current_copy(client, mayor):
    for path in paths(mayor):
        first = client.get(path)
        assert first.status_code == 200, path
        assert "public" in first.headers["Cache-Control"]
        assert first.headers["Last-Modified"].endswith("GMT")
        again = client.get(path, headers={"if-none-match": first.headers["ETag"]})
        assert again.status_code == 304, path
        assert again.content == b""
        assert client.get(path, headers={"if-modified-since": first.headers["Last-Modified"]}).status_code == 304


def test_a_status_update_moves_every_pages_validator(client, mayor):
    etags = {path: client.get(path).headers["ETag"] for path in paths(mayor)}
    claim = mayor.pledges.get(current_status__slug="in-the-works")

    rate(claim, "kept", day("2024-03-01"), "Done.", by=EditorFactory())

    for path, etag in etags.items():
        response = client.get(path, headers={"if-none-match": etag})
        assert response.status_code == 200, path
        assert response.headers["ETag"] != etag


def test_editing_a_term_moves_the_validator(client, mayor):
    path = f"/terms/{mayor.pk}/"
    etag = client.get(path).headers["ETag"]

    mayor.ends_on = day("2024-06-30")
    mayor.save()

    response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "The term ended on 30 June 2024" in block(response)


def test_the_validator_moves_with_the_newsroom_day(client, mayor, monkeypatch):
    path = f"/terms/{mayor.pk}/"
    first = client.get(path)

    monkeypatch.setattr(freshness, "newsroom_today", lambda: newsroom_today() + datetime.timedelta(days=1))

    response = client.get(path, headers={"if-none-match": first.headers["ETag"]})
    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]
    assert response.headers["Last-Modified"] != first.headers["Last-Modified"]


def test_a_dated_comparison_links_to_the_same_comparison_today(client, mayor):
    response = client.get("/compare/", {"a": "person:ada-mayor", "b": f"term:{mayor.pk}", "as_of": "2024-01-20"})

    notice = parse(response.content).find(class_="as-of-notice")
    assert "as it stood at the end of 20 January 2024" in notice.text
    assert notice.find("a").attrs["href"] == f"/compare/?a=person%3Aada-mayor&b=term%3A{mayor.pk}"
    topic = parse(client.get("/uk/scorecards/", {"topic": "housing", "as_of": "2024-01-20"}).content)
    assert topic.find(class_="as-of-notice").find("a").attrs["href"] == "/uk/scorecards/?topic=housing"
