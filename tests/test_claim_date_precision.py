"""A claim's date is stated no more precisely than its source allows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.dates import describe_period, iso_period, period_end
from claims.models import Claim, DatePrecision
from tests import factories

pytestmark = pytest.mark.django_db

SEP_26 = datetime.date(2024, 9, 26)


@pytest.mark.parametrize(
    ("precision", "until", "words", "iso", "last_day"),
    [
        (DatePrecision.DAY, None, "26 September 2024", "2024-09-26", datetime.date(2024, 9, 26)),
        (DatePrecision.MONTH, None, "September 2024", "2024-09", datetime.date(2024, 9, 30)),
        (DatePrecision.YEAR, None, "2024", "2024", datetime.date(2024, 12, 31)),
    ],
)
def test_each_precision_reads_as_much_as_is_known(precision, until, words, iso, last_day):
    from claims.dates import normalise_period_start

    start = normalise_period_start(SEP_26, precision)
    assert describe_period(start, precision, until) == words
    assert iso_period(start, precision, until) == iso
    assert period_end(start, precision, until) == last_day


@pytest.mark.parametrize(
    ("start", "until", "words", "iso"),
    [
        (
            datetime.date(2024, 2, 1),
            datetime.date(2024, 11, 30),
            "between February 2024 and November 2024",
            "2024-02/2024-11",
        ),
        (datetime.date(2023, 1, 1), datetime.date(2024, 12, 31), "between 2023 and 2024", "2023/2024"),
        (
            datetime.date(2024, 10, 15),
            datetime.date(2024, 11, 5),
            "between 15 October 2024 and 5 November 2024",
            "2024-10-15/2024-11-05",
        ),
    ],
)
def test_a_range_reads_at_the_precision_of_its_ends(start, until, words, iso):
    assert describe_period(start, DatePrecision.RANGE, until) == words
    assert iso_period(start, DatePrecision.RANGE, until) == iso


def test_a_month_precise_claim_is_stored_from_the_first_of_the_month():
    claim = services.claim_create(
        claimant=factories.PersonFactory(),
        kind="plan",
        quote="A plan presented to allies.",
        summary="A plan",
        made_on=SEP_26,
        made_on_precision=DatePrecision.MONTH,
        created_by=None,
    )
    claim.refresh_from_db()
    assert claim.made_on == datetime.date(2024, 9, 1)
    assert claim.made_on_display == "September 2024"
    assert claim.made_on_latest == datetime.date(2024, 9, 30)


def test_a_range_needs_an_end_after_its_start():
    with pytest.raises(ValidationError) as refused:
        services.claim_create(
            claimant=factories.PersonFactory(),
            kind="pledge",
            quote="Said throughout the campaign.",
            summary="A campaign pledge",
            made_on=datetime.date(2024, 1, 1),
            made_on_precision=DatePrecision.RANGE,
            created_by=None,
        )
    assert "made_until" in refused.value.message_dict


def test_the_database_refuses_a_range_without_an_end_and_an_end_without_a_range():
    claim = factories.ClaimFactory(made_on=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(made_on_precision=DatePrecision.RANGE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(made_until=datetime.date(2024, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(made_on_precision="week")
