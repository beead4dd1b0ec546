"""The editors' moderation queue of readers' tips (readers.admin.TipAdmin) and the decision service
behind it (readers.tips.tip_resolve): the list and its filters, resolving a tip from the change form
(dated, signed, and one outcome email to the reader in the tip's language with the reply and a link),
no second email for the same decision, form errors instead of crashes for an inconsistent duplicate,
the "decline" action, who may change and add tips, a history of decisions that holds no personal
data, and the database constraints that keep a tip consistent whatever writes it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from readers import emails
from readers.models import EmailPurpose, OutgoingEmail, Tip, TipKind, TipState
from readers.tips import tip_resolve
from tests import factories
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:readers_tip_changelist"
REPLY = "Thank you: we checked the council minutes and corrected the figure."

ACCEPTED_BODY = "Thank you for writing to us. An editor has looked at your message and acted on it."
DECLINED_BODY = "Thank you for writing to us. An editor has looked at your message and decided not to act on it."
DUPLICATE_BODY = (
    "Thank you for writing to us. Another reader had already told us the same, and an editor is dealing with it."
)


def change_url(tip: Tip) -> str:
    return reverse("admin:readers_tip_change", args=[tip.pk])


def decide(client, tip: Tip, **fields) -> object:
    """Open the tip's change page, as an editor would, and save it with ``fields`` changed."""
    page = client.get(change_url(tip))
    assert page.status_code == 200
    data = admin_form_data(page)
    data.update({key: "" if value is None else value for key, value in fields.items()})
    return client.post(change_url(tip), data)


def outcome_emails(tip: Tip) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(tip=tip, purpose=EmailPurpose.TIP_OUTCOME).order_by("created_at", "pk"))


def claim_link(language: str, claim) -> str:
    return emails.link(language, "public:claim-detail", claim.slug)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.CLAIMTRACKER_SITE_URL = "https://claims.example/"


# The queue.


def test_an_editor_sees_the_queue_of_tips_newest_first(editor_client):
    older = factories.TipFactory(received_at=timezone.now() - datetime.timedelta(days=2))
    newer = factories.SuggestionFactory()

    response = editor_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [newer, older]
    page = response.content.decode()
    assert older.claim.summary in page
    assert "Claim to track" in page


def test_the_queue_runs_a_fixed_number_of_queries_however_many_tips_it_shows(editor_client, django_assert_num_queries):
    for _ in range(6):
        factories.TipFactory()
    factories.SuggestionFactory.create_batch(3)
    # session, user, the two kinds of authenticator devices (TOTP, backup codes), the user's and the
    # groups' permissions, the count for the paginator and the full count, the page of tips joined to
    # their claims, and the date hierarchy's range and days.
    with django_assert_num_queries(11):
        response = editor_client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 9

    factories.TipFactory.create_batch(10)
    with django_assert_num_queries(11):
        response = editor_client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 19


def test_the_queue_filters_by_state(editor_client, editor):
    waiting = factories.TipFactory()
    declined = tip_resolve(tip=factories.TipFactory(email=""), state=TipState.DECLINED, resolved_by=editor)
    accepted = tip_resolve(tip=factories.TipFactory(email=""), state=TipState.ACCEPTED, resolved_by=editor)

    shown = {
        state: list(editor_client.get(reverse(CHANGELIST), {"state__exact": state}).context["cl"].result_list)
        for state in ("new", "declined", "accepted", "duplicate")
    }

    assert shown == {"new": [waiting], "declined": [declined], "accepted": [accepted], "duplicate": []}


def test_an_editor_opens_a_tip_and_reads_what_the_reader_sent(editor_client):
    tip = factories.TipFactory(message="The figure is 12,000, not 10,000.", evidence_url="https://council.example/m")

    response = editor_client.get(change_url(tip))

    assert response.status_code == 200
    page = response.content.decode()
    assert "The figure is 12,000, not 10,000." in page
    assert "https://council.example/m" in page
    assert tip.email in page
    # What the reader sent is read-only: only the triage is a form.
    assert set(response.context["adminform"].form.fields) == {
        "state",
        "duplicate_of",
        "led_to_claim",
        "led_to_update",
        "reply",
    }


# Resolving a tip from the change form.


@pytest.mark.parametrize(("state", "body"), [(TipState.ACCEPTED, ACCEPTED_BODY), (TipState.DECLINED, DECLINED_BODY)])
def test_resolving_a_tip_dates_and_signs_it_and_queues_one_email_to_the_reader(editor_client, editor, state, body):
    tip = factories.TipFactory(email="olena@example.org")
    before = timezone.now()

    response = decide(editor_client, tip, state=state, reply=REPLY)

    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.state == state
    assert tip.reply == REPLY
    assert tip.resolved_by == editor
    assert before <= tip.resolved_at <= timezone.now()
    [email] = outcome_emails(tip)
    assert email.to == "olena@example.org"
    assert email.state == OutgoingEmail.State.PENDING
    assert email.subject == "Your message to Claim Tracker"
    for part in (email.text, email.html):
        assert body in part
        assert REPLY in part
        assert claim_link("en", tip.claim) in part
        assert tip.message in part
    assert claim_link("en", tip.claim).startswith("https://claims.example/claims/")


def test_the_outcome_links_to_what_the_tip_led_to(editor_client, editor):
    tip = factories.TipFactory()
    update = factories.StatusUpdateFactory(claim=tip.claim)

    response = decide(editor_client, tip, state=TipState.ACCEPTED, reply=REPLY, led_to_update=update.pk)

    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.led_to_update == update
    [email] = outcome_emails(tip)
    assert f"What it led to: {claim_link('en', update.claim)}" in email.text


def test_a_suggestion_that_led_to_a_new_claim_links_to_that_claim(editor_client):
    suggestion = factories.SuggestionFactory()
    tracked = factories.ClaimFactory(slug="newly-tracked")

    response = decide(editor_client, suggestion, state=TipState.ACCEPTED, reply=REPLY, led_to_claim=tracked.pk)

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.led_to_claim == tracked
    [email] = outcome_emails(suggestion)
    assert f"What it led to: {claim_link('en', tracked)}" in email.text


def test_a_tip_sent_in_ukrainian_is_answered_in_ukrainian(editor_client):
    tip = factories.TipFactory(language="uk", email="oksana@example.org")

    response = decide(editor_client, tip, state=TipState.ACCEPTED, reply="Дякуємо, виправили.")

    assert response.status_code == 302
    [email] = outcome_emails(tip)
    with translation.override("uk"):
        body = gettext(ACCEPTED_BODY)
        reply_heading = gettext("The editor’s reply")
    assert body in email.text
    assert f"{reply_heading}:\nДякуємо, виправили." in email.text
    # The links in the email open the Ukrainian pages, whatever language the editor works in.
    assert claim_link("uk", tip.claim) in email.text
    assert f"https://claims.example/uk/claims/{tip.claim.slug}/" in email.text
    if body != ACCEPTED_BODY:  # once the sentence is translated, the English must not be there
        assert ACCEPTED_BODY not in email.text


def test_a_duplicate_names_the_original_and_the_reader_is_told_so(editor_client):
    original = factories.TipFactory()
    repeat = factories.TipFactory(claim=original.claim)

    response = decide(editor_client, repeat, state=TipState.DUPLICATE, duplicate_of=original.pk)

    assert response.status_code == 302
    repeat.refresh_from_db()
    assert (repeat.state, repeat.duplicate_of) == (TipState.DUPLICATE, original)
    [email] = outcome_emails(repeat)
    assert DUPLICATE_BODY in email.text


def test_saving_the_same_decision_again_queues_no_second_email(editor_client, editor):
    tip = factories.TipFactory()
    assert decide(editor_client, tip, state=TipState.ACCEPTED, reply=REPLY).status_code == 302
    tip.refresh_from_db()
    first_resolved_at = tip.resolved_at

    response = decide(editor_client, tip, state=TipState.ACCEPTED, reply=REPLY)

    assert response.status_code == 302
    assert len(outcome_emails(tip)) == 1
    tip.refresh_from_db()
    assert tip.resolved_at == first_resolved_at


def test_changing_the_reply_queues_another_email_with_the_new_reply(editor_client):
    tip = factories.TipFactory()
    assert decide(editor_client, tip, state=TipState.ACCEPTED, reply=REPLY).status_code == 302

    response = decide(editor_client, tip, state=TipState.ACCEPTED, reply="Correction: the figure was 11,500.")

    assert response.status_code == 302
    first, second = outcome_emails(tip)
    assert REPLY in first.text
    assert "Correction: the figure was 11,500." in second.text
    assert REPLY not in second.text
    assert first.message_id != second.message_id


def test_a_tip_without_an_email_address_is_resolved_with_no_email(editor_client, editor):
    tip = factories.TipFactory(email="", name="")

    response = decide(editor_client, tip, state=TipState.ACCEPTED, reply=REPLY)

    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.state == TipState.ACCEPTED
    assert tip.resolved_by == editor
    assert not OutgoingEmail.objects.exists()


def test_a_duplicate_without_the_original_is_a_form_error_and_changes_nothing(editor_client):
    tip = factories.TipFactory()

    response = decide(editor_client, tip, state=TipState.DUPLICATE, duplicate_of=None)

    assert response.status_code == 200
    assert "Name the tip this one repeats." in response.context["adminform"].form.errors["duplicate_of"]
    assert "Name the tip this one repeats." in response.content.decode()
    tip.refresh_from_db()
    assert (tip.state, tip.resolved_at) == (TipState.NEW, None)
    assert not OutgoingEmail.objects.exists()


def test_naming_an_original_on_a_tip_that_is_not_a_duplicate_is_a_form_error(editor_client):
    original = factories.TipFactory()
    tip = factories.TipFactory()

    response = decide(editor_client, tip, state=TipState.ACCEPTED, duplicate_of=original.pk)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["duplicate_of"]
    assert error.startswith("Only a duplicate names another tip")
    tip.refresh_from_db()
    assert (tip.state, tip.duplicate_of) == (TipState.NEW, None)
    assert not OutgoingEmail.objects.exists()


def test_a_tip_cannot_be_its_own_duplicate(editor_client):
    tip = factories.TipFactory()

    response = decide(editor_client, tip, state=TipState.DUPLICATE, duplicate_of=tip.pk)

    assert response.status_code == 200
    assert "A tip cannot duplicate itself." in response.context["adminform"].form.errors["duplicate_of"]
    tip.refresh_from_db()
    assert tip.state == TipState.NEW


def test_setting_a_resolved_tip_back_to_new_reopens_it(editor_client, editor):
    tip = tip_resolve(tip=factories.TipFactory(), state=TipState.DECLINED, resolved_by=editor)

    response = decide(editor_client, tip, state=TipState.NEW)

    assert response.status_code == 302
    tip.refresh_from_db()
    assert (tip.state, tip.resolved_at, tip.resolved_by) == (TipState.NEW, None, None)
    assert len(outcome_emails(tip)) == 1  # the decline's; reopening writes to no one


# The action and the permissions.


def test_the_decline_action_declines_the_waiting_tips_and_leaves_resolved_ones(editor_client, editor):
    waiting = factories.TipFactory()
    anonymous = factories.SuggestionFactory(email="")
    accepted = tip_resolve(tip=factories.TipFactory(email=""), state=TipState.ACCEPTED, resolved_by=editor)
    untouched = factories.TipFactory()

    response = editor_client.post(
        reverse(CHANGELIST),
        {"action": "mark_declined", "_selected_action": [waiting.pk, anonymous.pk, accepted.pk], "index": 0},
        follow=True,
    )

    assert response.status_code == 200
    assert "Declined 2 tips." in [str(message) for message in response.context["messages"]]
    states = dict(Tip.objects.values_list("pk", "state"))
    assert states == {
        waiting.pk: TipState.DECLINED,
        anonymous.pk: TipState.DECLINED,
        accepted.pk: TipState.ACCEPTED,
        untouched.pk: TipState.NEW,
    }
    waiting.refresh_from_db()
    assert waiting.resolved_by == editor
    assert waiting.reply == ""
    [email] = OutgoingEmail.objects.all()
    assert (email.tip, email.to) == (waiting, waiting.email)
    assert DECLINED_BODY in email.text


def test_the_decline_action_is_offered_on_the_editors_queue(editor_client):
    factories.TipFactory()

    response = editor_client.get(reverse(CHANGELIST))

    choices = dict(response.context["action_form"].fields["action"].choices)
    assert choices["mark_declined"] == "Decline the selected tips (no reply)"


def test_a_viewer_can_neither_read_nor_change_tips(client, viewer):
    """Tips hold readers' names and addresses: the Viewers role (which reads published content and
    owns partners' API keys) is given no permission on them at all."""
    client.force_login(viewer)
    tip = factories.TipFactory()

    assert not viewer.has_perm("readers.change_tip")
    assert not viewer.has_perm("readers.view_tip")
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(change_url(tip)).status_code == 403
    assert client.post(change_url(tip), {"state": TipState.ACCEPTED, "reply": REPLY}).status_code == 403
    declined = client.post(reverse(CHANGELIST), {"action": "mark_declined", "_selected_action": [tip.pk], "index": 0})
    assert declined.status_code == 403
    tip.refresh_from_db()
    assert (tip.state, tip.reply) == (TipState.NEW, "")
    assert not OutgoingEmail.objects.exists()


def test_editors_may_change_tips_but_not_add_or_delete_them(editor):
    assert editor.has_perm("readers.view_tip")
    assert editor.has_perm("readers.change_tip")
    assert not editor.has_perm("readers.delete_tip")
    assert not editor.has_perm("readers.erase_reader_data")


def test_nobody_adds_a_tip_in_the_admin_tips_come_from_readers(editor_client, admin_client):
    for c in (editor_client, admin_client):
        assert c.get(reverse("admin:readers_tip_add")).status_code == 403
        assert c.post(reverse("admin:readers_tip_add"), {"kind": "new_claim", "message": "x"}).status_code == 403
    assert not Tip.objects.exists()


# The history.


def test_the_history_records_each_decision_but_no_name_or_address(editor_client, editor):
    tip = factories.TipFactory(name="Olena Reader", email="olena@example.org")
    assert decide(editor_client, tip, state=TipState.DECLINED, reply="Not enough evidence.").status_code == 302
    assert decide(editor_client, tip, state=TipState.ACCEPTED, reply=REPLY).status_code == 302

    history = list(tip.history.order_by("history_date", "history_id"))

    assert [record.state for record in history] == [TipState.NEW, TipState.DECLINED, TipState.ACCEPTED]
    assert [record.reply for record in history] == ["", "Not enough evidence.", REPLY]
    assert [record.history_user for record in history[1:]] == [editor, editor]
    fields = {field.name for field in tip.history.model._meta.get_fields()}
    assert {"state", "reply", "message"} <= fields
    assert not {"name", "email"} & fields
    for values in tip.history.values():
        assert "Olena Reader" not in str(values)
        assert "olena@example.org" not in str(values)
    assert editor_client.get(reverse("admin:readers_tip_history", args=[tip.pk])).status_code == 200


# The service, called directly.


def test_the_service_refuses_to_resolve_a_tip_as_new(editor):
    tip = factories.TipFactory()

    with pytest.raises(ValidationError) as refused:
        tip_resolve(tip=tip, state=TipState.NEW, resolved_by=editor)

    assert "state" in refused.value.message_dict
    assert not OutgoingEmail.objects.exists()


def test_the_service_refuses_an_inconsistent_duplicate(editor):
    original, tip = factories.TipFactory(), factories.TipFactory()

    for state, duplicate_of in ((TipState.DUPLICATE, None), (TipState.DECLINED, original), (TipState.DUPLICATE, tip)):
        with pytest.raises(ValidationError) as refused:
            tip_resolve(tip=tip, state=state, resolved_by=editor, duplicate_of=duplicate_of)
        assert "duplicate_of" in refused.value.message_dict

    tip.refresh_from_db()
    assert tip.state == TipState.NEW
    assert not OutgoingEmail.objects.exists()


# The database keeps a tip consistent, whatever writes it.


def raw_save(**fields) -> None:
    defaults = {"kind": TipKind.NEW_CLAIM, "message": "A claim to track."}
    with transaction.atomic():
        Tip(**{**defaults, **fields}).save()


def assert_refused_by(constraint: str, **fields) -> None:
    with pytest.raises(IntegrityError) as refused:
        raw_save(**fields)
    assert constraint in str(refused.value)


def test_the_database_refuses_a_correction_without_its_claim_and_a_suggestion_with_one():
    claim = factories.ClaimFactory()

    assert_refused_by("tip_correction_names_its_claim", kind=TipKind.CORRECTION, claim=None)
    assert_refused_by("tip_correction_names_its_claim", kind=TipKind.NEW_CLAIM, claim=claim)
    assert not Tip.objects.exists()
    raw_save(kind=TipKind.CORRECTION, claim=claim)
    assert Tip.objects.count() == 1


def test_the_database_refuses_a_duplicate_without_the_original_and_an_original_on_a_non_duplicate():
    original = factories.SuggestionFactory()
    now = timezone.now()

    assert_refused_by("tip_duplicate_names_the_original", state=TipState.DUPLICATE, resolved_at=now)
    assert_refused_by(
        "tip_duplicate_names_the_original", state=TipState.DECLINED, resolved_at=now, duplicate_of=original
    )
    assert_refused_by("tip_duplicate_names_the_original", duplicate_of=original)
    assert Tip.objects.count() == 1


def test_the_database_refuses_a_resolution_without_a_date_and_a_date_on_a_new_tip():
    assert_refused_by("tip_resolution_is_dated", state=TipState.ACCEPTED, resolved_at=None)
    assert_refused_by("tip_resolution_is_dated", state=TipState.NEW, resolved_at=timezone.now())
    assert not Tip.objects.exists()
