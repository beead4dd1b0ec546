"""The editorial rules in the editors' admin: each refusal is a clear form error or message, never a 500."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.dates import newsroom_today
from claims.models import ChangeKind, Claim, Status, StatusUpdate, Visibility
from tests import factories
from tests.admin_forms import admin_form_data, inline_prefix
from tests.factories import record_status, status_on

pytestmark = pytest.mark.django_db

NEW_UPDATE = "record a new status update"
CHANGELIST = "admin:claims_statusupdate_changelist"


@pytest.fixture
def pledge():
    return factories.ClaimFactory(made_on=datetime.date(2024, 11, 7), summary="End the war quickly")


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def post_new_update(client, claim, **update_fields):
    page = client.get(change_url(claim))
    data = admin_form_data(page)
    prefix = inline_prefix(page, NEW_UPDATE)
    for name, value in update_fields.items():
        data[f"{prefix}-0-{name}"] = value
    return client.post(change_url(claim), data)


def inline_errors(response) -> dict:
    for inline in response.context["inline_admin_formsets"]:
        if str(inline.opts.verbose_name_plural) == NEW_UPDATE:
            return dict(inline.formset.forms[0].errors)
    raise LookupError(NEW_UPDATE)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_future_effective_date_is_a_form_error_at_the_date(client, pledge):
    client.force_login(factories.EditorFactory())
    tomorrow = newsroom_today() + datetime.timedelta(days=1)
    response = post_new_update(
        client,
        pledge,
        status=status_on("promise", "stalled").pk,
        effective_on=tomorrow.isoformat(),
        rationale_en="Not yet.",
        evidence=[factories.SourceFactory().pk],
    )
    assert response.status_code == 200
    assert "cannot take effect in the future" in " ".join(inline_errors(response)["effective_on"])
    assert StatusUpdate.objects.count() == 0


def test_a_future_date_on_the_standalone_form_is_a_form_error(client, pledge):
    client.force_login(factories.EditorFactory())
    tomorrow = newsroom_today() + datetime.timedelta(days=1)
    response = client.post(
        reverse("admin:claims_statusupdate_add"),
        {
            "claim": pledge.pk,
            "status": status_on("promise", "stalled").pk,
            "effective_on": tomorrow.isoformat(),
            "rationale_en": "Not yet.",
            "evidence": [factories.SourceFactory().pk],
        },
    )
    assert response.status_code == 200
    assert "effective_on" in response.context["adminform"].form.errors
    assert StatusUpdate.objects.count() == 0


def test_a_verdict_without_evidence_is_a_form_error_at_the_evidence_field(client, pledge):
    client.force_login(factories.EditorFactory())
    response = post_new_update(
        client, pledge, status=status_on("promise", "kept").pk, effective_on="2024-11-20", rationale_en="Done."
    )
    assert response.status_code == 200
    assert "needs at least one evidence source" in " ".join(inline_errors(response)["evidence"])
    page = response.content.decode()
    # The note at the top links to the field in error.
    assert 'class="error-summary"' in page
    assert '-0-evidence">New status update: Evidence</a>' in page
    assert StatusUpdate.objects.count() == 0
    pledge.refresh_from_db()
    assert pledge.current_status.is_default


def test_a_verdict_without_evidence_on_the_standalone_form_is_a_form_error(client, pledge):
    client.force_login(factories.EditorFactory())
    response = client.post(
        reverse("admin:claims_statusupdate_add"),
        {
            "claim": pledge.pk,
            "status": status_on("promise", "kept").pk,
            "effective_on": "2024-11-20",
            "rationale_en": "x",
        },
    )
    assert response.status_code == 200
    assert "needs at least one evidence source" in " ".join(response.context["adminform"].form.errors["evidence"])


def test_a_draft_verdict_may_be_saved_without_evidence(client, pledge):
    client.force_login(factories.EditorFactory())
    response = post_new_update(
        client,
        pledge,
        status=status_on("promise", "kept").pk,
        effective_on="2024-11-20",
        rationale_en="Draft.",
        save_as_draft="on",
    )
    assert response.status_code == 302
    assert pledge.status_updates.get().is_draft


def test_a_superuser_cannot_delete_a_published_update(client, pledge):
    update = record_status(
        claim=pledge,
        status=status_on("promise", "kept"),
        effective_on=pledge.made_on,
        rationale="Done.",
        recorded_by=factories.EditorFactory(),
    )
    client.force_login(factories.SuperuserFactory())
    page = client.get(reverse("admin:claims_statusupdate_change", args=[update.pk])).content.decode()
    assert reverse("admin:claims_statusupdate_delete", args=[update.pk]) not in page
    assert "Remove from the public record" in page

    response = client.post(reverse("admin:claims_statusupdate_delete", args=[update.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert any("never deleted" in message for message in messages_of(response))
    assert StatusUpdate.objects.filter(pk=update.pk).exists()

    bulk = client.post(
        reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [update.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302, 403)
    assert StatusUpdate.objects.filter(pk=update.pk).exists()


def test_a_superuser_removes_an_update_from_the_record_with_a_reason(client, pledge):
    editor, superuser = factories.EditorFactory(), factories.SuperuserFactory()
    kept = record_status(
        claim=pledge,
        status=status_on("promise", "kept"),
        effective_on=pledge.made_on,
        rationale="x",
        recorded_by=editor,
    )
    client.force_login(superuser)
    action = {"action": "remove_from_record", "_selected_action": [kept.pk]}

    asked = client.post(reverse(CHANGELIST), action)
    assert asked.status_code == 200
    assert "Reason (published)" in asked.content.decode()
    no_reason = client.post(reverse(CHANGELIST), {**action, "apply": "1", "reason": "  "})
    assert "Give a reason" in no_reason.content.decode()
    kept.refresh_from_db()
    assert not kept.is_removed

    done = client.post(reverse(CHANGELIST), {**action, "apply": "1", "reason": "Privacy complaint upheld."})
    assert done.status_code == 302
    kept.refresh_from_db()
    assert kept.removal_reason == "Privacy complaint upheld."
    assert kept.removed_by == superuser
    pledge.refresh_from_db()
    assert pledge.current_status.is_default
    assert pledge.changes.filter(kind=ChangeKind.STATUS_REMOVED, note="Privacy complaint upheld.").exists()


def test_editors_are_not_offered_the_removal(client, pledge):
    update = factories.StatusUpdateFactory(claim=pledge)
    client.force_login(factories.EditorFactory())
    response = client.get(reverse(CHANGELIST))
    assert "remove_from_record" not in response.content.decode()
    assert client.get(reverse("admin:claims_statusupdate_remove", args=[update.pk])).status_code == 403


def test_withdrawing_a_claim_from_the_list_asks_for_a_reason(client, pledge):
    client.force_login(factories.EditorFactory())
    action = {"action": "withdraw_claims", "_selected_action": [pledge.pk]}

    asked = client.post(reverse("admin:claims_claim_changelist"), action)
    assert asked.status_code == 200
    assert "Withdraw claims" in asked.content.decode()
    missing = client.post(reverse("admin:claims_claim_changelist"), {**action, "apply": "1", "reason": ""})
    assert "Give a reason" in missing.content.decode()
    pledge.refresh_from_db()
    assert pledge.visibility == Visibility.PUBLISHED

    client.post(reverse("admin:claims_claim_changelist"), {**action, "apply": "1", "reason": "Quote misattributed."})
    pledge.refresh_from_db()
    assert pledge.visibility == Visibility.WITHDRAWN
    assert pledge.withdrawal_reason == "Quote misattributed."


def test_withdrawing_on_the_claim_form_needs_a_reason(client, pledge):
    client.force_login(factories.EditorFactory())
    data = admin_form_data(client.get(change_url(pledge)))
    data["visibility"] = "withdrawn"
    response = client.post(change_url(pledge), data)
    assert response.status_code == 200
    assert "reason_for_withdrawal" in response.context["adminform"].form.errors
    pledge.refresh_from_db()
    assert pledge.visibility == Visibility.PUBLISHED

    data = admin_form_data(client.get(change_url(pledge)))
    data.update(visibility="withdrawn", reason_for_withdrawal="Duplicate of another claim.")
    assert client.post(change_url(pledge), data).status_code == 302
    pledge.refresh_from_db()
    assert pledge.withdrawal_reason == "Duplicate of another claim."


def test_a_published_claim_cannot_go_back_to_draft_in_the_form(client, pledge):
    client.force_login(factories.EditorFactory())
    data = admin_form_data(client.get(change_url(pledge)))
    data["visibility"] = "draft"
    response = client.post(change_url(pledge), data)
    assert response.status_code == 200
    assert "cannot go back to draft" in " ".join(response.context["adminform"].form.errors["visibility"])


def test_a_quote_needs_its_source_and_the_form_says_so_at_the_field(client, pledge):
    client.force_login(factories.EditorFactory())
    data = admin_form_data(client.get(change_url(pledge)))
    data["wording"] = "verbatim"
    response = client.post(change_url(pledge), data)
    assert response.status_code == 200
    assert "wording_source" in response.context["adminform"].form.errors

    source = factories.SourceFactory()
    data.update(wording="translation", wording_source=source.pk, original_language="uk", made_on_precision="month")
    assert client.post(change_url(pledge), data).status_code == 302
    pledge.refresh_from_db()
    assert (pledge.wording, pledge.wording_source, pledge.original_language) == ("translation", source, "uk")
    assert pledge.made_on == datetime.date(2024, 11, 1)


def test_a_summary_over_75_characters_is_a_warning_not_an_error(client, pledge):
    client.force_login(factories.EditorFactory())
    data = admin_form_data(client.get(change_url(pledge)))
    data["summary_en"] = "A" * 90
    response = client.post(change_url(pledge), data)
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("at most 75" in message for message in warnings), warnings
    pledge.refresh_from_db()
    assert pledge.summary == "A" * 90


@pytest.fixture
def approval_required(settings):
    settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL = True


def test_a_verdict_waits_in_the_queue_and_another_editor_approves_it(client, pledge, approval_required):
    ana, ben = factories.EditorFactory(first_name="Ana", last_name="Editor"), factories.EditorFactory()
    client.force_login(ana)
    recorded = post_new_update(
        client,
        pledge,
        status=status_on("promise", "kept").pk,
        effective_on="2024-11-20",
        rationale_en="Signed.",
        evidence=[factories.SourceFactory().pk],
    )
    assert recorded.status_code == 302
    assert any("awaiting approval" in message for message in messages_of(recorded))
    update = pledge.status_updates.get()
    assert update.is_awaiting_approval
    pledge.refresh_from_db()
    assert pledge.current_status.is_default

    queue = client.get(reverse(CHANGELIST), {"state": "awaiting"})
    assert list(queue.context["cl"].result_list) == [update]
    approve = {"action": "approve_verdicts", "_selected_action": [update.pk]}
    refused = client.post(reverse(CHANGELIST), approve, follow=True)
    assert "you recorded it" in refused.content.decode()
    update.refresh_from_db()
    assert update.is_awaiting_approval

    client.force_login(ben)
    client.post(reverse(CHANGELIST), approve)
    update.refresh_from_db()
    assert update.published_at is not None
    assert update.approved_by == ben
    pledge.refresh_from_db()
    assert pledge.current_status.slug == "kept"
    timeline = client.get(change_url(pledge)).content.decode()
    assert f"approved by {ben.get_full_name()}" in timeline


def test_a_verdict_on_the_standalone_form_says_it_awaits_approval(client, pledge, approval_required):
    client.force_login(factories.EditorFactory())
    response = client.post(
        reverse("admin:claims_statusupdate_add"),
        {
            "claim": pledge.pk,
            "status": status_on("promise", "stalled").pk,
            "effective_on": "2024-11-20",
            "rationale_en": "Talks stopped.",
            "evidence": [factories.SourceFactory().pk],
        },
    )
    assert response.status_code == 302
    assert any("awaiting approval" in message for message in messages_of(response))
    assert StatusUpdate.objects.awaiting_approval().count() == 1


def test_the_admin_index_names_every_app_in_words(client):
    client.force_login(factories.SuperuserFactory())
    page = client.get(reverse("admin:index")).content.decode()
    for raw in ["Otp_Totp", "Otp_Static", ">Axes<"]:
        assert raw not in page
    assert "Two-factor sign-in: authenticator apps" in page
    assert "Sign-in protection" in page


def test_a_default_status_needs_no_evidence(client, pledge):
    client.force_login(factories.EditorFactory())
    response = post_new_update(
        client,
        pledge,
        status=Status.objects.default_for("promise").pk,
        effective_on="2024-11-20",
        rationale_en="Back to not yet rated.",
    )
    assert response.status_code == 302


def test_a_withdrawn_claims_form_shows_its_published_reason_read_only(client, pledge):
    editor = factories.EditorFactory()
    services.claim_set_visibility(claim=pledge, visibility="withdrawn", changed_by=editor, reason="Misquoted.")
    client.force_login(editor)
    page = client.get(change_url(pledge))
    field = page.context["adminform"].form.fields["reason_for_withdrawal"]
    assert field.disabled
    assert "Misquoted." in page.content.decode()

    data = admin_form_data(page)
    data["summary_en"] = "Edited while withdrawn"
    assert client.post(change_url(pledge), data).status_code == 302
    pledge.refresh_from_db()
    assert (pledge.summary, pledge.withdrawal_reason) == ("Edited while withdrawn", "Misquoted.")
