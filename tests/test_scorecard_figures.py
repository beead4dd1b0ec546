"""The scorecard figures (claims.scorecards) against expectations worked out by hand: which pledges
count, the counts and the shares of the verdicts, corrections and removals, figures as of a day, the
weekly series and where it starts and ends, and "day N" of a term."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest

from claims import scorecards
from claims.models import ClaimKind, Visibility
from claims.scorecards import MAX_SERIES_POINTS, person_series, pledges, scorecard, series_days, term_series
from claims.services import status_update_remove
from tests.factories import (
    DraftClaimFactory,
    EditorFactory,
    PersonFactory,
    StatementFactory,
    SuperuserFactory,
    TopicFactory,
    rate,
)
from tests.scorecard_support import TermFactory, noon, pledge_made

pytestmark = pytest.mark.django_db

JAN_1 = datetime.date(2024, 1, 1)  # a Monday
EVERY_STATUS = ["not-yet-rated", "in-the-works", "stalled", "compromise", "kept", "broken", "unclear"]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def counts(card: scorecards.Scorecard) -> dict[str, int]:
    """The non-zero counts by status slug."""
    return {figure.status.slug: figure.count for figure in card.figures if figure.count}


def shares(card: scorecards.Scorecard) -> dict[str, Decimal | None]:
    return {figure.status.slug: figure.share_of_final for figure in card.figures}


def point_counts(series: scorecards.Series) -> list[tuple[str, dict[str, int]]]:
    by_id = {status.pk: status.slug for status in series.statuses}
    return [
        (point.day.isoformat(), {by_id[pk]: n for pk, n in sorted(point.counts.items()) if n})
        for point in series.points
    ]


def rated(claimant, slugs: list[str], *, made: datetime.date = JAN_1, term=None) -> list:
    """A pledge by ``claimant`` per slug, rated that status on 1 February 2024 ("not-yet-rated": left as made)."""
    editor = EditorFactory()
    claims = []
    for slug in slugs:
        claim = pledge_made(claimant, made, term=term)
        if slug != "not-yet-rated":
            rate(claim, slug, day("2024-02-01"), "Rated.", by=editor, recorded_at=noon("2024-02-01"))
        claims.append(claim)
    return claims


# --- counts and shares -------------------------------------------------------------------------


def test_counts_and_shares_are_of_the_pledges_with_a_verdict():
    person = PersonFactory()
    rated(person, ["kept", "kept", "compromise", "broken", "broken", "in-the-works", "stalled", "not-yet-rated"])

    card = scorecard(pledges(person=person))

    # 8 pledges; verdicts: kept 2, compromise 1, broken 2 = 5; still tracked: in the works, stalled, not yet rated.
    assert [figure.status.slug for figure in card.figures] == EVERY_STATUS
    assert counts(card) == {
        "not-yet-rated": 1,
        "in-the-works": 1,
        "stalled": 1,
        "compromise": 1,
        "kept": 2,
        "broken": 2,
    }
    assert (card.total, card.final_total, card.still_tracked) == (8, 5, 3)
    assert shares(card) == {
        "not-yet-rated": None,
        "in-the-works": None,
        "stalled": None,
        "compromise": Decimal("0.2000"),
        "kept": Decimal("0.4000"),
        "broken": Decimal("0.4000"),
        "unclear": Decimal("0.0000"),
    }
    assert [(figure.status.slug, figure.percent) for figure in card.verdicts] == [
        ("compromise", 20),
        ("kept", 40),
        ("broken", 40),
        ("unclear", 0),
    ]


def test_unclear_is_a_verdict_and_shares_are_rounded_to_four_places():
    person = PersonFactory()
    rated(person, ["kept", "kept", "unclear"])

    card = scorecard(pledges(person=person))

    # 2 of 3 and 1 of 3.
    assert shares(card)["kept"] == Decimal("0.6667")
    assert shares(card)["unclear"] == Decimal("0.3333")
    assert [(figure.status.slug, figure.percent) for figure in card.verdicts if figure.count] == [
        ("kept", 67),
        ("unclear", 33),
    ]


def test_without_a_verdict_there_are_no_shares():
    person = PersonFactory()
    rated(person, ["in-the-works", "not-yet-rated"])

    card = scorecard(pledges(person=person))

    assert (card.total, card.final_total, card.still_tracked) == (2, 0, 2)
    assert set(shares(card).values()) == {None}
    assert all(figure.percent is None for figure in card.figures)


def test_nobodys_pledges_make_an_empty_scorecard():
    card = scorecard(pledges(person=PersonFactory()))

    assert (card.total, card.final_total, card.still_tracked) == (0, 0, 0)
    assert counts(card) == {}


# --- what counts -------------------------------------------------------------------------------


def test_a_plan_with_published_components_counts_through_them_not_as_one_more():
    person = PersonFactory()
    editor = EditorFactory()
    plan = pledge_made(person, JAN_1, kind=ClaimKind.PLAN)
    first = pledge_made(person, JAN_1, parent=plan)
    second = pledge_made(person, JAN_1, parent=plan)
    DraftClaimFactory(claimant=person, parent=plan, made_on=JAN_1)
    rate(first, "kept", day("2024-02-01"), "Done.", by=editor, recorded_at=noon("2024-02-01"))
    rate(plan, "broken", day("2024-02-01"), "The plan as a whole.", by=editor, recorded_at=noon("2024-02-01"))
    lone_plan = pledge_made(person, JAN_1, kind=ClaimKind.PLAN)  # only a draft component
    DraftClaimFactory(claimant=person, parent=lone_plan, made_on=JAN_1)
    rate(lone_plan, "stalled", day("2024-02-01"), "Stalled.", by=editor, recorded_at=noon("2024-02-01"))

    card = scorecard(pledges(person=person))

    # The two published components (kept, not yet rated) and the plan without published components
    # (stalled); the first plan's own "broken" is not counted.
    assert set(pledges(person=person)) == {first, second, lone_plan}
    assert counts(card) == {"not-yet-rated": 1, "stalled": 1, "kept": 1}
    assert (card.total, card.final_total) == (3, 1)


def test_drafts_withdrawn_claims_and_fact_checks_are_not_counted():
    person = PersonFactory()
    editor = EditorFactory()
    [kept] = rated(person, ["kept"])
    DraftClaimFactory(claimant=person, made_on=JAN_1)
    pledge_made(person, JAN_1, visibility=Visibility.WITHDRAWN, withdrawal_reason="Misattributed.")
    statement = StatementFactory(claimant=person, made_on=JAN_1, published_at=noon(JAN_1))
    rate(statement, "false", day("2024-02-01"), "Not so.", by=editor, recorded_at=noon("2024-02-01"))

    card = scorecard(pledges(person=person))

    assert list(pledges(person=person)) == [kept]
    assert counts(card) == {"kept": 1}
    assert shares(card)["kept"] == Decimal("1.0000")


def test_a_draft_verdict_is_not_counted():
    person = PersonFactory()
    [claim] = rated(person, ["in-the-works"])
    rate(claim, "kept", day("2024-03-01"), "Not yet published.", by=EditorFactory(), publish=False)

    assert counts(scorecard(pledges(person=person))) == {"in-the-works": 1}


def test_a_term_and_a_topic_count_only_their_own_pledges():
    person = PersonFactory()
    term = TermFactory(person=person, starts_on=JAN_1, ends_on=None)
    housing = TopicFactory(slug="housing", name="Housing")
    in_term = rated(person, ["kept", "broken"], term=term)
    outside = rated(person, ["kept"])
    in_term[0].topics.set([housing])
    outside[0].topics.set([housing])
    rated(PersonFactory(), ["stalled"])

    assert counts(scorecard(pledges(term=term), term=term)) == {"kept": 1, "broken": 1}
    assert counts(scorecard(pledges(topic=housing))) == {"kept": 2}
    assert counts(scorecard(pledges())) == {"kept": 2, "broken": 1, "stalled": 1}


# --- corrections, removals and figures as of a day ---------------------------------------------


def test_a_correction_changes_the_verdict_from_the_day_it_was_published():
    person = PersonFactory()
    editor = EditorFactory()
    claim = pledge_made(person, JAN_1)
    mistaken = rate(claim, "broken", day("2024-02-01"), "Abandoned.", by=editor, recorded_at=noon("2024-02-01"))
    rate(
        claim,
        "compromise",
        day("2024-02-01"),
        "Partly done, not abandoned.",
        by=editor,
        corrects=mistaken,
        recorded_at=noon("2024-03-01"),
    )
    claims = pledges(person=person)

    assert counts(scorecard(claims, as_of=day("2024-01-31"))) == {"not-yet-rated": 1}
    assert counts(scorecard(claims, as_of=day("2024-02-01"))) == {"broken": 1}
    assert counts(scorecard(claims, as_of=day("2024-02-29"))) == {"broken": 1}
    # Published at noon on 1 March: counted at the end of that day, and ever since.
    assert counts(scorecard(claims, as_of=day("2024-03-01"))) == {"compromise": 1}
    assert counts(scorecard(claims)) == {"compromise": 1}


def test_a_removed_verdict_stops_counting_from_its_removal_but_counted_before_it():
    person = PersonFactory()
    editor = EditorFactory()
    claim = pledge_made(person, JAN_1)
    rate(claim, "in-the-works", day("2024-01-15"), "Bill tabled.", by=editor, recorded_at=noon("2024-01-15"))
    verdict = rate(claim, "kept", day("2024-02-01"), "Passed.", by=editor, recorded_at=noon("2024-02-01"))
    status_update_remove(update=verdict, removed_by=SuperuserFactory(), reason="Legal request.")
    yesterday = scorecards.newsroom_today() - datetime.timedelta(days=1)

    assert counts(scorecard(pledges(person=person))) == {"in-the-works": 1}
    # Removed today: on every earlier day the record still showed the verdict.
    assert counts(scorecard(pledges(person=person), as_of=yesterday)) == {"kept": 1}


def test_as_of_a_day_counts_only_pledges_made_and_published_by_then():
    person = PersonFactory()
    pledge_made(person, day("2024-01-10"), published=day("2024-02-01"))
    pledge_made(person, day("2024-01-20"))
    claims = pledges(person=person)

    assert scorecard(claims, as_of=day("2024-01-05")).total == 0
    # The first was made on the 10th but published only on 1 February.
    assert scorecard(claims, as_of=day("2024-01-15")).total == 0
    assert scorecard(claims, as_of=day("2024-01-20")).total == 1
    assert scorecard(claims, as_of=day("2024-02-01")).total == 2


def test_an_entry_recorded_later_with_an_earlier_date_does_not_change_what_a_day_showed():
    person = PersonFactory()
    claim = pledge_made(person, JAN_1)
    # Recorded on 1 April, dated 1 February.
    rate(claim, "kept", day("2024-02-01"), "Found late.", by=EditorFactory(), recorded_at=noon("2024-04-01"))
    claims = pledges(person=person)

    assert counts(scorecard(claims, as_of=day("2024-03-01"))) == {"not-yet-rated": 1}
    assert counts(scorecard(claims, as_of=day("2024-04-01"))) == {"kept": 1}


def test_the_scorecard_says_which_day_it_describes():
    person = PersonFactory()
    rated(person, ["kept"])

    assert scorecard(pledges(person=person), as_of=day("2024-03-01")).day == day("2024-03-01")
    today = scorecard(pledges(person=person))
    assert (today.day, today.as_of) == (scorecards.newsroom_today(), None)


# --- the weekly series -------------------------------------------------------------------------


@pytest.fixture
def term_record():
    """A term from Monday 1 January to 15 February 2024 with a campaign pledge, one made in the term,
    a correction, a backdated entry and a pledge of someone else."""
    person = PersonFactory()
    editor = EditorFactory()
    term = TermFactory(person=person, starts_on=JAN_1, ends_on=day("2024-02-15"))
    campaign = pledge_made(person, day("2023-12-01"), term=term)
    in_office = pledge_made(person, day("2024-01-10"), term=term)
    mistaken = rate(campaign, "broken", day("2024-01-20"), "Dropped.", by=editor, recorded_at=noon("2024-01-20"))
    rate(
        campaign,
        "kept",
        day("2024-01-20"),
        "Done after all.",
        by=editor,
        corrects=mistaken,
        recorded_at=noon("2024-02-01"),
    )
    # Dated 25 January, recorded 6 February.
    rate(in_office, "stalled", day("2024-01-25"), "Blocked.", by=editor, recorded_at=noon("2024-02-06"))
    rated(PersonFactory(), ["kept"])
    return term


def test_a_terms_series_runs_week_by_week_from_its_first_day_to_its_last(term_record):
    series = term_series(term_record)

    assert point_counts(series) == [
        ("2024-01-01", {"not-yet-rated": 1}),  # the campaign pledge
        ("2024-01-08", {"not-yet-rated": 1}),
        ("2024-01-15", {"not-yet-rated": 2}),  # the pledge of the 10th
        ("2024-01-22", {"not-yet-rated": 1, "broken": 1}),  # the mistaken verdict
        ("2024-01-29", {"not-yet-rated": 1, "broken": 1}),
        ("2024-02-05", {"not-yet-rated": 1, "kept": 1}),  # corrected on 1 February
        ("2024-02-12", {"stalled": 1, "kept": 1}),  # the entry recorded on the 6th
        ("2024-02-15", {"stalled": 1, "kept": 1}),  # the term's last day
    ]
    assert series.largest_total == 2
    assert [status.slug for status in series.statuses] == EVERY_STATUS


def test_a_terms_series_stops_at_the_day_asked_for(term_record):
    series = term_series(term_record, as_of=day("2024-01-25"))

    assert [point.day.isoformat() for point in series.points] == [
        "2024-01-01",
        "2024-01-08",
        "2024-01-15",
        "2024-01-22",
        "2024-01-25",
    ]
    # On the 25th, the stalled entry dated that day was not yet recorded.
    assert point_counts(series)[-1] == ("2024-01-25", {"not-yet-rated": 1, "broken": 1})
    assert term_series(term_record, as_of=day("2024-06-01")).points[-1].day == day("2024-02-15")


def test_every_point_of_a_series_is_that_days_scorecard(term_record):
    person = term_record.person
    series = person_series(person, as_of=day("2024-03-01"))

    assert series.points, "the series has points"
    for point in series.points:
        card = scorecard(pledges(person=person), as_of=point.day)
        assert {figure.status.pk: figure.count for figure in card.figures if figure.count} == {
            pk: n for pk, n in point.counts.items() if n
        }, point.day
        assert point.total == card.total


def test_every_point_of_a_series_up_to_today_is_that_days_scorecard():
    person = PersonFactory()
    editor = EditorFactory()
    today = scorecards.newsroom_today()
    first = pledge_made(person, today - datetime.timedelta(days=40))
    second = pledge_made(person, today - datetime.timedelta(days=20))
    mistaken = rate(
        first,
        "broken",
        today - datetime.timedelta(days=30),
        "x",
        by=editor,
        recorded_at=noon(today - datetime.timedelta(days=30)),
    )
    rate(
        first,
        "kept",
        today - datetime.timedelta(days=30),
        "y",
        by=editor,
        corrects=mistaken,
        recorded_at=noon(today - datetime.timedelta(days=10)),
    )
    removed = rate(
        second,
        "stalled",
        today - datetime.timedelta(days=15),
        "z",
        by=editor,
        recorded_at=noon(today - datetime.timedelta(days=15)),
    )
    status_update_remove(update=removed, removed_by=SuperuserFactory(), reason="Privacy.")

    series = person_series(person)

    assert series.points[0].day == first.made_on
    assert series.points[-1].day == today
    for point in series.points:
        as_of = None if point.day == today else point.day
        card = scorecard(pledges(person=person), as_of=as_of)
        assert {figure.status.pk: figure.count for figure in card.figures if figure.count} == {
            pk: n for pk, n in point.counts.items() if n
        }, point.day


def test_a_persons_series_starts_with_their_first_pledge_and_ends_today_or_on_the_day_asked_for():
    person = PersonFactory()
    pledge_made(person, day("2024-01-03"))
    pledge_made(person, day("2024-01-20"))

    asked = person_series(person, as_of=day("2024-01-24"))
    assert [point.day.isoformat() for point in asked.points] == ["2024-01-03", "2024-01-10", "2024-01-17", "2024-01-24"]
    assert [point.total for point in asked.points] == [1, 1, 1, 2]
    assert person_series(person).points[-1].day == scorecards.newsroom_today()
    assert person_series(person, as_of=day("2024-01-02")).points == []


def test_a_term_that_has_not_begun_has_no_points_yet():
    person = PersonFactory()
    starts = scorecards.newsroom_today() + datetime.timedelta(days=30)
    term = TermFactory(person=person, starts_on=starts, ends_on=None)
    pledge_made(person, scorecards.newsroom_today() - datetime.timedelta(days=3), term=term)

    assert term_series(term).points == []
    # The campaign pledge already counts on the term's scorecard.
    assert scorecard(pledges(term=term), term=term).total == 1


def test_a_series_longer_than_ten_years_keeps_its_last_weeks():
    start, end = day("2010-01-04"), day("2021-01-06")

    days = series_days(start, end)

    # 574 whole weeks from start to 2021-01-04, then the end itself: the last 519 weekly days and the end.
    assert len(days) == MAX_SERIES_POINTS
    assert days[-1] == end
    assert days[-2] == day("2021-01-04")
    assert days[0] == day("2021-01-04") - datetime.timedelta(weeks=518)
    assert all((later - earlier).days == 7 for earlier, later in itertools.pairwise(days[:-1]))


def test_a_series_of_one_day_has_one_point():
    assert series_days(JAN_1, JAN_1) == [JAN_1]
    assert series_days(JAN_1, day("2023-12-31")) == []


# --- day N of a term ---------------------------------------------------------------------------


def test_day_one_is_the_first_day_of_the_term_and_there_is_no_day_outside_it():
    term = TermFactory(starts_on=JAN_1, ends_on=day("2024-12-31"))

    assert term.day_number(JAN_1) == 1
    assert term.day_number(day("2024-02-01")) == 32
    assert term.day_number(day("2024-12-31")) == 366  # a leap year
    assert term.day_number(day("2023-12-31")) is None
    assert term.day_number(day("2025-01-01")) is None
    assert TermFactory(starts_on=JAN_1, ends_on=None).day_number(day("2034-01-01")) == 3654


def test_a_terms_scorecard_gives_the_day_of_the_term_it_describes():
    person = PersonFactory()
    term = TermFactory(person=person, starts_on=JAN_1, ends_on=day("2024-02-15"))
    rated(person, ["kept"], term=term)

    assert scorecard(pledges(term=term), term=term, as_of=day("2024-01-10")).term_day == 10
    assert scorecard(pledges(term=term), term=term, as_of=day("2023-12-31")).term_day is None
    # Today is long after the term ended.
    assert scorecard(pledges(term=term), term=term).term_day is None
    assert scorecard(pledges(person=person)).term_day is None


# --- cost ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_a_scorecard_and_a_series_take_the_same_queries_whatever_their_size(django_assert_num_queries, size):
    person = PersonFactory()
    rated(person, (["kept", "broken", "stalled"] * size)[:size])

    # 1 statuses, 2 grouped count.
    with django_assert_num_queries(2):
        scorecard(pledges(person=person), as_of=day("2024-03-01"))
    # 1 statuses, 2 claims, 3 their updates.
    with django_assert_num_queries(3):
        person_series(person, as_of=day("2024-03-01") + datetime.timedelta(weeks=size * 10))
