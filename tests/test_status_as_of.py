"""Status as of a date: the record as it stood then, reproducible from the append-only timeline."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from claims.models import Claim, Status
from tests import factories
from tests.factories import record_status

pytestmark = pytest.mark.django_db

INAUGURATION = datetime.date(2025, 1, 20)


def day(offset: int) -> datetime.date:
    return INAUGURATION + datetime.timedelta(days=offset)


def moment(offset: int) -> datetime.datetime:
    """Noon on that day, when an update is recorded and published."""
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(12)))


def status(slug: str) -> Status:
    return Status.objects.get(scale="promise", slug=slug)


def record(claim, slug: str, effective: int, recorded: int, editor, corrects=None):
    return record_status(
        claim=claim,
        status=status(slug),
        effective_on=day(effective),
        rationale=f"{slug} from day {effective}",
        recorded_by=editor,
        recorded_at=moment(recorded),
        corrects=corrects,
    )


def counts_as_of(offset: int) -> Counter:
    statuses = dict(Status.objects.values_list("pk", "slug"))
    return Counter(
        statuses[pk]
        for pk in Claim.objects.published().with_status_as_of(day(offset)).values_list("status_as_of_id", flat=True)
    )


@pytest.fixture
def timeline():
    """Three pledges made on inauguration day; their timelines unfold over 200 days."""
    editor = factories.EditorFactory()
    published = moment(0)
    a, b, c = (
        factories.ClaimFactory(made_on=day(0), published_at=published, summary=f"Pledge {name}") for name in "abc"
    )
    record(a, "in-the-works", 10, 10, editor)
    record(a, "kept", 90, 95, editor)
    wrong = record(b, "kept", 50, 50, editor)
    record(b, "broken", 50, 120, editor, corrects=wrong)  # corrected on day 120
    record(c, "stalled", 30, 150, editor)  # backdated: recorded on day 150 for day 30
    late = factories.ClaimFactory(made_on=day(160), published_at=moment(160), summary="A later pledge")
    record(late, "in-the-works", 170, 170, editor)


def test_counts_at_several_dates_follow_the_timeline_as_it_was_recorded(timeline):
    assert counts_as_of(5) == Counter({"not-yet-rated": 3})
    assert counts_as_of(60) == Counter({"in-the-works": 1, "kept": 1, "not-yet-rated": 1})
    assert counts_as_of(100) == Counter({"kept": 2, "not-yet-rated": 1})
    assert counts_as_of(130) == Counter({"kept": 1, "broken": 1, "not-yet-rated": 1})
    assert counts_as_of(155) == Counter({"kept": 1, "broken": 1, "stalled": 1})
    assert counts_as_of(200) == Counter({"kept": 1, "broken": 1, "stalled": 1, "in-the-works": 1})


def test_a_figure_for_a_past_date_does_not_change_when_later_updates_arrive(timeline):
    before = counts_as_of(100)
    claim = Claim.objects.get(summary="Pledge a")
    record(claim, "broken", 80, 210, factories.EditorFactory())  # backdated into the past, recorded later
    assert counts_as_of(100) == before


def test_the_latest_date_agrees_with_the_stored_current_status(timeline):
    as_of_now = dict(
        Claim.objects.published().with_status_as_of(timezone.localdate()).values_list("pk", "status_as_of_id")
    )
    stored = dict(Claim.objects.published().values_list("pk", "current_status_id"))
    assert as_of_now == stored


def test_claims_not_yet_made_or_published_are_left_out(timeline):
    assert Claim.objects.published().with_status_as_of(day(159)).filter(summary="A later pledge").count() == 0
    assert Claim.objects.published().with_status_as_of(day(160)).filter(summary="A later pledge").count() == 1
