"""Claims are dated on the public pages no more precisely than their sources, in valid HTML."""

import datetime
import re

import pytest

from claims.models import DatePrecision
from tests.factories import ClaimFactory, PersonFactory

pytestmark = pytest.mark.django_db

# A valid HTML date, month or year string (the `datetime` attribute of <time>).
VALID_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture
def person():
    return PersonFactory(slug="ada-mayor", name="Ada Mayor")


def claim_on(person, precision, start, until=None, slug="dated"):
    return ClaimFactory(
        claimant=person, slug=slug, made_on=start, made_on_precision=precision, made_until=until, summary=slug
    )


@pytest.mark.parametrize(
    ("precision", "start", "until", "words", "datetime_attr"),
    [
        (DatePrecision.DAY, datetime.date(2024, 11, 7), None, "7 November 2024", "2024-11-07"),
        (DatePrecision.MONTH, datetime.date(2024, 9, 1), None, "September 2024", "2024-09"),
        (DatePrecision.YEAR, datetime.date(2024, 1, 1), None, "2024", "2024"),
        (
            DatePrecision.RANGE,
            datetime.date(2024, 2, 1),
            datetime.date(2024, 11, 30),
            "between February 2024 and November 2024",
            "2024-02",
        ),
    ],
)
def test_every_page_shows_the_date_as_precisely_as_known(client, person, precision, start, until, words, datetime_attr):
    claim = claim_on(person, precision, start, until)

    for url in [claim.get_absolute_url(), "/claims/", "/people/ada-mayor/", "/"]:
        page = client.get(url).content.decode()
        assert f'<time datetime="{datetime_attr}">{words}</time>' in page, url


def test_a_month_is_never_shown_as_its_first_day(client, person):
    claim = claim_on(person, DatePrecision.MONTH, datetime.date(2024, 9, 1))

    for url in [claim.get_absolute_url(), "/claims/", "/people/ada-mayor/"]:
        page = client.get(url).content.decode()
        assert "1 September 2024" not in page, url
        assert "1 Sep 2024" not in page, url


def test_every_time_element_carries_a_valid_datetime(client, person):
    claim_on(person, DatePrecision.RANGE, datetime.date(2024, 2, 1), datetime.date(2024, 11, 30), slug="range")
    claim_on(person, DatePrecision.YEAR, datetime.date(2023, 1, 1), slug="year")

    for url in ["/claims/range/", "/claims/year/", "/claims/", "/people/ada-mayor/"]:
        page = client.get(url).content.decode()
        for value in re.findall(r'<time datetime="([^"]*)"', page):
            assert VALID_DATETIME.match(value) or "T" in value, (url, value)
