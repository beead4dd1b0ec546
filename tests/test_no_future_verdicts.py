"""No status takes effect after today in the newsroom's time zone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims import services
from claims.dates import newsroom_today
from claims.models import Scale, Status
from tests import factories

pytestmark = pytest.mark.django_db


def record(claim, effective_on: datetime.date, **kwargs):
    return services.claim_record_status(
        claim=claim,
        status=Status.objects.get(scale=Scale.PROMISE, slug="stalled"),
        effective_on=effective_on,
        rationale="Stalled.",
        recorded_by=factories.EditorFactory(),
        evidence=[factories.SourceFactory()],
        **kwargs,
    )


def test_an_update_dated_in_the_future_is_refused_naming_the_date(settings):
    claim = factories.ClaimFactory()
    with pytest.raises(ValidationError) as refused:
        record(claim, datetime.date(2031, 1, 1))
    assert "effective_on" in refused.value.message_dict
    assert "future" in refused.value.message_dict["effective_on"][0]
    claim.refresh_from_db()
    assert claim.current_status.slug == "not-yet-rated"


def test_tomorrow_is_refused_and_today_is_accepted():
    claim = factories.ClaimFactory()
    with pytest.raises(ValidationError):
        record(claim, newsroom_today() + datetime.timedelta(days=1))
    record(claim, newsroom_today())
    claim.refresh_from_db()
    assert claim.current_status.slug == "stalled"


def test_today_is_the_newsrooms_day_not_the_servers(settings, monkeypatch):
    # 22:30 UTC on 1 March is already 2 March in Kyiv.
    late_evening_utc = datetime.datetime(2025, 3, 1, 22, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)
    settings.CLAIMTRACKER_NEWSROOM_TIME_ZONE = "Europe/Kyiv"
    assert newsroom_today() == datetime.date(2025, 3, 2)
    settings.CLAIMTRACKER_NEWSROOM_TIME_ZONE = "America/New_York"
    assert newsroom_today() == datetime.date(2025, 3, 1)


def test_a_draft_dated_in_the_future_is_refused_too():
    claim = factories.ClaimFactory()
    with pytest.raises(ValidationError):
        record(claim, newsroom_today() + datetime.timedelta(days=30), publish=False)
