"""Readers' personal data (readers.privacy): the retention rule (names and addresses blanked on tips
resolved longer ago than READERS_RETENTION_DAYS, old sent emails deleted, unconfirmed subscriptions
deleted once their link has expired) and its management command; erasing one reader everywhere, by
address, from the Admins' actions in the admin and from the reader's own manage page; and the
public privacy page, which states the periods the settings give and is linked from every page."""

from __future__ import annotations

import datetime
import html
import io
import itertools
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from claims.models import ClaimChange
from readers import tokens
from readers.models import AlertScope, EmailPurpose, EmailState, OutgoingEmail, PendingAlert, Subscription, Tip
from readers.privacy import Forgotten, apply_retention, reader_erase
from readers.tips import tip_resolve
from tests import factories

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def an_email(
    to: str,
    *,
    state: EmailState = EmailState.PENDING,
    created_at: datetime.datetime | None = None,
    sent_at: datetime.datetime | None = None,
    **fields,
) -> OutgoingEmail:
    number = next(_numbers)
    return OutgoingEmail.objects.create(
        to=to,
        purpose=fields.pop("purpose", EmailPurpose.ALERT),
        subject=f"Email {number}",
        text="Text",
        html="<p>Text</p>",
        message_id=f"<test-{number}@claims.example>",
        dedupe_key=f"test:{number}",
        state=state,
        created_at=created_at or timezone.now(),
        sent_at=sent_at,
        **fields,
    )


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def resolved_tip(days: float, **fields) -> Tip:
    """A tip an editor declined ``days`` ago."""
    return factories.TipFactory(
        state=Tip.State.DECLINED, resolved_at=days_ago(days), received_at=days_ago(days + 1), **fields
    )


def page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def still_there(instance) -> bool:
    return type(instance).objects.filter(pk=instance.pk).exists()


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.READERS_RETENTION_DAYS = 30
    settings.READERS_CONFIRMATION_HOURS = 12


# The retention rule.


def test_retention_blanks_name_and_address_on_tips_resolved_longer_ago_than_the_period():
    old = resolved_tip(31, name="Olena Reader", email="olena@example.org", message="The figure is wrong.")

    forgotten = apply_retention()

    assert forgotten.tips == 1
    old.refresh_from_db()
    assert (old.name, old.email) == ("", "")
    assert old.personal_data_erased_at is not None
    assert timezone.now() - old.personal_data_erased_at < datetime.timedelta(minutes=1)
    # The message stays, as the desk's record of what was reported.
    assert old.message == "The figure is wrong."
    assert old.state == Tip.State.DECLINED


def test_retention_leaves_new_tips_and_recently_resolved_ones_alone():
    waiting = factories.TipFactory(received_at=days_ago(400))
    recent = resolved_tip(29)
    anonymous = resolved_tip(31, name="", email="")

    forgotten = apply_retention()

    assert forgotten.tips == 0
    for tip in (waiting, recent):
        kept = Tip.objects.get(pk=tip.pk)
        assert (kept.name, kept.email) == (tip.name, tip.email)
        assert kept.email
        assert kept.personal_data_erased_at is None
    anonymous.refresh_from_db()
    assert anonymous.personal_data_erased_at is None  # nothing to erase, nothing to record


def test_the_retention_period_comes_from_the_settings(settings):
    tip = resolved_tip(10)
    assert apply_retention().tips == 0

    settings.READERS_RETENTION_DAYS = 7
    assert apply_retention().tips == 1

    tip.refresh_from_db()
    assert tip.email == ""
    assert apply_retention().tips == 0  # already erased: not counted again


def test_retention_deletes_sent_emails_older_than_the_period_and_keeps_recent_and_pending_ones():
    old_sent = an_email("a@example.org", state=EmailState.SENT, created_at=days_ago(32), sent_at=days_ago(31))
    old_failed = an_email("b@example.org", state=EmailState.FAILED, created_at=days_ago(31))
    recent_sent = an_email("c@example.org", state=EmailState.SENT, created_at=days_ago(30), sent_at=days_ago(29))
    old_pending = an_email("d@example.org", state=EmailState.PENDING, created_at=days_ago(100))

    forgotten = apply_retention()

    assert forgotten.emails == 2
    assert not still_there(old_sent)
    assert not still_there(old_failed)
    assert still_there(recent_sent)
    assert still_there(old_pending)  # still to be sent: the worker needs it


def test_retention_deletes_unconfirmed_subscriptions_once_their_link_has_expired_and_keeps_confirmed_ones():
    expired = factories.UnconfirmedSubscriptionFactory(created_at=hours_ago(13))
    pending = factories.UnconfirmedSubscriptionFactory(created_at=hours_ago(11))
    confirmed = factories.SubscriptionFactory(created_at=days_ago(400), confirmed_at=days_ago(399))

    forgotten = apply_retention()

    assert forgotten.subscriptions == 1
    assert not still_there(expired)
    assert still_there(pending)
    assert still_there(confirmed)


def test_the_retention_command_applies_the_rule_and_prints_what_it_did():
    old_tip = resolved_tip(31)
    resolved_tip(1)
    factories.UnconfirmedSubscriptionFactory(created_at=hours_ago(13))
    an_email("a@example.org", state=EmailState.SENT, created_at=days_ago(40), sent_at=days_ago(40))
    an_email("b@example.org", state=EmailState.SENT, created_at=days_ago(40), sent_at=days_ago(40))
    out = io.StringIO()

    call_command("apply_reader_retention", stdout=out)

    assert out.getvalue().strip() == "Anonymised 1 tips, deleted 1 unconfirmed subscriptions and 2 emails."
    old_tip.refresh_from_db()
    assert old_tip.email == ""
    assert not Subscription.objects.unconfirmed().exists()
    assert not OutgoingEmail.objects.exists()

    out = io.StringIO()
    call_command("apply_reader_retention", stdout=out)
    assert out.getvalue().strip() == "Anonymised 0 tips, deleted 0 unconfirmed subscriptions and 0 emails."


# Erasing one reader.


@pytest.fixture
def two_readers(editor):
    """Olena, who wrote twice and subscribes twice, and Petro, who must lose nothing."""
    olena_tips = [
        factories.TipFactory(name="Olena Reader", email="Olena@Example.org", message="First tip."),
        tip_resolve(
            tip=factories.SuggestionFactory(name="O. R.", email="olena@example.org", message="Second tip."),
            state=Tip.State.ACCEPTED,
            resolved_by=editor,
            reply="Thanks.",
        ),
    ]
    olena_subscriptions = [
        factories.SubscriptionFactory(email="olena@example.org"),
        factories.SubscriptionFactory(
            email="olena@example.org", scope=AlertScope.TOPIC, topic=factories.TopicFactory()
        ),
    ]
    olena_emails = [an_email("OLENA@example.org"), an_email("olena@example.org", state=EmailState.FAILED)]
    petro_tip = factories.TipFactory(name="Petro Reader", email="petro@example.org")
    petro_subscription = factories.SubscriptionFactory(email="petro@example.org")
    petro_email = an_email("petro@example.org")
    return {
        "olena_tips": olena_tips,
        "olena_subscriptions": olena_subscriptions,
        # The tip_resolve above queued the outcome email to Olena, too.
        "olena_emails": [*olena_emails, *OutgoingEmail.objects.filter(tip=olena_tips[1])],
        "petro_tip": petro_tip,
        "petro_subscription": petro_subscription,
        "petro_email": petro_email,
    }


def assert_olena_erased_and_petro_kept(readers) -> None:
    for tip in readers["olena_tips"]:
        tip.refresh_from_db()
        assert (tip.name, tip.email) == ("", "")
        assert tip.personal_data_erased_at is not None
    assert [tip.message for tip in readers["olena_tips"]] == ["First tip.", "Second tip."]
    assert not any(still_there(subscription) for subscription in readers["olena_subscriptions"])
    assert not any(still_there(email) for email in readers["olena_emails"])
    assert not OutgoingEmail.objects.filter(to__iexact="olena@example.org").exists()
    petro = Tip.objects.get(pk=readers["petro_tip"].pk)
    assert (petro.name, petro.email, petro.personal_data_erased_at) == ("Petro Reader", "petro@example.org", None)
    assert still_there(readers["petro_subscription"])
    assert still_there(readers["petro_email"])


def a_claim_change() -> ClaimChange:
    """A claim change to hang a waiting digest entry on."""
    factories.record_status(
        claim=factories.ClaimFactory(),
        status=factories.status_on("promise", "kept"),
        effective_on=timezone.localdate(),
        rationale="Done.",
        recorded_by=factories.EditorFactory(),
    )
    return ClaimChange.objects.latest("pk")


def test_erasing_a_reader_blanks_their_tips_and_deletes_their_subscriptions_and_emails(two_readers):
    assert len(two_readers["olena_emails"]) == 3
    pending = PendingAlert.objects.create(subscription=two_readers["olena_subscriptions"][0], change=a_claim_change())

    forgotten = reader_erase(" OLENA@example.ORG ")

    assert forgotten == Forgotten(tips=2, subscriptions=2, emails=3)
    assert_olena_erased_and_petro_kept(two_readers)
    assert not still_there(pending)


def test_erasing_an_address_nobody_used_changes_nothing(two_readers):
    assert not reader_erase("nobody@example.org")
    assert not reader_erase("   ")
    assert Tip.objects.filter(email="").count() == 0
    assert Subscription.objects.count() == 3


def test_an_admin_erases_a_reader_from_a_tip_in_the_queue(admin_client, two_readers):
    tip = two_readers["olena_tips"][0]

    response = admin_client.post(
        reverse("admin:readers_tip_changelist"),
        {"action": "erase_reader_data", "_selected_action": [tip.pk], "index": 0},
        follow=True,
    )

    assert response.status_code == 200
    assert "Erased: names and addresses on 2 tips, 2 subscriptions, 3 emails." in [
        str(message) for message in response.context["messages"]
    ]
    assert_olena_erased_and_petro_kept(two_readers)


def test_an_admin_erases_the_name_on_a_tip_that_left_no_address(admin_client):
    tip = factories.TipFactory(name="Anonymous Andriy", email="")

    response = admin_client.post(
        reverse("admin:readers_tip_changelist"),
        {"action": "erase_reader_data", "_selected_action": [tip.pk], "index": 0},
    )

    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.name == ""
    assert tip.personal_data_erased_at is not None


def test_an_admin_erases_a_reader_from_a_subscription(admin_client, two_readers):
    subscription = two_readers["olena_subscriptions"][1]

    response = admin_client.post(
        reverse("admin:readers_subscription_changelist"),
        {"action": "erase_reader_data", "_selected_action": [subscription.pk], "index": 0},
        follow=True,
    )

    assert response.status_code == 200
    assert "Erased: names and addresses on 2 tips, 2 subscriptions, 3 emails." in [
        str(message) for message in response.context["messages"]
    ]
    assert_olena_erased_and_petro_kept(two_readers)


@pytest.mark.parametrize("changelist", ["admin:readers_tip_changelist", "admin:readers_subscription_changelist"])
def test_the_erase_action_is_offered_to_admins(admin_client, changelist):
    factories.TipFactory()
    factories.SubscriptionFactory()

    response = admin_client.get(reverse(changelist))

    assert response.status_code == 200
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert choices["erase_reader_data"] == "Erase these readers’ personal data everywhere"


def test_the_erase_action_is_not_offered_to_editors_on_the_tips_they_triage(editor_client):
    factories.TipFactory()

    response = editor_client.get(reverse("admin:readers_tip_changelist"))

    assert response.status_code == 200
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert "mark_declined" in choices  # the editor has actions, only not this one
    assert "erase_reader_data" not in choices


def test_editors_do_not_see_subscribers_at_all(editor_client, editor):
    factories.SubscriptionFactory()

    assert not editor.has_perm("readers.erase_reader_data")
    assert editor_client.get(reverse("admin:readers_subscription_changelist")).status_code == 403


def test_an_editor_who_posts_the_erase_action_anyway_erases_nothing(editor_client, two_readers):
    for changelist, reader in (
        ("admin:readers_tip_changelist", "olena_tips"),
        ("admin:readers_subscription_changelist", "olena_subscriptions"),
    ):
        selected = [item.pk for item in two_readers[reader]]
        response = editor_client.post(
            reverse(changelist), {"action": "erase_reader_data", "_selected_action": selected, "index": 0}
        )
        assert response.status_code in (200, 302, 403), changelist

    assert not Tip.objects.filter(personal_data_erased_at__isnull=False).exists()
    assert Tip.objects.filter(email__iexact="olena@example.org").count() == 2
    assert Subscription.objects.count() == 3
    assert OutgoingEmail.objects.filter(to__iexact="olena@example.org").count() == 3


def test_a_reader_erases_their_own_data_from_the_manage_page(client, two_readers):
    subscription = two_readers["olena_subscriptions"][0]
    url = reverse("readers:manage", args=[tokens.manage_token([subscription])])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="action" value="erase"' in page.content.decode()

    response = client.post(url, {"action": "erase"})

    assert response.status_code == 200
    assert "Your data is deleted" in page_text(response)
    assert_olena_erased_and_petro_kept(two_readers)
    # The link opens nothing any more: the address is gone.
    gone = client.get(url)
    assert gone.status_code == 302
    assert gone["Location"] == reverse("readers:manage-link") + "?expired=1"


def test_a_manage_link_of_another_reader_cannot_erase_someone_else(client, two_readers):
    petro_link = reverse("readers:manage", args=[tokens.manage_token([two_readers["petro_subscription"]])])

    response = client.post(petro_link, {"action": "erase"})

    assert response.status_code == 200
    assert not still_there(two_readers["petro_subscription"])
    assert all(still_there(subscription) for subscription in two_readers["olena_subscriptions"])
    for tip in two_readers["olena_tips"]:
        tip.refresh_from_db()
        assert tip.email.lower() == "olena@example.org"


# The privacy page.


def test_the_privacy_page_states_the_periods_from_the_settings(client, settings):
    settings.READERS_RETENTION_DAYS = 90
    settings.READERS_CONFIRMATION_HOURS = 48

    response = client.get(reverse("readers:privacy"))

    assert response.status_code == 200
    text = page_text(response)
    assert "90 days after an editor has dealt with your message, we delete your name and email address" in text
    assert "A subscription that is not confirmed within 48 hours is deleted." in text
    assert "We keep a copy of each email we send you for 90 days" in text


def test_the_privacy_page_changes_when_the_settings_change(client, settings):
    settings.READERS_RETENTION_DAYS = 14
    settings.READERS_CONFIRMATION_HOURS = 6
    first = page_text(client.get(reverse("readers:privacy")))
    assert "14 days after an editor has dealt with your message" in first
    assert "not confirmed within 6 hours is deleted" in first

    settings.READERS_RETENTION_DAYS = 1
    settings.READERS_CONFIRMATION_HOURS = 1
    second = page_text(client.get(reverse("readers:privacy")))

    assert "1 day after an editor has dealt with your message" in second
    assert "not confirmed within 1 hour is deleted" in second
    assert "for 1 day, to answer questions about it" in second
    assert "14 days" not in second
    assert "6 hours" not in second


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_privacy_page_is_linked_from_the_footer_of_the_home_page(client, language):
    with translation.override(language):
        home, privacy = reverse("public:home"), reverse("readers:privacy")

    page = client.get(home)

    assert page.status_code == 200
    footer = re.search(r'<footer class="site-footer">.*?</footer>', page.content.decode(), re.S)
    assert footer is not None
    assert f'href="{privacy}"' in footer.group(0)
    assert client.get(privacy).status_code == 200
