"""Daily and weekly digests: changes wait as pending alerts, and from the digest hour in the newsroom's
time zone (on Mondays for weekly ones) one digest per address and period lists them; a period's
digest goes once, later changes wait for the next one, removed updates are left out, and a switch
to instant alerts sends what was waiting. Every moment is a hand-chosen time in Kyiv."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from claims import services
from readers import alerts, tokens
from readers.models import AlertFrequency, AlertScope, EmailPurpose, OutgoingEmail, PendingAlert
from tests import factories
from tests.factories import rate

pytestmark = pytest.mark.django_db

SITE = "https://claims.example"
KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")  # UTC+2 in winter
UTC = datetime.UTC

# Monday 30 November 2026 starts ISO week 49; Monday 7 December starts week 50.
SUN_NOV_29 = datetime.date(2026, 11, 29)
MON_NOV_30 = datetime.date(2026, 11, 30)
TUE_DEC_1 = datetime.date(2026, 12, 1)
WED_DEC_2 = datetime.date(2026, 12, 2)
THU_DEC_3 = datetime.date(2026, 12, 3)
SUN_DEC_6 = datetime.date(2026, 12, 6)
MON_DEC_7 = datetime.date(2026, 12, 7)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in the newsroom's time zone."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=KYIV)


@pytest.fixture(autouse=True)
def _newsroom(settings):
    settings.CLAIMTRACKER_SITE_URL = f"{SITE}/"
    settings.CLAIMTRACKER_NEWSROOM_TIME_ZONE = "Europe/Kyiv"
    settings.READERS_DIGEST_HOUR = 7
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = False


@pytest.fixture
def claims():
    return [factories.ClaimFactory(summary=f"Claim {letter}", slug=f"claim-{letter.lower()}") for letter in "ABC"]


def change(claim, editor):
    return rate(claim, "in-the-works", claim.made_on, f"Work began on {claim.summary}.", by=editor)


def fan_out_at(moment: datetime.datetime) -> None:
    """The worker's fan-out, as if it ran at ``moment``: the alerts it leaves waiting are dated then."""
    before = set(PendingAlert.objects.values_list("pk", flat=True))
    alerts.fan_out()
    PendingAlert.objects.exclude(pk__in=before).update(created_at=moment)


def digests_to(address: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(to=address, purpose=EmailPurpose.DIGEST).order_by("pk"))


def daily(email: str = "reader@example.org", **kwargs):
    return factories.SubscriptionFactory(email=email, frequency=AlertFrequency.DAILY, **kwargs)


def weekly(email: str = "reader@example.org", **kwargs):
    return factories.SubscriptionFactory(email=email, frequency=AlertFrequency.WEEKLY, **kwargs)


# The period a digest covers


@pytest.mark.parametrize(
    ("frequency", "now", "period"),
    [
        pytest.param("daily", at(TUE_DEC_1, 6, 59), None, id="daily, a minute before the hour"),
        pytest.param("daily", at(TUE_DEC_1, 7), "daily:2026-12-01", id="daily, at the hour"),
        pytest.param("daily", datetime.datetime(2026, 12, 1, 5, 0, tzinfo=UTC), "daily:2026-12-01", id="05:00 UTC"),
        pytest.param("daily", datetime.datetime(2026, 11, 30, 22, 30, tzinfo=UTC), None, id="00:30 next day"),
        pytest.param("daily", datetime.datetime(2026, 11, 30, 21, 30, tzinfo=UTC), "daily:2026-11-30", id="23:30"),
        pytest.param("weekly", at(SUN_NOV_29, 12), "weekly:2026-W48", id="weekly, Sunday of week 48"),
        pytest.param("weekly", at(MON_NOV_30, 6, 59), None, id="weekly, Monday before the hour"),
        pytest.param("weekly", at(MON_NOV_30, 7), "weekly:2026-W49", id="weekly, Monday at the hour"),
        pytest.param("weekly", at(WED_DEC_2, 3), "weekly:2026-W49", id="weekly, Wednesday at any hour"),
        pytest.param("weekly", at(SUN_DEC_6, 23, 59), "weekly:2026-W49", id="weekly, Sunday night"),
        pytest.param("weekly", at(MON_DEC_7, 6, 59), None, id="weekly, next Monday before the hour"),
        pytest.param("weekly", at(MON_DEC_7, 7), "weekly:2026-W50", id="weekly, next Monday"),
        pytest.param("weekly", at(datetime.date(2026, 12, 28), 7), "weekly:2026-W53", id="week 53"),
        pytest.param("weekly", at(datetime.date(2027, 1, 4), 7), "weekly:2027-W01", id="the new year's first week"),
    ],
)
def test_the_digest_period_is_the_newsroom_day_or_iso_week_from_the_digest_hour(frequency, now, period):
    assert alerts.digest_period(frequency, now) == period


# Daily digests


def test_a_daily_subscriber_changes_wait_as_pending_alerts_not_emails(claims, editor):
    subscription = daily()

    updates = [change(claim, editor) for claim in claims[:2]]
    alerts.fan_out()

    assert not OutgoingEmail.objects.exists()
    assert sorted(PendingAlert.objects.values_list("subscription", "change")) == [
        (subscription.pk, update.changes.get().pk) for update in updates
    ]


def test_nothing_is_queued_before_the_digest_hour_in_the_newsroom_time_zone(claims, editor):
    daily()
    change(claims[0], editor)
    fan_out_at(at(MON_NOV_30, 20))

    # 04:59 UTC is 06:59 in Kyiv: not yet.
    assert alerts.send_digests(now=datetime.datetime(2026, 12, 1, 4, 59, tzinfo=UTC)) == 0
    assert not OutgoingEmail.objects.exists()
    assert PendingAlert.objects.count() == 1

    # 05:00 UTC is 07:00 in Kyiv, though it is before 7 in UTC.
    assert alerts.send_digests(now=datetime.datetime(2026, 12, 1, 5, 0, tzinfo=UTC)) == 1
    assert len(digests_to("reader@example.org")) == 1


def test_from_the_digest_hour_one_digest_per_address_lists_every_pending_change(claims, editor):
    everything = daily("reader@example.org")
    daily("other@example.org", scope=AlertScope.CLAIM, claim=claims[0])
    for claim in claims:
        change(claim, editor)
    fan_out_at(at(MON_NOV_30, 20))

    assert alerts.send_digests(now=at(TUE_DEC_1, 7, 5)) == 2

    [digest] = digests_to("reader@example.org")
    assert digest.subject == "Your digest: 3 status changes"
    assert digest.text.startswith("3 status changes since your last digest:")
    for claim in claims:
        assert f"{claim.summary}\n" in digest.text
        assert f"Work began on {claim.summary}." in digest.text
        assert f"{SITE}/claims/{claim.slug}/" in digest.text
        assert f'href="{SITE}/claims/{claim.slug}/"' in digest.html
    assert digest.text.count("New status: In the works") == 3
    assert digest.subscription == everything
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest.headers["List-Unsubscribe"].startswith(f"<{SITE}/alerts/unsubscribe/")
    [other] = digests_to("other@example.org")
    assert other.subject == "Your digest: 1 status change"
    assert "Claim A\n" in other.text
    assert "Claim B" not in other.text
    assert not PendingAlert.objects.exists()
    assert OutgoingEmail.objects.count() == 2


def test_a_second_call_the_same_day_queues_nothing_and_later_changes_go_out_the_next_day(claims, editor):
    daily()
    change(claims[0], editor)
    fan_out_at(at(MON_NOV_30, 20))
    assert alerts.send_digests(now=at(TUE_DEC_1, 7)) == 1

    change(claims[1], editor)
    fan_out_at(at(TUE_DEC_1, 7, 30))
    assert alerts.send_digests(now=at(TUE_DEC_1, 7, 1)) == 0
    assert alerts.send_digests(now=at(TUE_DEC_1, 23, 59)) == 0
    assert alerts.send_digests(now=at(WED_DEC_2, 6, 59)) == 0
    assert len(digests_to("reader@example.org")) == 1
    assert PendingAlert.objects.count() == 1

    assert alerts.send_digests(now=at(WED_DEC_2, 7)) == 1

    first, second = digests_to("reader@example.org")
    assert "Claim A\n" in first.text
    assert "Claim B" not in first.text
    assert second.subject == "Your digest: 1 status change"
    assert "Claim B\n" in second.text
    assert "Claim A" not in second.text
    assert not PendingAlert.objects.exists()


def test_an_address_with_two_daily_subscriptions_gets_one_digest(claims, editor):
    everything = daily()
    one_claim = daily(scope=AlertScope.CLAIM, claim=claims[0])
    change(claims[0], editor)  # followed by both
    change(claims[1], editor)
    fan_out_at(at(MON_NOV_30, 20))
    assert PendingAlert.objects.count() == 3

    assert alerts.send_digests(now=at(TUE_DEC_1, 8)) == 1

    [digest] = digests_to("reader@example.org")
    assert digest.subject == "Your digest: 2 status changes"
    assert digest.text.count("Claim A\n") == 1
    assert digest.text.count("Claim B\n") == 1
    # Its one-click link ends both subscriptions the digest was for.
    token = digest.headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert {s.pk for s in tokens.subscriptions_to_end(token)} == {everything.pk, one_claim.pk}
    assert not PendingAlert.objects.exists()


def test_a_change_whose_update_was_removed_before_the_digest_is_left_out(claims, editor, superuser):
    daily()
    removed = change(claims[0], editor)
    change(claims[1], editor)
    fan_out_at(at(MON_NOV_30, 20))

    services.status_update_remove(update=removed, removed_by=superuser, reason="A court order.")
    fan_out_at(at(MON_NOV_30, 21))
    assert alerts.send_digests(now=at(TUE_DEC_1, 7)) == 1

    [digest] = digests_to("reader@example.org")
    assert digest.subject == "Your digest: 1 status change"
    assert "Claim B\n" in digest.text
    assert "Claim A" not in digest.text
    assert "Claim A" not in digest.html
    assert not PendingAlert.objects.exists()


def test_a_digest_whose_every_update_was_removed_is_not_sent(claims, editor, superuser):
    daily()
    removed = change(claims[0], editor)
    fan_out_at(at(MON_NOV_30, 20))
    services.status_update_remove(update=removed, removed_by=superuser, reason="A court order.")

    assert alerts.send_digests(now=at(TUE_DEC_1, 7)) == 0

    assert not OutgoingEmail.objects.exists()
    assert not PendingAlert.objects.exists()


def test_a_change_after_the_hour_on_a_day_with_nothing_waiting_goes_in_the_next_day_digest(claims, editor):
    daily()
    assert alerts.send_digests(now=at(TUE_DEC_1, 7)) == 0  # nothing waiting at the hour

    change(claims[0], editor)
    fan_out_at(at(TUE_DEC_1, 15))

    assert alerts.send_digests(now=at(TUE_DEC_1, 15, 1)) == 0
    assert alerts.send_digests(now=at(WED_DEC_2, 7)) == 1
    assert len(digests_to("reader@example.org")) == 1


# Weekly digests


def test_weekly_digests_go_on_monday_from_the_digest_hour_once_per_iso_week(claims, editor):
    weekly()
    change(claims[0], editor)
    fan_out_at(at(SUN_NOV_29, 12))

    assert alerts.send_digests(now=at(MON_NOV_30, 6, 59)) == 0
    assert alerts.send_digests(now=at(MON_NOV_30, 7)) == 1

    [first] = digests_to("reader@example.org")
    assert first.subject == "Your weekly digest: 1 status change"
    assert "Claim A\n" in first.text

    change(claims[1], editor)
    change(claims[2], editor)
    fan_out_at(at(MON_NOV_30, 9))
    for now in (at(MON_NOV_30, 9, 1), at(TUE_DEC_1, 7), at(THU_DEC_3, 12), at(SUN_DEC_6, 23, 59), at(MON_DEC_7, 6, 59)):
        alerts.send_digests(now=now)
        assert len(digests_to("reader@example.org")) == 1, now
    assert PendingAlert.objects.filter(subscription__email="reader@example.org").count() == 2

    alerts.send_digests(now=at(MON_DEC_7, 7))

    first, second = digests_to("reader@example.org")
    assert second.subject == "Your weekly digest: 2 status changes"
    assert "Claim B\n" in second.text
    assert "Claim C\n" in second.text
    assert "Claim A" not in second.text
    assert not PendingAlert.objects.filter(subscription__email="reader@example.org").exists()


def test_a_weekly_digest_missed_on_monday_goes_later_that_week_and_only_once(claims, editor):
    weekly()
    change(claims[0], editor)
    fan_out_at(at(SUN_NOV_29, 12))
    # No worker ran on Monday.

    assert alerts.send_digests(now=at(WED_DEC_2, 3)) == 1
    [missed] = digests_to("reader@example.org")
    assert missed.subject == "Your weekly digest: 1 status change"

    change(claims[1], editor)
    fan_out_at(at(WED_DEC_2, 4))
    assert alerts.send_digests(now=at(THU_DEC_3, 8)) == 0
    assert alerts.send_digests(now=at(MON_DEC_7, 7)) == 1
    assert "Claim B\n" in digests_to("reader@example.org")[1].text


def test_a_weekly_subscriber_first_change_in_a_quiet_week_waits_for_next_monday(claims, editor):
    weekly()
    assert alerts.send_digests(now=at(MON_NOV_30, 7)) == 0  # nothing waiting on Monday

    change(claims[0], editor)
    fan_out_at(at(WED_DEC_2, 10))

    assert alerts.send_digests(now=at(WED_DEC_2, 10, 1)) == 0
    assert alerts.send_digests(now=at(SUN_DEC_6, 23)) == 0
    assert alerts.send_digests(now=at(MON_DEC_7, 7)) == 1
    assert digests_to("reader@example.org")[0].subject == "Your weekly digest: 1 status change"


# Switching to instant alerts


def test_switching_from_daily_to_instant_sends_what_was_pending_at_the_next_call(claims, editor):
    subscription = daily()
    change(claims[0], editor)
    change(claims[1], editor)
    fan_out_at(at(MON_NOV_30, 20))

    alerts.subscription_set_frequency(subscription, AlertFrequency.INSTANT)
    assert alerts.send_digests(now=at(TUE_DEC_1, 3)) == 1  # before the digest hour: no waiting for it

    [digest] = digests_to("reader@example.org")
    assert digest.subject == "Your digest: 2 status changes"
    assert "Claim A\n" in digest.text
    assert "Claim B\n" in digest.text
    assert not PendingAlert.objects.exists()

    change(claims[2], editor)
    alerts.fan_out()
    assert not PendingAlert.objects.exists()
    [alert] = OutgoingEmail.objects.filter(purpose=EmailPurpose.ALERT)
    assert alert.subject == "Now rated In the works: Claim C"
    assert alerts.send_digests(now=at(TUE_DEC_1, 8)) == 0
    assert len(digests_to("reader@example.org")) == 1
