"""Instant email alerts: the worker's fan-out of the claim change log (who gets an alert, for which
changes, once per address and change, what it says, in the reader's language) and the send step
that hands the queued emails to the mail backend."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from claims import services
from claims.models import ChangeKind, ClaimChange, Visibility
from readers import alerts, mail, tokens
from readers.models import AlertCursor, AlertScope, EmailPurpose, EmailState, OutgoingEmail, Subscription
from tests import factories
from tests.factories import rate

pytestmark = pytest.mark.django_db

SITE = "https://claims.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.CLAIMTRACKER_SITE_URL = f"{SITE}/"
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = False


@pytest.fixture
def person():
    return factories.PersonFactory(name="Ada Mayor", slug="ada-mayor")


@pytest.fixture
def topic():
    return factories.TopicFactory(name="Housing", slug="housing")


@pytest.fixture
def plan(person):
    return factories.PlanFactory(claimant=person, slug="city-plan", summary="The city plan")


@pytest.fixture
def claim(person, topic, plan):
    """A component of the plan, by Ada Mayor, under Housing."""
    claim = factories.ClaimFactory(claimant=person, parent=plan, slug="homes", summary="Build 10,000 homes")
    claim.topics.add(topic)
    return claim


def alerts_to(address: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(to=address, purpose=EmailPurpose.ALERT).order_by("pk"))


def in_the_works(claim, editor, **kwargs):
    return rate(claim, "in-the-works", claim.made_on, "A bill was tabled.", by=editor, **kwargs)


def stalled(claim, editor, **kwargs):
    return rate(claim, "stalled", claim.made_on, "The bill stalled in committee.", by=editor, **kwargs)


# Who is alerted


@pytest.mark.parametrize("follows", ["everything", "claim", "person", "topic", "plan"])
def test_an_instant_subscriber_gets_one_alert_per_status_change_of_what_they_follow(
    follows, claim, plan, person, topic, editor
):
    target = {
        "everything": {"scope": AlertScope.EVERYTHING},
        "claim": {"scope": AlertScope.CLAIM, "claim": claim},
        "person": {"scope": AlertScope.PERSON, "person": person},
        "topic": {"scope": AlertScope.TOPIC, "topic": topic},
        "plan": {"scope": AlertScope.CLAIM, "claim": plan},
    }[follows]
    subscription = factories.SubscriptionFactory(email="reader@example.org", **target)
    # Following something else: hears of none of it.
    factories.SubscriptionFactory(email="claim@example.org", scope=AlertScope.CLAIM, claim=factories.ClaimFactory())
    factories.SubscriptionFactory(email="person@example.org", scope=AlertScope.PERSON, person=factories.PersonFactory())
    factories.SubscriptionFactory(email="topic@example.org", scope=AlertScope.TOPIC, topic=factories.TopicFactory())

    in_the_works(claim, editor)
    stalled(claim, editor)
    alerts.fan_out()

    sent = alerts_to("reader@example.org")
    assert [email.subject for email in sent] == [
        "Now rated In the works: Build 10,000 homes",
        "Now rated Stalled: Build 10,000 homes",
    ]
    assert all(email.subscription == subscription for email in sent)
    assert OutgoingEmail.objects.count() == 2


def test_an_address_with_several_matching_subscriptions_gets_one_alert_per_change(claim, person, topic, editor):
    matching = [
        factories.SubscriptionFactory(email="reader@example.org"),
        factories.SubscriptionFactory(email="reader@example.org", scope=AlertScope.CLAIM, claim=claim),
        factories.SubscriptionFactory(email="reader@example.org", scope=AlertScope.PERSON, person=person),
        factories.SubscriptionFactory(email="reader@example.org", scope=AlertScope.TOPIC, topic=topic),
    ]
    elsewhere = factories.SubscriptionFactory(
        email="reader@example.org", scope=AlertScope.CLAIM, claim=factories.ClaimFactory()
    )

    in_the_works(claim, editor)
    alerts.fan_out()

    [email] = alerts_to("reader@example.org")
    # Its one-click link ends the subscriptions that brought it, not the one about another claim.
    token = email.headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert {s.pk for s in tokens.subscriptions_to_end(token)} == {s.pk for s in matching}
    assert elsewhere.pk not in {s.pk for s in tokens.subscriptions_to_end(token)}


def test_a_change_recorded_before_the_subscription_was_confirmed_is_not_alerted(claim, editor):
    subscription = factories.UnconfirmedSubscriptionFactory(email="reader@example.org")
    in_the_works(claim, editor)
    alerts.subscription_confirm(subscription)  # after the change, before the worker read it

    alerts.fan_out()
    assert alerts_to("reader@example.org") == []

    stalled(claim, editor)
    alerts.fan_out()
    assert [email.subject for email in alerts_to("reader@example.org")] == ["Now rated Stalled: Build 10,000 homes"]


def test_a_backdated_change_from_before_the_confirmation_is_not_alerted(claim, editor):
    factories.SubscriptionFactory(
        email="reader@example.org", confirmed_at=timezone.now() - datetime.timedelta(minutes=30)
    )

    in_the_works(claim, editor, recorded_at=timezone.now() - datetime.timedelta(hours=2))
    stalled(claim, editor)
    alerts.fan_out()

    assert [email.subject for email in alerts_to("reader@example.org")] == ["Now rated Stalled: Build 10,000 homes"]


def test_an_unconfirmed_subscription_gets_nothing(claim, editor):
    factories.UnconfirmedSubscriptionFactory(email="reader@example.org")

    in_the_works(claim, editor)
    alerts.fan_out()

    assert alerts_to("reader@example.org") == []
    assert ClaimChange.objects.filter(kind=ChangeKind.STATUS_RECORDED).count() == 1


def test_status_changes_of_a_draft_claim_are_not_alerted(claim, editor):
    factories.SubscriptionFactory(email="reader@example.org")
    draft = factories.DraftClaimFactory(summary="A draft claim")

    in_the_works(draft, editor)
    in_the_works(claim, editor)
    alerts.fan_out()

    assert ClaimChange.objects.filter(claim=draft, kind=ChangeKind.STATUS_RECORDED).exists()
    assert [email.subject for email in alerts_to("reader@example.org")] == [
        "Now rated In the works: Build 10,000 homes"
    ]


def test_claim_edits_publications_and_removals_are_not_alerted(claim, topic, editor, superuser):
    factories.SubscriptionFactory(email="reader@example.org")
    update = in_the_works(claim, editor)
    alerts.fan_out()
    assert len(alerts_to("reader@example.org")) == 1
    alerted = AlertCursor.objects.get().last_change_id

    claim.summary = "Build 12,000 homes"
    services.claim_save(claim=claim, saved_by=editor)
    services.claim_set_topics(claim=claim, topics=[topic, factories.TopicFactory()], changed_by=editor)
    draft = factories.DraftClaimFactory()
    services.claim_set_visibility(claim=draft, visibility=Visibility.PUBLISHED, changed_by=editor)
    services.status_update_remove(update=update, removed_by=superuser, reason="A court order.")
    read = alerts.fan_out()

    later = ClaimChange.objects.filter(pk__gt=alerted)
    assert {ChangeKind.EDITED, ChangeKind.PUBLISHED, ChangeKind.STATUS_REMOVED} <= set(
        later.values_list("kind", flat=True)
    )
    assert read == later.count()
    assert len(alerts_to("reader@example.org")) == 1


def test_a_verdict_awaiting_approval_is_alerted_only_once_approved(settings, claim, editor):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True
    factories.SubscriptionFactory(email="reader@example.org")

    update = stalled(claim, editor)
    alerts.fan_out()
    assert update.published_at is None
    assert alerts_to("reader@example.org") == []

    services.status_update_approve(update=update, approved_by=factories.EditorFactory())
    alerts.fan_out()
    assert [email.subject for email in alerts_to("reader@example.org")] == ["Now rated Stalled: Build 10,000 homes"]


def test_a_draft_update_is_alerted_only_once_published(claim, editor):
    factories.SubscriptionFactory(email="reader@example.org")

    update = stalled(claim, editor, publish=False)
    alerts.fan_out()
    assert alerts_to("reader@example.org") == []

    services.status_update_publish(update=update, published_by=editor)
    alerts.fan_out()
    assert [email.subject for email in alerts_to("reader@example.org")] == ["Now rated Stalled: Build 10,000 homes"]


def test_a_correction_is_alerted_as_a_correction(claim, editor):
    factories.SubscriptionFactory(email="reader@example.org")
    wrong = stalled(claim, editor)
    alerts.fan_out()

    in_the_works(claim, editor, corrects=wrong)
    alerts.fan_out()

    first, correction = alerts_to("reader@example.org")
    assert first.subject == "Now rated Stalled: Build 10,000 homes"
    assert correction.subject == "Correction, now rated In the works: Build 10,000 homes"
    assert correction.text.startswith("Correction: Build 10,000 homes\n")
    assert "Correction: <a href=" in correction.html
    assert not first.text.startswith("Correction")


# What an alert says


def test_an_alert_has_a_text_and_an_html_part_with_the_status_rationale_evidence_and_claim_link(claim, editor):
    factories.SubscriptionFactory(email="reader@example.org")
    evidence = [
        factories.SourceFactory(url="https://news.example/bill-7", title="Bill 7 tabled"),
        factories.SourceFactory(url="https://gov.example/budget", title="The budget"),
    ]

    rate(claim, "in-the-works", claim.made_on, "Bill 7 & the budget fund it.", by=editor, evidence=evidence)
    alerts.fan_out()

    [email] = alerts_to("reader@example.org")
    claim_url = f"{SITE}/claims/homes/"
    assert "New status: In the works" in email.text
    assert "Claim by Ada Mayor" in email.text
    assert "Bill 7 & the budget fund it." in email.text
    assert "- Bill 7 tabled: https://news.example/bill-7" in email.text
    assert "- The budget: https://gov.example/budget" in email.text
    assert f"The claim and its timeline: {claim_url}" in email.text
    assert "In the works</strong>" in email.html
    assert "Bill 7 &amp; the budget fund it." in email.html
    assert '<a href="https://news.example/bill-7">Bill 7 tabled</a>' in email.html
    assert '<a href="https://gov.example/budget">The budget</a>' in email.html
    assert f'<a href="{claim_url}"' in email.html
    assert email.html.lstrip().startswith("<!doctype html>")
    assert f"{SITE}/alerts/manage/" in email.text
    assert f"{SITE}/alerts/unsubscribe/" in email.text


def test_a_subscriber_in_ukrainian_gets_the_ukrainian_claim_address_status_and_rationale(claim, editor):
    factories.SubscriptionFactory(email="reader@example.org", language="uk")
    factories.SubscriptionFactory(email="english@example.org", language="en")

    in_the_works(claim, editor, rationale_translations={"uk": "Законопроєкт внесено."})
    alerts.fan_out()

    [ukrainian] = alerts_to("reader@example.org")
    assert f"{SITE}/uk/claims/homes/" in ukrainian.text
    assert f'href="{SITE}/uk/claims/homes/"' in ukrainian.html
    assert f"{SITE}/claims/homes/" not in ukrainian.text
    assert "У роботі" in ukrainian.subject
    assert "У роботі" in ukrainian.text
    assert "Законопроєкт внесено." in ukrainian.text
    assert ukrainian.headers["List-Unsubscribe"].startswith(f"<{SITE}/uk/alerts/unsubscribe/")
    assert '<html lang="uk">' in ukrainian.html
    [english] = alerts_to("english@example.org")
    assert f"{SITE}/claims/homes/" in english.text
    assert "A bill was tabled." in english.text
    assert "In the works" in english.subject


# Exactly once


def test_running_the_fan_out_again_sends_nothing_twice(claim, editor):
    factories.SubscriptionFactory(email="reader@example.org")
    in_the_works(claim, editor)
    stalled(claim, editor)

    assert alerts.fan_out() == 2
    assert alerts.fan_out() == 0

    assert len(alerts_to("reader@example.org")) == 2
    assert AlertCursor.objects.get().last_change_id == ClaimChange.objects.order_by("pk").last().pk


def test_a_fan_out_in_batches_of_one_queues_the_same_emails(editor):
    factories.SubscriptionFactory(email="all@example.org")
    first = factories.ClaimFactory(summary="Claim A")
    factories.SubscriptionFactory(email="one@example.org", scope=AlertScope.CLAIM, claim=first)
    for claim in (first, factories.ClaimFactory(summary="Claim B"), factories.ClaimFactory(summary="Claim C")):
        in_the_works(claim, editor)

    read = [alerts.fan_out(batch=1) for _ in range(4)]

    assert read == [1, 1, 1, 0]
    assert sorted(OutgoingEmail.objects.values_list("to", "subject")) == [
        ("all@example.org", "Now rated In the works: Claim A"),
        ("all@example.org", "Now rated In the works: Claim B"),
        ("all@example.org", "Now rated In the works: Claim C"),
        ("one@example.org", "Now rated In the works: Claim A"),
    ]


def test_unsubscribing_deletes_the_subscription_and_its_alerts_stop(claim, editor):
    subscription = factories.SubscriptionFactory(email="reader@example.org")
    in_the_works(claim, editor)
    alerts.fan_out()

    assert alerts.subscriptions_end([subscription]) == 1
    stalled(claim, editor)
    alerts.fan_out()

    assert len(OutgoingEmail.objects.filter(to="reader@example.org", purpose=EmailPurpose.ALERT)) == 1
    assert not Subscription.objects.exists()


# Sending


def test_the_send_step_sends_each_alert_with_its_message_id_unsubscribe_headers_and_html_part(claim, editor):
    factories.SubscriptionFactory(email="one@example.org")
    factories.SubscriptionFactory(email="two@example.org", scope=AlertScope.CLAIM, claim=claim)
    in_the_works(claim, editor)
    alerts.fan_out()
    queued = {email.to: email for email in OutgoingEmail.objects.all()}
    assert all(email.state == EmailState.PENDING for email in queued.values())

    assert mail.send_due() == 2

    assert sorted(message.to[0] for message in django_mail.outbox) == ["one@example.org", "two@example.org"]
    for message in django_mail.outbox:
        row = queued[message.to[0]]
        assert message.subject == row.subject == "Now rated In the works: Build 10,000 homes"
        assert message.body == row.text
        assert [tuple(alternative) for alternative in message.alternatives] == [(row.html, "text/html")]
        sent = message.message()
        assert sent["Message-ID"] == row.message_id
        assert sent["List-Unsubscribe"] == row.headers["List-Unsubscribe"]
        assert sent["List-Unsubscribe"].startswith(f"<{SITE}/alerts/unsubscribe/")
        assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        row.refresh_from_db()
        assert row.state == EmailState.SENT
        assert row.sent_at is not None
        assert row.attempts == 1
    assert len({message.message()["Message-ID"] for message in django_mail.outbox}) == 2

    assert mail.send_due() == 0
    assert len(django_mail.outbox) == 2


def test_an_idle_pass_reads_the_cursor_and_the_log_and_locks_or_writes_nothing(django_assert_num_queries):
    alerts.fan_out()  # the cursor row exists from now on

    with django_assert_num_queries(2) as captured:
        assert alerts.fan_out() == 0

    assert not any("FOR UPDATE" in query["sql"] or query["sql"].startswith(("UPDATE", "INSERT")) for query in captured)
