"""Dates are worded in the reader's language: English, Ukrainian and Russian.

Days and months come from Django's own locale data; a period inside a sentence ("made in September
2024") is one of our translated sentences (the month takes the locative in Ukrainian and Russian).
"""

import datetime

import pytest
from django.utils import translation

from claims.dates import describe_day, describe_period, describe_period_in_sentence, future_status_error
from claims.models import DatePrecision

DAY = datetime.date(2024, 11, 7)
SEPTEMBER = datetime.date(2024, 9, 1)


def in_language(language, function, *args):
    with translation.override(language):
        return function(*args)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "7 November 2024"), ("uk", "7 листопада 2024"), ("ru", "7 ноября 2024")],
)
def test_a_day_names_its_month_in_the_form_that_follows_a_day_number(language, words):
    assert in_language(language, describe_day, DAY) == words
    assert in_language(language, describe_period, DAY, DatePrecision.DAY) == words


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "September 2024"), ("uk", "Вересень 2024"), ("ru", "Сентябрь 2024")],
)
def test_a_month_on_its_own_is_named_as_a_month_on_its_own(language, words):
    assert in_language(language, describe_period, SEPTEMBER, DatePrecision.MONTH) == words


@pytest.mark.parametrize(
    ("language", "first", "last"),
    [
        ("en", "15 October 2024", "5 November 2024"),
        ("uk", "15 жовтня 2024", "5 листопада 2024"),
        ("ru", "15 октября 2024", "5 ноября 2024"),
    ],
)
def test_a_range_of_days_words_both_days_in_the_language(language, first, last):
    start, until = datetime.date(2024, 10, 15), datetime.date(2024, 11, 5)

    for words in (
        in_language(language, describe_period, start, DatePrecision.RANGE, until),
        in_language(language, describe_period_in_sentence, start, DatePrecision.RANGE, until),
    ):
        assert first in words, words
        assert last in words, words


def test_english_sentences_are_unchanged():
    with translation.override("en"):
        assert describe_period_in_sentence(DAY, DatePrecision.DAY) == "on 7 November 2024"
        assert describe_period_in_sentence(SEPTEMBER, DatePrecision.MONTH) == "in September 2024"
        assert describe_period_in_sentence(datetime.date(2024, 1, 1), DatePrecision.YEAR) == "in 2024"
        assert (
            describe_period_in_sentence(datetime.date(2024, 2, 1), DatePrecision.RANGE, datetime.date(2024, 11, 30))
            == "between February 2024 and November 2024"
        )
        assert (
            describe_period_in_sentence(datetime.date(2023, 1, 1), DatePrecision.RANGE, datetime.date(2024, 12, 31))
            == "between 2023 and 2024"
        )


def test_every_month_in_a_sentence_is_its_own_english_sentence():
    with translation.override("en"):
        for month in range(1, 13):
            start = datetime.date(2024, month, 1)
            assert describe_period_in_sentence(start, DatePrecision.MONTH) == f"in {start:%B} 2024"


@pytest.mark.parametrize(
    ("language", "locative"),
    [
        ("uk", "вересні"),
        ("ru", "сентябре"),
    ],
)
def test_a_month_in_a_sentence_takes_the_locative(language, locative):
    words = in_language(language, describe_period_in_sentence, SEPTEMBER, DatePrecision.MONTH)

    assert locative in words, words
    assert "2024" in words, words
    assert "September" not in words, words


@pytest.mark.parametrize(
    ("language", "day"),
    [
        ("uk", "7 листопада 2024"),
        ("ru", "7 ноября 2024"),
    ],
)
def test_a_day_in_a_sentence_has_no_english_preposition(language, day):
    words = in_language(language, describe_period_in_sentence, DAY, DatePrecision.DAY)

    assert day in words, words
    assert not words.startswith("on "), words


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_year_and_a_range_in_a_sentence_are_translated(language):
    year = in_language(language, describe_period_in_sentence, datetime.date(2024, 1, 1), DatePrecision.YEAR)
    years = in_language(
        language,
        describe_period_in_sentence,
        datetime.date(2023, 1, 1),
        DatePrecision.RANGE,
        datetime.date(2024, 12, 31),
    )

    assert "2024" in year, year
    assert not year.startswith("in "), year
    assert "2023" in years, years
    assert "2024" in years, years
    assert "between" not in years, years


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_future_status_is_refused_in_the_language_with_its_iso_dates(language):
    message = in_language(language, future_status_error, datetime.date(2999, 1, 1))

    assert message is not None
    assert "2999-01-01" in message, message
    assert "cannot take effect" not in message, message
