"""Scorecards in the API: the tracker's (or a topic's), a person's and a term's, now and as of a day,
with the weekly series, as JSON and CSV. Every figure here is counted by hand from the story below."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from claims.dates import newsroom_today
from claims.models import Status
from tests import factories
from tests.api_support import error_of
from tests.factories import record_status
from tests.test_api_terms import TermFactory

pytestmark = pytest.mark.django_db

# The promise scale, in its order; the verdicts are the last four.
SLUGS = ["not-yet-rated", "in-the-works", "stalled", "compromise", "kept", "broken", "unclear"]
VERDICTS = {"compromise", "kept", "broken", "unclear"}


def noon(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T12:00"))


def pledge(claimant, made_on: str, **fields):
    """A pledge made and published on ``made_on``."""
    return factories.ClaimFactory(
        claimant=claimant, made_on=datetime.date.fromisoformat(made_on), published_at=noon(made_on), **fields
    )


def rated(claim, slug: str, effective_on: str, *, recorded_on: str | None = None, **fields):
    """A published status update, recorded at noon on ``recorded_on`` (default: the day it took effect)."""
    return record_status(
        claim=claim,
        status=Status.objects.get(scale=claim.scale, slug=slug),
        effective_on=datetime.date.fromisoformat(effective_on),
        rationale=f"Rated {slug}.",
        recorded_by=factories.EditorFactory(),
        recorded_at=noon(recorded_on or effective_on),
        **fields,
    )


def rated_now(claim, slug: str):
    return record_status(
        claim=claim,
        status=Status.objects.get(scale=claim.scale, slug=slug),
        effective_on=newsroom_today(),
        rationale=f"Rated {slug}.",
        recorded_by=factories.EditorFactory(),
    )


@pytest.fixture
def story():
    """Ada became mayor on Monday 6 January 2025 (her term has no end yet).

    - P5, 1 Oct 2024, a campaign pledge (no term): kept from 1 Nov 2024.
    - P1, 6 Jan 2025, term, topic health: kept from 20 Jan.
    - P2, 6 Jan 2025, term: broken from 27 Jan — corrected on 10 Feb to "compromise" from 27 Jan.
    - P3, 13 Jan 2025, term: in the works from 15 Jan.
    - P4, 13 Jan 2025, term: not yet rated.
    Bob: P6, 6 Jan 2025, topic health: broken from 1 Feb; a plan whose published component is in
    the works from 20 Jan (the plan is counted through its component). Not counted anywhere: Ada's
    statement rated false, her draft pledge, and Carol, whose only claim is a draft.
    """
    ada = factories.PersonFactory(slug="ada", name="Ada Mayor")
    bob = factories.PersonFactory(slug="bob", name="Bob Governor")
    term = TermFactory(person=ada, office="Mayor", starts_on=datetime.date(2025, 1, 6))
    health = factories.TopicFactory(slug="health", name="Health", name_uk="Здоров'я")

    rated(pledge(ada, "2024-10-01"), "kept", "2024-11-01")
    p1 = pledge(ada, "2025-01-06", term=term)
    p1.topics.add(health)
    rated(p1, "kept", "2025-01-20")
    p2 = pledge(ada, "2025-01-06", term=term)
    broken = rated(p2, "broken", "2025-01-27")
    rated(p2, "compromise", "2025-01-27", recorded_on="2025-02-10", corrects=broken)
    rated(pledge(ada, "2025-01-13", term=term), "in-the-works", "2025-01-15")
    pledge(ada, "2025-01-13", term=term)

    p6 = pledge(bob, "2025-01-06")
    p6.topics.add(health)
    rated(p6, "broken", "2025-02-01")
    plan = pledge(bob, "2025-01-06", kind="plan")
    rated(pledge(bob, "2025-01-06", parent=plan), "in-the-works", "2025-01-20")

    rated(pledge(ada, "2025-01-06", kind="statement"), "false", "2025-01-08")
    factories.DraftClaimFactory(claimant=ada, made_on=datetime.date(2025, 1, 6), term=term)
    carol = factories.DraftClaimFactory(claimant=factories.PersonFactory(slug="carol")).claimant
    hidden = TermFactory(person=carol, office="Senator")
    return {"ada": ada, "bob": bob, "term": term, "hidden": hidden}


def get(path: str, **params) -> dict:
    response = Client().get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def counts(body: dict) -> dict[str, int]:
    return {status["slug"]: status["count"] for status in body["statuses"] if status["count"]}


def shares(body: dict) -> dict[str, str | None]:
    return {status["slug"]: status["share_of_verdicts"] for status in body["statuses"]}


def week(day: str, total: int, **nonzero: int) -> dict:
    """A point of the series: every status slug, 0 where none."""
    return {
        "day": day,
        "counts": {slug: nonzero.get(slug.replace("-", "_"), 0) for slug in SLUGS},
        "total": total,
    }


# --- The figures -----------------------------------------------------------------------------


def test_the_tracker_scorecard_counts_every_published_pledge_now(story):
    body = get("/api/v1/scorecards")

    assert body["topic"] is None
    assert body["as_of"] is None
    assert body["day"] == newsroom_today().isoformat()
    assert (body["total"], body["with_verdict"], body["still_tracked"]) == (7, 4, 3)
    assert counts(body) == {"kept": 2, "compromise": 1, "broken": 1, "in-the-works": 2, "not-yet-rated": 1}
    assert shares(body) == {
        "not-yet-rated": None,
        "in-the-works": None,
        "stalled": None,
        "compromise": "0.2500",
        "kept": "0.5000",
        "broken": "0.2500",
        "unclear": "0.0000",
    }
    assert [status["slug"] for status in body["statuses"]] == SLUGS
    assert {status["slug"] for status in body["statuses"] if status["is_final"]} == VERDICTS
    kept = next(status for status in body["statuses"] if status["slug"] == "kept")
    assert (kept["label"], kept["label_language"]) == ("Kept", "en")


def test_as_of_a_day_the_later_correction_does_not_count_yet(story):
    body = get("/api/v1/scorecards", as_of="2025-02-03")

    assert (body["as_of"], body["day"]) == ("2025-02-03", "2025-02-03")
    # P2 was still "broken": its correction was recorded on 10 February.
    assert counts(body) == {"kept": 2, "broken": 2, "in-the-works": 2, "not-yet-rated": 1}
    assert (body["total"], body["with_verdict"], body["still_tracked"]) == (7, 4, 3)
    assert (shares(body)["kept"], shares(body)["broken"], shares(body)["compromise"]) == ("0.5000", "0.5000", "0.0000")


def test_a_topic_scorecard_counts_only_its_pledges(story):
    body = get("/api/v1/scorecards", topic="health", lang="uk")

    assert body["topic"] == {"slug": "health", "name": "Здоров'я", "name_language": "uk"}
    assert counts(body) == {"kept": 1, "broken": 1}
    assert (body["total"], body["with_verdict"], body["still_tracked"]) == (2, 2, 0)
    assert (shares(body)["kept"], shares(body)["broken"]) == ("0.5000", "0.5000")


def test_before_any_verdict_every_share_is_null(story):
    body = get(f"/api/v1/terms/{story['term'].pk}/scorecard", as_of="2025-01-10")

    assert counts(body) == {"not-yet-rated": 2}
    assert (body["total"], body["with_verdict"], body["still_tracked"]) == (2, 0, 2)
    assert set(shares(body).values()) == {None}
    assert body["term_day"] == 5


def test_a_persons_scorecard_counts_their_pledges_whatever_the_term(story):
    body = get("/api/v1/people/ada/scorecard")

    assert body["person"] == {
        "id": story["ada"].pk,
        "slug": "ada",
        "name": "Ada Mayor",
        "kind": "person",
        "url": "http://testserver/api/v1/people/ada",
    }
    assert counts(body) == {"kept": 2, "compromise": 1, "in-the-works": 1, "not-yet-rated": 1}
    assert (body["total"], body["with_verdict"], body["still_tracked"]) == (5, 3, 2)
    assert (shares(body)["kept"], shares(body)["compromise"], shares(body)["broken"]) == ("0.6667", "0.3333", "0.0000")


def test_a_terms_scorecard_counts_the_pledges_made_for_it_and_says_which_day_of_the_term_it_is(story):
    term = story["term"]
    now = get(f"/api/v1/terms/{term.pk}/scorecard")

    assert now["term"]["id"] == term.pk
    assert now["term"]["person"]["slug"] == "ada"
    assert now["term_day"] == (newsroom_today() - datetime.date(2025, 1, 6)).days + 1
    assert counts(now) == {"kept": 1, "compromise": 1, "in-the-works": 1, "not-yet-rated": 1}
    assert (now["total"], now["with_verdict"], now["still_tracked"]) == (4, 2, 2)
    assert (shares(now)["kept"], shares(now)["compromise"]) == ("0.5000", "0.5000")

    then = get(f"/api/v1/terms/{term.pk}/scorecard", as_of="2025-02-03")
    assert then["term_day"] == 29
    assert counts(then) == {"kept": 1, "broken": 1, "in-the-works": 1, "not-yet-rated": 1}
    assert get(f"/api/v1/terms/{term.pk}/scorecard", as_of="2025-01-05")["term_day"] is None


def test_today_or_a_later_day_gives_the_figures_as_they_stand_now(story):
    now = get("/api/v1/people/ada/scorecard")
    for day in (newsroom_today(), datetime.date(2999, 12, 31)):
        later = get("/api/v1/people/ada/scorecard", as_of=day.isoformat())
        assert later["as_of"] is None
        assert later == now


# --- The weekly series -----------------------------------------------------------------------


def test_a_terms_series_runs_weekly_from_its_first_day_to_the_day_asked(story):
    body = get(f"/api/v1/terms/{story['term'].pk}/scorecard", as_of="2025-02-03")

    assert body["series"]["weeks"] == [
        week("2025-01-06", 2, not_yet_rated=2),
        week("2025-01-13", 4, not_yet_rated=4),
        week("2025-01-20", 4, not_yet_rated=2, in_the_works=1, kept=1),
        week("2025-01-27", 4, not_yet_rated=1, in_the_works=1, kept=1, broken=1),
        week("2025-02-03", 4, not_yet_rated=1, in_the_works=1, kept=1, broken=1),
    ]


def test_a_series_asked_for_now_shows_the_correction_from_the_week_it_was_recorded(story):
    weeks = {point["day"]: point for point in get(f"/api/v1/terms/{story['term'].pk}/scorecard")["series"]["weeks"]}

    assert weeks["2025-02-03"] == week("2025-02-03", 4, not_yet_rated=1, in_the_works=1, kept=1, broken=1)
    assert weeks["2025-02-10"] == week("2025-02-10", 4, not_yet_rated=1, in_the_works=1, kept=1, compromise=1)
    assert list(weeks)[-1] == newsroom_today().isoformat()


def test_a_persons_series_starts_with_their_first_pledge_and_ends_on_the_day_asked(story):
    weeks = get("/api/v1/people/ada/scorecard", as_of="2025-01-13")["series"]["weeks"]

    # Weekly from Tuesday 1 October 2024 to 7 January 2025, then the day asked for.
    assert [point["day"] for point in weeks] == [
        *((datetime.date(2024, 10, 1) + datetime.timedelta(weeks=n)).isoformat() for n in range(15)),
        "2025-01-13",
    ]
    assert weeks[0] == week("2024-10-01", 1, not_yet_rated=1)
    assert weeks[4] == week("2024-10-29", 1, not_yet_rated=1)
    assert weeks[5] == week("2024-11-05", 1, kept=1)
    assert weeks[-2] == week("2025-01-07", 3, kept=1, not_yet_rated=2)
    assert weeks[-1] == week("2025-01-13", 5, kept=1, not_yet_rated=4)


def test_a_term_asked_for_before_it_began_has_an_empty_series(story):
    assert get(f"/api/v1/terms/{story['term'].pk}/scorecard", as_of="2024-12-01")["series"] == {"weeks": []}


# --- CSV -------------------------------------------------------------------------------------


def csv_of(path: str, **params) -> tuple[object, list[list[str]]]:
    response = Client().get(path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response, list(csv.reader(io.StringIO(response.content.decode())))


def test_a_terms_csv_is_its_weekly_series(story):
    response, rows = csv_of(f"/api/v1/terms/{story['term'].pk}/scorecard", format="csv", as_of="2025-01-27")

    assert response["Content-Disposition"] == (
        f'attachment; filename="scorecard-term-{story["term"].pk}-as-of-2025-01-27.csv"'
    )
    assert rows == [
        ["day", *SLUGS, "total"],
        ["2025-01-06", "2", "0", "0", "0", "0", "0", "0", "2"],
        ["2025-01-13", "4", "0", "0", "0", "0", "0", "0", "4"],
        ["2025-01-20", "2", "1", "0", "0", "1", "0", "0", "4"],
        ["2025-01-27", "1", "1", "0", "0", "1", "1", "0", "4"],
    ]


def test_a_persons_csv_is_asked_for_with_the_accept_header_too(story):
    response = Client().get("/api/v1/people/ada/scorecard", HTTP_ACCEPT="text/csv")

    assert response["Content-Disposition"] == 'attachment; filename="scorecard-ada.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["day", *SLUGS, "total"]
    assert rows[1] == ["2024-10-01", "1", "0", "0", "0", "0", "0", "0", "1"]
    assert rows[-1] == [newsroom_today().isoformat(), "1", "1", "0", "1", "2", "0", "0", "5"]


def test_the_tracker_csv_is_a_row_per_status_with_labels_in_the_language_asked(story):
    response, rows = csv_of("/api/v1/scorecards", format="csv", topic="health", lang="uk")

    assert response["Content-Disposition"] == 'attachment; filename="scorecard-health.csv"'
    assert rows[0] == ["status", "label", "is_final", "count", "share_of_verdicts"]
    assert [row[0] for row in rows[1:]] == SLUGS
    by_slug = {row[0]: row for row in rows[1:]}
    assert by_slug["kept"] == ["kept", "Виконано", "true", "1", "0.5000"]
    assert by_slug["broken"][2:] == ["true", "1", "0.5000"]
    assert by_slug["not-yet-rated"][2:] == ["false", "0", ""]


def test_the_whole_trackers_csv_is_named_scorecard(story):
    response, rows = csv_of("/api/v1/scorecards", format="csv")

    assert response["Content-Disposition"] == 'attachment; filename="scorecard.csv"'
    assert {row[0]: row[3] for row in rows[1:]} == {
        "not-yet-rated": "1",
        "in-the-works": "2",
        "stalled": "0",
        "compromise": "1",
        "kept": "2",
        "broken": "1",
        "unclear": "0",
    }


# --- Languages -------------------------------------------------------------------------------


def test_status_labels_follow_lang_and_accept_language_and_translations_gives_every_language(story):
    by_lang = get("/api/v1/scorecards", lang="uk")
    kept = next(status for status in by_lang["statuses"] if status["slug"] == "kept")
    assert (kept["label"], kept["label_language"]) == ("Виконано", "uk")

    response = Client(HTTP_ACCEPT_LANGUAGE="uk").get("/api/v1/people/ada/scorecard")
    assert response["Content-Language"] == "uk"
    assert "Accept-Language" in response["Vary"]
    assert response.json()["statuses"][4]["label"] == "Виконано"

    every = get("/api/v1/scorecards", translations="true")
    kept = next(status for status in every["statuses"] if status["slug"] == "kept")
    assert kept["translations"]["label"]["uk"] == "Виконано"
    assert kept["translations"]["label"]["en"] == "Kept"
    assert list(kept) == [
        *("slug", "label", "label_language", "is_final", "colour", "count", "share_of_verdicts", "translations"),
    ]


# --- Refusals --------------------------------------------------------------------------------

SCORECARD_PATHS = ["/api/v1/scorecards", "/api/v1/people/ada/scorecard", "/api/v1/terms/{term}/scorecard"]


@pytest.mark.parametrize("path", SCORECARD_PATHS)
@pytest.mark.parametrize("as_of", ["2025-02-30", "03/02/2025", "2025-2-3", "yesterday", "", "\x00"])
def test_a_bad_as_of_is_a_400_naming_it(story, path, as_of):
    response = Client().get(path.format(term=story["term"].pk), {"as_of": as_of})

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_filter"
    assert list(error["fields"]) == ["as_of"]
    assert error["message"].startswith("as_of: ")


@pytest.mark.parametrize("topic", ["nope", "", "\x00", "a" * 300])
def test_an_unknown_or_malformed_topic_is_a_400_naming_it(story, topic):
    response = Client().get("/api/v1/scorecards", {"topic": topic})

    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == ["topic"]
    assert error["message"].startswith("topic: ")


def test_a_bad_as_of_in_a_csv_request_is_answered_in_json(story):
    response = Client().get("/api/v1/scorecards", {"format": "csv", "as_of": "soon"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "as_of" in error_of(response)["fields"]


def test_a_format_the_scorecards_do_not_offer_is_a_400(story):
    response = Client().get("/api/v1/scorecards", {"format": "xml"})

    assert response.status_code == 400
    assert "format" in error_of(response)["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/carol/scorecard",
        "/api/v1/people/nobody/scorecard",
        "/api/v1/terms/{hidden}/scorecard",
        "/api/v1/terms/999999/scorecard",
        f"/api/v1/terms/{10**30}/scorecard",
    ],
)
def test_a_scorecard_of_someone_without_a_public_page_is_not_found(story, path):
    response = Client().get(path.format(hidden=story["hidden"].pk))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


# --- Caching ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCORECARD_PATHS)
def test_an_unchanged_scorecard_answers_its_etag_with_304_and_a_new_verdict_changes_it(story, path):
    path = path.format(term=story["term"].pk)
    client = Client()
    first = client.get(path)

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Answered from the database too, not only from the stored answer.
    fresh = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_CACHE_CONTROL="no-cache")
    assert fresh.status_code == 304
    not_yet_rated = story["term"].pledges.filter(visibility="published", status_updates=None).get()
    rated_now(not_yet_rated, "stalled")
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert counts(changed.json())["stalled"] == 1


def test_the_csv_and_the_json_of_one_scorecard_are_stored_apart(story):
    client = Client()
    as_json = client.get("/api/v1/people/ada/scorecard")
    as_csv = client.get("/api/v1/people/ada/scorecard", HTTP_ACCEPT="text/csv")
    again = client.get("/api/v1/people/ada/scorecard")

    assert as_json["Content-Type"] == again["Content-Type"] == "application/json"
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert again.content == as_json.content
    assert as_csv["ETag"] != as_json["ETag"]
    assert "Accept" in as_json["Vary"]
    assert "Accept" in as_csv["Vary"]
    stored = client.get("/api/v1/people/ada/scorecard", HTTP_ACCEPT="text/csv")
    assert stored.content == as_csv.content
    assert stored["Content-Disposition"] == 'attachment; filename="scorecard-ada.csv"'


# --- Queries ---------------------------------------------------------------------------------


def more_pledges(story, count: int) -> None:
    """``count`` more rated pledges for Ada's term, each with a correction."""
    for _ in range(count):
        claim = pledge(story["ada"], "2025-01-13", term=story["term"])
        wrong = rated(claim, "broken", "2025-01-20")
        rated(claim, "kept", "2025-01-20", recorded_on="2025-01-21", corrects=wrong)


@pytest.mark.parametrize("count", [0, 20])
@pytest.mark.parametrize("as_of", ["2025-01-20", None])
def test_each_scorecard_costs_a_fixed_number_of_queries_whatever_the_pledges_and_weeks(
    story, django_assert_num_queries, count, as_of
):
    more_pledges(story, count)
    params = {"as_of": as_of} if as_of else {}

    # The data version (the stored answer's key), the statuses, one grouped count.
    with django_assert_num_queries(3):
        tracker = Client().get("/api/v1/scorecards", params)
    # … and the topic.
    with django_assert_num_queries(4):
        Client().get("/api/v1/scorecards", {**params, "topic": "health"})
    # The data version, the person or term, the statuses, the count, then the series: the pledges
    # and their published updates.
    with django_assert_num_queries(6):
        person = Client().get("/api/v1/people/ada/scorecard", params)
    with django_assert_num_queries(6):
        Client().get(f"/api/v1/terms/{story['term'].pk}/scorecard", {**params, "format": "csv"})
    # A stored answer, or a 304: the data version only.
    with django_assert_num_queries(1):
        Client().get("/api/v1/people/ada/scorecard", params)
    with django_assert_num_queries(1):
        Client().get("/api/v1/scorecards", params, HTTP_IF_NONE_MATCH=tracker["ETag"])

    assert tracker.json()["total"] == 7 + count
    assert len(person.json()["series"]["weeks"]) > 5
