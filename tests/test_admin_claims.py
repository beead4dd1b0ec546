"""Editors work in the admin: the claim page, its timeline and the new-update form."""

import datetime

import pytest
from django.urls import reverse

from claims.models import Claim, Status, StatusUpdate
from tests import factories
from tests.admin_forms import admin_form_data, inline_prefix

pytestmark = pytest.mark.django_db

NOV_7 = datetime.date(2024, 11, 7)
NEW_UPDATE = "record a new status update"


@pytest.fixture
def pledge():
    return factories.ClaimFactory(made_on=NOV_7, summary="End the war quickly")


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def form_with_new_update(client, claim, **update_fields):
    page = client.get(change_url(claim))
    data = admin_form_data(page)
    prefix = inline_prefix(page, NEW_UPDATE)
    for name, value in update_fields.items():
        data[f"{prefix}-0-{name}"] = value
    return data


def test_an_editor_records_a_status_update_with_evidence_from_the_claim_page(client, pledge):
    editor = factories.EditorFactory()
    evidence = factories.SourceFactory()
    client.force_login(editor)
    in_the_works = Status.objects.get(scale="promise", slug="in-the-works")
    data = form_with_new_update(
        client,
        pledge,
        status=in_the_works.pk,
        effective_on="2024-11-20",
        rationale_en="Talks were announced.",
        evidence=[evidence.pk],
    )
    response = client.post(change_url(pledge), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    pledge.refresh_from_db()
    assert pledge.current_status == in_the_works
    update = pledge.status_updates.get()
    assert update.recorded_by == editor
    assert list(update.evidence.all()) == [evidence]


def test_an_editor_can_record_a_correction_of_an_earlier_update(client, pledge):
    editor = factories.EditorFactory()
    wrong = factories.StatusUpdateFactory(claim=pledge, status=Status.objects.get(scale="promise", slug="kept"))
    client.force_login(editor)
    data = form_with_new_update(
        client,
        pledge,
        status=Status.objects.get(scale="promise", slug="stalled").pk,
        effective_on="2024-11-07",
        rationale_en="Correction: the deal was not signed.",
        corrects=wrong.pk,
        evidence=[factories.SourceFactory().pk],
    )
    assert client.post(change_url(pledge), data).status_code == 302
    assert pledge.status_updates.get(corrects=wrong).status.slug == "stalled"


def test_a_status_from_another_scale_is_a_form_error_not_a_crash(client, pledge):
    client.force_login(factories.EditorFactory())
    data = form_with_new_update(
        client,
        pledge,
        status=Status.objects.get(scale="fact_check", slug="false").pk,
        effective_on="2024-11-20",
        rationale_en="Wrong scale.",
    )
    response = client.post(change_url(pledge), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert StatusUpdate.objects.count() == 0


def test_an_update_dated_before_the_claim_is_a_form_error(client, pledge):
    client.force_login(factories.EditorFactory())
    data = form_with_new_update(
        client,
        pledge,
        status=Status.objects.get(scale="promise", slug="stalled").pk,
        effective_on="2024-01-01",
        rationale_en="Too early.",
    )
    response = client.post(change_url(pledge), data)
    assert response.status_code == 200
    assert "cannot take effect before the claim was made" in response.content.decode()
    assert StatusUpdate.objects.count() == 0


def test_an_over_long_summary_is_a_form_error(client, pledge):
    client.force_login(factories.EditorFactory())
    data = admin_form_data(client.get(change_url(pledge)))
    data["summary_en"] = "x" * 121
    response = client.post(change_url(pledge), data)
    assert response.status_code == 200
    assert "at most 120 characters" in response.content.decode()


def test_a_save_from_a_stale_form_is_refused_with_a_message(client, pledge):
    client.force_login(factories.EditorFactory())
    data = admin_form_data(client.get(change_url(pledge)))
    Claim.objects.filter(pk=pledge.pk).update(summary="Changed meanwhile", version=pledge.version + 1)
    data["summary_en"] = "My edit"
    response = client.post(change_url(pledge), data)
    assert response.status_code == 200
    assert "Someone else saved this record while you were editing it" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.summary == "Changed meanwhile"


def test_a_viewer_sees_the_claim_but_cannot_record_an_update(client, pledge):
    client.force_login(factories.ViewerFactory())
    page = client.get(change_url(pledge))
    assert page.status_code == 200
    assert NEW_UPDATE not in [str(inline.opts.verbose_name_plural) for inline in page.context["inline_admin_formsets"]]
    response = client.post(change_url(pledge), {"summary_en": "Viewer edit"})
    assert response.status_code == 403
    assert StatusUpdate.objects.count() == 0


def test_recorded_updates_cannot_be_edited_or_deleted_by_editors(client):
    update = factories.StatusUpdateFactory()
    client.force_login(factories.EditorFactory())
    change = reverse("admin:claims_statusupdate_change", args=[update.pk])
    assert client.post(change, {"rationale_en": "Rewritten"}).status_code == 403
    assert (
        client.post(reverse("admin:claims_statusupdate_delete", args=[update.pk]), {"post": "yes"}).status_code == 403
    )
    update.refresh_from_db()
    assert update.rationale != "Rewritten"


def test_editors_cannot_delete_claims_and_superusers_only_drafts(client):
    draft = factories.DraftClaimFactory()
    published = factories.ClaimFactory()
    client.force_login(factories.EditorFactory())
    assert client.post(reverse("admin:claims_claim_delete", args=[draft.pk]), {"post": "yes"}).status_code == 403
    client.force_login(factories.SuperuserFactory())
    refused = client.post(reverse("admin:claims_claim_delete", args=[published.pk]), {"post": "yes"}, follow=True)
    assert "never deleted: withdraw it with a reason" in refused.content.decode()
    assert Claim.objects.filter(pk=published.pk).exists()
    assert client.post(reverse("admin:claims_claim_delete", args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert not Claim.objects.filter(pk=draft.pk).exists()


def test_a_plan_shows_its_components_and_their_rollup(client):
    plan = factories.PlanFactory()
    factories.PlanFactory(parent=plan, summary="Long-range strikes")
    client.force_login(factories.EditorFactory())
    page = client.get(change_url(plan)).content.decode()
    assert "Components of this plan" in page
    assert "Long-range strikes" in page
    assert "1 × " in page


def test_an_editor_adds_a_claim_which_starts_at_the_default_status(client):
    client.force_login(factories.EditorFactory())
    person = factories.PersonFactory()
    add_url = reverse("admin:claims_claim_add")
    data = admin_form_data(client.get(add_url))
    data.update(
        claimant=person.pk,
        kind="pledge",
        summary_en="Cut taxes",
        quote="I will cut taxes.",
        slug="cut-taxes",
        made_on="2024-11-07",
        visibility="draft",
    )
    response = client.post(add_url, data)
    assert response.status_code == 302
    claim = Claim.objects.get(slug="cut-taxes")
    assert claim.current_status.is_default
    assert claim.scale == "promise"
