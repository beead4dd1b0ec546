"""Editors work in the admin in their own language and edit the record's translations there.

Whatever language the admin is in, what an editor types as the English text lands in the English
column (and in the field's own column), and each translation in its language's column.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from claims import services
from claims.models import Claim, ClaimChange, Status, StatusUpdate
from tests import factories
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

NOV_7 = datetime.date(2024, 11, 7)


def ukrainian_editor() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="uk")
    client.force_login(factories.EditorFactory())
    return client


def stored_column(model, pk: int, column: str) -> str | None:
    """The column as the database holds it, past django-modeltranslation's language mapping."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608 - names from the model
        return cursor.fetchone()[0]


def new_update_prefix(page) -> str:
    for inline in page.context["inline_admin_formsets"]:
        if "save_as_draft" in inline.formset.form.base_fields:
            return inline.formset.prefix
    raise LookupError("no new-update form on this page")


def test_the_admin_speaks_the_editors_language_and_says_it_varies_on_it():
    response = ukrainian_editor().get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 200
    assert response["Content-Language"] == "uk"
    assert "Accept-Language" in response["Vary"]
    assert '<html lang="uk"' in response.content.decode()


def test_an_editor_switches_the_admins_language_without_javascript():
    client = ukrainian_editor()
    url = reverse("admin:claims_claim_changelist")
    page = client.get(url).content.decode()
    assert 'action="/i18n/setlang/"' in page
    client.post("/i18n/setlang/", {"language": "ru", "next": url})
    assert client.get(url)["Content-Language"] == "ru"


def test_an_editor_in_the_ukrainian_admin_adds_a_claim_in_english_with_its_translations():
    client = ukrainian_editor()
    add_url = reverse("admin:claims_claim_add")
    data = admin_form_data(client.get(add_url))
    data.update(
        claimant=factories.PersonFactory().pk,
        kind="pledge",
        summary_en="End the war in a day",
        summary_uk="Закінчити війну за один день",
        quote="I will end the war in a day.",
        slug="end-the-war-in-a-day",
        made_on="2024-11-07",
        visibility="draft",
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    claim = Claim.objects.get(slug="end-the-war-in-a-day")
    assert stored_column(Claim, claim.pk, "summary") == "End the war in a day"
    assert stored_column(Claim, claim.pk, "summary_en") == "End the war in a day"
    assert stored_column(Claim, claim.pk, "summary_uk") == "Закінчити війну за один день"
    assert stored_column(Claim, claim.pk, "summary_ru") in (None, "")


def test_an_editor_in_the_ukrainian_admin_records_an_update_with_a_translated_rationale():
    claim = factories.ClaimFactory(made_on=NOV_7, summary="End the war quickly")
    client = ukrainian_editor()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.get(url)
    data = admin_form_data(page)
    prefix = new_update_prefix(page)
    data.update(
        {
            f"{prefix}-0-status": Status.objects.get(scale="promise", slug="in-the-works").pk,
            f"{prefix}-0-effective_on": "2024-11-20",
            f"{prefix}-0-rationale_en": "Talks were announced.",
            f"{prefix}-0-rationale_uk": "Оголошено переговори.",
            f"{prefix}-0-evidence": [factories.SourceFactory().pk],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    update = claim.status_updates.get()
    assert stored_column(StatusUpdate, update.pk, "rationale") == "Talks were announced."
    assert stored_column(StatusUpdate, update.pk, "rationale_en") == "Talks were announced."
    assert stored_column(StatusUpdate, update.pk, "rationale_uk") == "Оголошено переговори."
    assert stored_column(Claim, claim.pk, "summary_uk") in (None, "")


def test_a_status_label_translated_in_the_ukrainian_admin_keeps_its_english():
    kept = Status.objects.get(scale="promise", slug="kept")
    client = Client(HTTP_ACCEPT_LANGUAGE="uk")
    client.force_login(factories.SuperuserFactory())
    url = reverse("admin:claims_status_change", args=[kept.pk])
    data = {**admin_form_data(client.get(url)), "label_uk": "Виконано повністю"}
    assert client.post(url, data).status_code == 302
    assert stored_column(Status, kept.pk, "label") == "Kept"
    assert stored_column(Status, kept.pk, "label_en") == "Kept"
    assert stored_column(Status, kept.pk, "label_uk") == "Виконано повністю"


def published_update(claim: Claim) -> StatusUpdate:
    return services.claim_record_status(
        claim=claim,
        status=Status.objects.get(scale="promise", slug="in-the-works"),
        effective_on=NOV_7,
        rationale="Talks were announced.",
        recorded_by=factories.EditorFactory(),
        evidence=[factories.SourceFactory()],
    )


def test_an_editor_translates_a_recorded_rationale_and_the_claim_is_logged_as_edited():
    claim = factories.ClaimFactory(made_on=NOV_7, visibility="published")
    update = published_update(claim)
    changes_before = ClaimChange.objects.filter(claim=claim).count()
    client = ukrainian_editor()
    url = reverse("admin:claims_statusupdate_translate", args=[update.pk])
    assert "Talks were announced." in client.get(url).content.decode()
    response = client.post(url, {"uk": "Оголошено переговори.", "ru": ""})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.rationale_uk == "Оголошено переговори."
    assert update.rationale_ru is None
    assert stored_column(StatusUpdate, update.pk, "rationale") == "Talks were announced."
    assert ClaimChange.objects.filter(claim=claim).count() == changes_before + 1
    assert update.history.latest().rationale_uk == "Оголошено переговори."


def test_a_translation_into_a_language_the_site_lacks_or_of_a_removed_update_is_refused():
    claim = factories.ClaimFactory(made_on=NOV_7, visibility="published")
    update = published_update(claim)
    with pytest.raises(services.ValidationError, match="Translations are into"):
        services.status_update_translate(update=update, translations={"de": "Gespräche"}, translated_by=None)
    services.status_update_remove(update=update, removed_by=factories.SuperuserFactory(), reason="Legal advice.")
    update.refresh_from_db()
    with pytest.raises(services.ValidationError, match="nothing to translate"):
        services.status_update_translate(update=update, translations={"uk": "Переговори"}, translated_by=None)


def test_the_claim_list_filters_claims_missing_a_translation():
    translated = factories.ClaimFactory(summary="Translated", summary_uk="Перекладено", summary_ru="Переведено")
    missing_uk = factories.ClaimFactory(summary="Only Russian", summary_ru="Только по-русски")
    client = Client()
    client.force_login(factories.EditorFactory())
    url = reverse("admin:claims_claim_changelist")
    missing = client.get(url, {"translation": "uk"}).context["cl"].result_list
    assert list(missing) == [missing_uk]
    complete = client.get(url, {"translation": "complete"}).context["cl"].result_list
    assert list(complete) == [translated]


def test_the_claim_form_labels_its_fields_in_the_editors_language():
    claim = factories.ClaimFactory()
    page = ukrainian_editor().get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    with translation.override("uk"):
        expected = [capfirst(gettext(label)) for label in ("claimant", "kind", "wording", "deadline", "visibility")]
    for label in expected:
        assert f">{label}:</label>" in page, label
    for english in ("Claimant:", "Kind:", "Wording:", "Deadline:", "Visibility:"):
        assert english not in page
