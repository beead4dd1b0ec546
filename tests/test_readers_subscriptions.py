"""Readers' email alerts through the pages: subscribing with double opt-in (the form's refusals, the
confirmation link that only a POST confirms, expired and altered links, the per-address daily
limit), RFC 8058 one-click unsubscribe, the manage page and the request for a manage link."""

from __future__ import annotations

import datetime
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from readers import alerts, guards, tokens
from readers.models import AlertFrequency, AlertScope, EmailPurpose, OutgoingEmail, Subscription
from tests import factories
from tests.factories import rate

pytestmark = pytest.mark.django_db

SITE = "https://claims.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.CLAIMTRACKER_SITE_URL = f"{SITE}/"
    settings.READERS_FORM_MIN_SECONDS = 3
    settings.READERS_CONFIRMATION_HOURS = 48
    settings.READERS_EMAILS_PER_ADDRESS_PER_DAY = 3
    settings.READERS_SUBSCRIPTIONS_PER_HOUR = 20
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = False


@pytest.fixture
def claim():
    person = factories.PersonFactory(name="Ada Mayor", slug="ada-mayor")
    return factories.ClaimFactory(claimant=person, slug="homes", summary="Build 10,000 homes")


def form_data(email: str, follow: str, frequency: str = "instant", **extra: str) -> dict[str, str]:
    """What the subscribe form sends, opened ten seconds ago by a person."""
    return {
        "email": email,
        "follow": follow,
        "frequency": frequency,
        "website": "",
        "started": guards.form_stamp(now=time.time() - 10),
        **extra,
    }


def subscribe(client: Client, email: str, follow: str, *, query: str = "", **extra: str):
    return client.post(reverse("readers:subscribe") + query, form_data(email, follow, **extra))


def emails_to(address: str, purpose: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(to=address, purpose=purpose).order_by("pk"))


def link_in(text: str, name: str) -> str:
    """The path of the one /alerts/<name>/<token>/ link in an email's text, on the site's address."""
    found = re.findall(rf"{re.escape(SITE)}(/alerts/{name}/[^/\s]+/)", text)
    assert len(found) == 1, text
    return found[0]


def page(response) -> str:
    return response.content.decode()


# Subscribing


def test_subscribing_to_a_claim_creates_an_unconfirmed_subscription_and_queues_one_confirmation_email(client, claim):
    response = subscribe(client, "Reader@Example.ORG", "claim:homes", query="?claim=homes", frequency="daily")

    assert response.status_code == 302
    assert response["Location"] == reverse("readers:subscribe-sent")
    subscription = Subscription.objects.get()
    assert subscription.email == "reader@example.org"
    assert subscription.scope == AlertScope.CLAIM
    assert subscription.claim == claim
    assert subscription.frequency == AlertFrequency.DAILY
    assert subscription.language == "en"
    assert subscription.confirmed_at is None
    [email] = OutgoingEmail.objects.all()
    assert email.purpose == EmailPurpose.CONFIRMATION
    assert email.to == "reader@example.org"
    assert email.subscription == subscription
    assert "Build 10,000 homes" in email.text
    path = link_in(email.text, "confirm")
    assert f"{SITE}{path}" in email.html
    assert tokens.subscription_to_confirm(path.split("/")[-2]) == subscription
    sent_page = page(client.get(response["Location"]))
    assert "Open the link in it within 48 hours" in sent_page


def test_the_subscribe_page_offers_the_claim_the_person_or_everything(client, claim):
    topic = factories.TopicFactory(name="Housing", slug="housing")

    for_claim = page(client.get(reverse("readers:subscribe") + "?claim=homes"))
    for_person = page(client.get(reverse("readers:subscribe") + "?person=ada-mayor"))
    for_nothing = page(client.get(reverse("readers:subscribe")))

    assert 'value="claim:homes"' in for_claim
    assert "This claim: Build 10,000 homes" in for_claim
    assert 'value="person:ada-mayor"' in for_person
    assert "Claims by Ada Mayor" in for_person
    for shown in (for_claim, for_person, for_nothing):
        assert 'value="everything"' in shown
        assert f'value="topic:{topic.slug}"' in shown
    assert 'value="claim:' not in for_nothing
    assert 'value="person:' not in for_nothing


def test_subscribing_to_a_person_and_to_everything_names_what_is_followed(client, claim):
    assert subscribe(client, "one@example.org", "person:ada-mayor", query="?person=ada-mayor").status_code == 302
    assert subscribe(client, "two@example.org", "everything").status_code == 302

    by_person = Subscription.objects.get(email="one@example.org")
    assert (by_person.scope, by_person.person, by_person.claim) == (AlertScope.PERSON, claim.claimant, None)
    everything = Subscription.objects.get(email="two@example.org")
    assert (everything.scope, everything.person, everything.claim, everything.topic) == (
        AlertScope.EVERYTHING,
        None,
        None,
        None,
    )
    assert "Claims by Ada Mayor" in emails_to("one@example.org", EmailPurpose.CONFIRMATION)[0].text
    assert "Every status change on the tracker" in emails_to("two@example.org", EmailPurpose.CONFIRMATION)[0].text


def test_a_follow_choice_the_page_did_not_offer_is_refused(client, claim):
    response = subscribe(client, "reader@example.org", "claim:homes")  # no ?claim=homes: not a choice

    assert response.status_code == 400
    assert "Select a valid choice. claim:homes is not one of the available choices." in page(response)
    assert not Subscription.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_unconfirmed_subscription_gets_no_alert(client, claim, editor):
    subscribe(client, "waiting@example.org", "everything")
    confirmed = factories.SubscriptionFactory(email="confirmed@example.org")

    rate(claim, "in-the-works", claim.made_on, "A bill was tabled.", by=editor)
    alerts.fan_out()

    assert emails_to("waiting@example.org", EmailPurpose.ALERT) == []
    assert [email.subscription for email in emails_to(confirmed.email, EmailPurpose.ALERT)] == [confirmed]
    assert len(emails_to("waiting@example.org", EmailPurpose.CONFIRMATION)) == 1


def test_a_honeypot_filled_in_is_refused_with_a_message_and_nothing_is_sent(client, claim):
    response = subscribe(client, "reader@example.org", "everything", website="https://spam.example")

    assert response.status_code == 400
    assert "The field “Leave this empty” was filled in" in page(response)
    assert not Subscription.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_form_sent_faster_than_the_minimum_time_is_refused_with_a_message(client, claim):
    data = form_data("reader@example.org", "everything", started=guards.form_stamp(now=time.time() - 1))

    response = client.post(reverse("readers:subscribe"), data)

    assert response.status_code == 400
    assert "The form was sent 1 second after it was opened, faster than a person can fill it in." in page(response)
    assert not Subscription.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_too_many_forms_from_one_client_address_in_an_hour_are_refused_with_429(client, settings, claim):
    settings.READERS_SUBSCRIPTIONS_PER_HOUR = 2
    assert subscribe(client, "one@example.org", "everything").status_code == 302
    assert subscribe(client, "two@example.org", "everything").status_code == 302

    response = subscribe(client, "three@example.org", "everything")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "You have sent 2 forms from this address in the last hour, our limit." in page(response)
    assert not Subscription.objects.filter(email="three@example.org").exists()


# Confirming


def confirmation_path(client: Client, email: str = "reader@example.org", follow: str = "everything") -> str:
    assert subscribe(client, email, follow).status_code == 302
    return link_in(emails_to(email, EmailPurpose.CONFIRMATION)[-1].text, "confirm")


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(client, claim):
    path = confirmation_path(client)

    response = client.get(path)

    assert response.status_code == 200
    assert '<form method="post">' in page(response)
    assert "Confirm my alerts" in page(response)
    assert Subscription.objects.get().confirmed_at is None


def test_the_button_confirms_and_a_second_press_changes_nothing(client, claim):
    path = confirmation_path(client)

    first = client.post(path)

    assert first.status_code == 200
    assert "Your alerts are on" in page(first)
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    manage_path = reverse("readers:manage", args=[tokens.manage_token([subscription])])
    assert client.get(manage_path).status_code == 200

    second = client.post(path)

    assert second.status_code == 200
    assert "Your alerts are on" in page(second)
    assert Subscription.objects.get().confirmed_at == subscription.confirmed_at
    assert Subscription.objects.count() == 1


def shifted_clock(monkeypatch, seconds: float) -> None:
    """Every later reading of the clock by django.core.signing is ``seconds`` from now."""
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() + seconds)


def test_a_confirmation_link_still_works_just_before_it_expires(client, monkeypatch, claim):
    path = confirmation_path(client)
    shifted_clock(monkeypatch, 47 * 3600)

    response = client.post(path)

    assert response.status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_an_expired_confirmation_link_answers_410_with_a_message_and_confirms_nothing(client, monkeypatch, claim):
    path = confirmation_path(client)
    shifted_clock(monkeypatch, 48 * 3600 + 5)

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert "This link has expired" in page(response)
        assert "Confirmation links work for 48 hours. Please subscribe again to get a new one." in page(response)
    assert Subscription.objects.get().confirmed_at is None


def test_an_altered_confirmation_link_answers_404_with_a_message(client, claim):
    path = confirmation_path(client)
    token = path.split("/")[-2]
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    subscription = Subscription.objects.get()
    # A valid link of another kind is no confirmation link either.
    unsubscribe_token = tokens.unsubscribe_token([subscription])

    for bad in (altered, unsubscribe_token, "not-a-token"):
        response = client.post(reverse("readers:confirm", args=[bad]))
        assert response.status_code == 404
        assert "This link does not work" in page(response)
        assert "The link is incomplete or was altered." in page(response)
    assert Subscription.objects.get().confirmed_at is None


def test_a_confirmation_link_for_a_deleted_subscription_answers_410(client, claim):
    path = confirmation_path(client)
    Subscription.objects.all().delete()

    response = client.post(path)

    assert response.status_code == 410
    assert "This subscription is no longer here" in page(response)


def test_asking_again_for_a_confirmed_subscription_sends_a_manage_link_and_changes_nothing(client, claim):
    confirmed = factories.SubscriptionFactory(email="reader@example.org", scope=AlertScope.CLAIM, claim=claim)

    response = subscribe(client, "READER@example.org", "claim:homes", query="?claim=homes", frequency="weekly")

    assert response.status_code == 302
    [subscription] = Subscription.objects.all()
    assert subscription.pk == confirmed.pk
    assert subscription.frequency == AlertFrequency.INSTANT
    assert subscription.confirmed_at == confirmed.confirmed_at
    assert emails_to("reader@example.org", EmailPurpose.CONFIRMATION) == []
    [manage_email] = emails_to("reader@example.org", EmailPurpose.MANAGE_LINK)
    manage = client.get(link_in(manage_email.text, "manage"))
    assert manage.status_code == 200
    assert "Build 10,000 homes" in page(manage)


def test_asking_again_before_confirming_sends_a_new_link_with_the_latest_choices(client, claim):
    subscribe(client, "reader@example.org", "everything", frequency="instant")
    subscribe(client, "reader@example.org", "everything", frequency="weekly")

    [subscription] = Subscription.objects.all()
    assert subscription.frequency == AlertFrequency.WEEKLY
    assert subscription.confirmed_at is None
    assert len(emails_to("reader@example.org", EmailPurpose.CONFIRMATION)) == 2


def test_an_address_gets_at_most_the_daily_number_of_confirmation_and_manage_emails(client, settings, claim):
    settings.READERS_EMAILS_PER_ADDRESS_PER_DAY = 2
    factories.TopicFactory(name="Housing", slug="housing")
    assert subscribe(client, "reader@example.org", "everything").status_code == 302
    assert subscribe(client, "reader@example.org", "topic:housing").status_code == 302

    response = subscribe(client, "Reader@Example.org", "claim:homes", query="?claim=homes")

    assert response.status_code == 429
    assert "We have already sent several emails to this address today." in page(response)
    assert Subscription.objects.count() == 2
    assert not Subscription.objects.filter(scope=AlertScope.CLAIM).exists()
    assert OutgoingEmail.objects.count() == 2


def test_the_daily_limit_counts_only_the_last_24_hours(client, settings, claim):
    settings.READERS_EMAILS_PER_ADDRESS_PER_DAY = 1
    assert subscribe(client, "reader@example.org", "everything").status_code == 302
    assert subscribe(client, "reader@example.org", "claim:homes", query="?claim=homes").status_code == 429
    OutgoingEmail.objects.update(created_at=OutgoingEmail.objects.get().created_at - datetime.timedelta(hours=25))

    assert subscribe(client, "reader@example.org", "claim:homes", query="?claim=homes").status_code == 302
    assert Subscription.objects.filter(scope=AlertScope.CLAIM, claim=claim).exists()


# Unsubscribing


def alert_for(subscription_email: str, claim, editor) -> OutgoingEmail:
    rate(claim, "in-the-works", claim.made_on, "A bill was tabled.", by=editor)
    alerts.fan_out()
    [email] = emails_to(subscription_email, EmailPurpose.ALERT)
    return email


def unsubscribe_link(email: OutgoingEmail) -> str:
    header = email.headers["List-Unsubscribe"]
    assert header.startswith("<")
    assert header.endswith(">")
    url = header[1:-1]
    assert url.startswith(f"{SITE}/alerts/unsubscribe/")
    return url


def test_an_alert_carries_the_one_click_unsubscribe_headers(claim, editor):
    factories.SubscriptionFactory(email="reader@example.org")

    email = alert_for("reader@example.org", claim, editor)

    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.headers["List-Unsubscribe"].startswith(f"<{SITE}/alerts/unsubscribe/")
    # The email's own footer links to the same kind of page (for mail programs without the button).
    footer_link = link_in(email.text, "unsubscribe")
    assert tokens.subscriptions_to_end(footer_link.split("/")[-2]) == list(Subscription.objects.all())
    assert tokens.subscriptions_to_end(urlsplit(unsubscribe_link(email)).path.split("/")[-2]) == list(
        Subscription.objects.all()
    )


def test_the_one_click_post_of_the_header_link_unsubscribes_without_a_csrf_token(claim, editor):
    subscription = factories.SubscriptionFactory(email="reader@example.org")
    other = factories.SubscriptionFactory(email="someone-else@example.org")
    url = unsubscribe_link(alert_for("reader@example.org", claim, editor))

    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in page(response)
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert Subscription.objects.filter(pk=other.pk).exists()
    rate(claim, "stalled", claim.made_on, "The bill stalled.", by=editor)
    alerts.fan_out()
    assert len(emails_to("reader@example.org", EmailPurpose.ALERT)) == 1
    assert len(emails_to(other.email, EmailPurpose.ALERT)) == 2


def test_the_one_click_link_of_an_alert_ends_every_subscription_it_was_sent_for(claim, editor):
    everything = factories.SubscriptionFactory(email="reader@example.org")
    this_claim = factories.SubscriptionFactory(email="reader@example.org", scope=AlertScope.CLAIM, claim=claim)
    other_claim = factories.SubscriptionFactory(
        email="reader@example.org", scope=AlertScope.CLAIM, claim=factories.ClaimFactory()
    )
    url = unsubscribe_link(alert_for("reader@example.org", claim, editor))

    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    remaining = set(Subscription.objects.values_list("pk", flat=True))
    assert everything.pk not in remaining
    assert this_claim.pk not in remaining
    assert other_claim.pk in remaining


def test_opening_the_unsubscribe_link_shows_a_button_and_deletes_nothing(client, claim, editor):
    subscription = factories.SubscriptionFactory(email="reader@example.org")
    url = unsubscribe_link(alert_for("reader@example.org", claim, editor))

    response = client.get(urlsplit(url).path)

    assert response.status_code == 200
    assert "Stop these email alerts:" in page(response)
    assert "Every status change on the tracker" in page(response)
    assert '<form method="post">' in page(response)
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_altered_unsubscribe_link_answers_404_and_deletes_nothing(claim):
    subscription = factories.SubscriptionFactory(email="reader@example.org")
    token = tokens.unsubscribe_token([subscription])

    response = Client(enforce_csrf_checks=True).post(
        reverse("readers:unsubscribe", args=[token[:-2] + "xx"]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 404
    assert "The link is incomplete or was altered." in page(response)
    assert Subscription.objects.filter(pk=subscription.pk).exists()


# Managing


@pytest.fixture
def three_subscriptions(claim):
    topic = factories.TopicFactory(name="Housing", slug="housing")
    return [
        factories.SubscriptionFactory(email="reader@example.org"),
        factories.SubscriptionFactory(email="reader@example.org", scope=AlertScope.CLAIM, claim=claim),
        factories.SubscriptionFactory(
            email="reader@example.org", scope=AlertScope.TOPIC, topic=topic, frequency=AlertFrequency.WEEKLY
        ),
    ]


def manage_path(subscriptions) -> str:
    return reverse("readers:manage", args=[tokens.manage_token(subscriptions)])


def test_the_manage_page_lists_the_address_subscriptions_and_no_one_else(client, three_subscriptions):
    someone_else = factories.SubscriptionFactory(
        email="other@example.org", scope=AlertScope.CLAIM, claim=factories.ClaimFactory(summary="Lower taxes")
    )

    response = client.get(manage_path(three_subscriptions[:1]))

    assert response.status_code == 200
    shown = page(response)
    assert "Every status change on the tracker" in shown
    assert "Build 10,000 homes" in shown
    assert "Topic: Housing" in shown
    assert "Lower taxes" not in shown
    assert f'value="{someone_else.pk}"' not in shown
    assert response["X-Robots-Tag"] == "noindex"


def test_the_manage_page_changes_how_often_one_subscription_comes(client, three_subscriptions):
    everything, claim_subscription, _topic = three_subscriptions

    response = client.post(
        manage_path(three_subscriptions),
        {"action": "frequency", "subscription": claim_subscription.pk, "frequency": "daily"},
    )

    assert response.status_code == 200
    assert "Saved: Build 10,000 homes, daily digest." in page(response)
    claim_subscription.refresh_from_db()
    everything.refresh_from_db()
    assert claim_subscription.frequency == AlertFrequency.DAILY
    assert everything.frequency == AlertFrequency.INSTANT


def test_the_manage_page_unsubscribes_from_one_subscription(client, three_subscriptions):
    everything, claim_subscription, topic_subscription = three_subscriptions

    response = client.post(manage_path(three_subscriptions), {"action": "end", "subscription": claim_subscription.pk})

    assert response.status_code == 200
    assert "Unsubscribed. You will get no more emails about that." in page(response)
    assert "Build 10,000 homes" not in page(response)
    assert set(Subscription.objects.values_list("pk", flat=True)) == {everything.pk, topic_subscription.pk}


def test_unsubscribing_from_the_last_one_on_the_manage_page_says_so(client, claim):
    only = factories.SubscriptionFactory(email="reader@example.org")

    response = client.post(manage_path([only]), {"action": "end", "subscription": only.pk})

    assert response.status_code == 200
    assert "You are unsubscribed" in page(response)
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="no action"),
        pytest.param({"action": "end"}, id="no subscription"),
        pytest.param({"action": "frequency", "frequency": "daily"}, id="frequency without a subscription"),
        pytest.param({"action": "frequency", "subscription": "CLAIM"}, id="frequency without a frequency"),
        pytest.param({"action": "frequency", "subscription": "CLAIM", "frequency": "hourly"}, id="unknown frequency"),
        pytest.param({"action": "teleport", "subscription": "CLAIM"}, id="unknown action"),
    ],
)
def test_an_incomplete_post_on_the_manage_page_answers_400_with_a_message_and_changes_nothing(
    client, three_subscriptions, data
):
    claim_subscription = three_subscriptions[1]
    data = {key: str(claim_subscription.pk) if value == "CLAIM" else value for key, value in data.items()}

    response = client.post(manage_path(three_subscriptions), data)

    assert response.status_code == 400
    assert "That did not work: the form was incomplete. Please try again." in page(response)
    assert Subscription.objects.count() == 3
    assert set(Subscription.objects.values_list("frequency", flat=True)) == {"instant", "weekly"}


def test_the_manage_page_cannot_touch_another_address_subscription(client, three_subscriptions):
    someone_else = factories.SubscriptionFactory(email="other@example.org")

    for action in ("end", "frequency"):
        response = client.post(
            manage_path(three_subscriptions),
            {"action": action, "subscription": someone_else.pk, "frequency": "weekly"},
        )
        assert response.status_code == 400
    someone_else.refresh_from_db()
    assert someone_else.frequency == AlertFrequency.INSTANT


def test_a_manage_link_whose_subscriptions_are_all_gone_redirects_to_ask_for_a_new_one(client, three_subscriptions):
    path = manage_path(three_subscriptions[:2])
    Subscription.objects.filter(pk__in=[s.pk for s in three_subscriptions[:2]]).delete()

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("readers:manage-link") + "?expired=1"
    assert "That link no longer opens any subscription." in page(client.get(response["Location"]))


def test_an_altered_manage_link_answers_404_with_a_message(client, three_subscriptions):
    token = tokens.manage_token(three_subscriptions)

    response = client.get(reverse("readers:manage", args=[token[:-2] + "zz"]))

    assert response.status_code == 404
    assert "The link is incomplete or was altered." in page(response)


# Asking for a manage link


def ask_for_manage_link(client: Client, email: str):
    return client.post(
        reverse("readers:manage-link"),
        {"email": email, "website": "", "started": guards.form_stamp(now=time.time() - 10)},
    )


def test_asking_for_a_manage_link_answers_the_same_whether_or_not_the_address_subscribes(client, claim):
    factories.SubscriptionFactory(email="reader@example.org")
    factories.UnconfirmedSubscriptionFactory(email="unconfirmed@example.org")

    subscriber = ask_for_manage_link(client, "Reader@Example.org")
    stranger = ask_for_manage_link(client, "stranger@example.org")
    unconfirmed = ask_for_manage_link(client, "unconfirmed@example.org")

    assert subscriber.status_code == stranger.status_code == unconfirmed.status_code == 200
    assert page(subscriber) == page(stranger) == page(unconfirmed)
    assert "If this address has email alerts with us, we have sent it a link to manage them." in page(subscriber)
    [email] = OutgoingEmail.objects.all()
    assert (email.purpose, email.to) == (EmailPurpose.MANAGE_LINK, "reader@example.org")
    manage = client.get(link_in(email.text, "manage"))
    assert manage.status_code == 200
    assert "Every status change on the tracker" in page(manage)


def test_the_manage_link_form_refuses_a_filled_in_honeypot(client, claim):
    factories.SubscriptionFactory(email="reader@example.org")

    response = client.post(
        reverse("readers:manage-link"),
        {"email": "reader@example.org", "website": "x", "started": guards.form_stamp(now=time.time() - 10)},
    )

    assert response.status_code == 400
    assert "The field “Leave this empty” was filled in" in page(response)
    assert not OutgoingEmail.objects.exists()


# Query counts


def test_the_subscribe_page_query_count_is_pinned(client, claim, django_assert_num_queries):
    for slug in ("housing", "transport", "health"):
        factories.TopicFactory(slug=slug, name=slug.title())

    # The topics for the radio choices; nothing else (no session: the reader has no cookie).
    with django_assert_num_queries(1):
        response = client.get(reverse("readers:subscribe"))
    assert response.status_code == 200
    assert page(response).count('value="topic:') == 3

    # The published claim (with its claimant) named in ?claim=, then the topics.
    with django_assert_num_queries(2):
        response = client.get(reverse("readers:subscribe") + "?claim=homes")
    assert response.status_code == 200
    assert 'value="claim:homes"' in page(response)


def test_the_manage_page_query_count_is_pinned(client, three_subscriptions, django_assert_num_queries):
    path = manage_path(three_subscriptions)

    # The link's subscriptions (to check the address), then the address's subscriptions with
    # what each follows joined in.
    with django_assert_num_queries(2):
        response = client.get(path)
    assert response.status_code == 200
    assert page(response).count('name="action" value="end"') == 3
