"""Partners read the API in English, Ukrainian or Russian: each text says its language.

``lang`` wins over Accept-Language; a text without a translation comes in English and says so;
``translations=true`` gives every language; answers vary on Accept-Language and name theirs in
Content-Language; ClaimReview never mixes languages and states ``inLanguage``.
"""

from __future__ import annotations

import pytest
from django.test import Client

from claims.models import Claim, Status, StatusUpdate
from tests import factories
from tests.api_support import claim_body, editor_client, error_of, record, results
from tests.test_api_query_counts import CLAIM_LIST_QUERIES, claims_with_timelines

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    translated = factories.ClaimFactory(
        summary="Ten new bridges", summary_uk="Десять нових мостів", summary_ru="Десять новых мостов"
    )
    translated.topics.add(factories.TopicFactory(name="Transport", name_uk="Транспорт"))
    update = record(translated, "kept")
    update.rationale_uk = "Усі десять мостів відкрито."
    update.save(update_fields=["rationale_uk"])
    return translated


def test_lang_chooses_the_language_of_every_translated_text(claim):
    response = Client().get(f"/api/v1/claims/{claim.pk}", {"lang": "uk"})
    body = response.json()
    assert response["Content-Language"] == "uk"
    assert (body["summary"], body["summary_language"]) == ("Десять нових мостів", "uk")
    assert body["topics"][0]["name"] == "Транспорт"
    assert body["topics"][0]["name_language"] == "uk"
    assert (body["current_status"]["label"], body["current_status"]["label_language"]) == ("Виконано", "uk")
    assert body["timeline"][0]["rationale"] == "Усі десять мостів відкрито."
    assert body["timeline"][0]["rationale_language"] == "uk"


def test_accept_language_is_read_when_lang_is_not_given_and_missing_texts_come_in_english(claim):
    response = Client(HTTP_ACCEPT_LANGUAGE="ru, en;q=0.5").get(f"/api/v1/claims/{claim.pk}")
    body = response.json()
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" in response["Vary"]
    assert (body["summary"], body["summary_language"]) == ("Десять новых мостов", "ru")
    # No Russian topic name or rationale: English, saying so.
    assert (body["topics"][0]["name"], body["topics"][0]["name_language"]) == ("Transport", "en")
    assert body["timeline"][0]["rationale_language"] == "en"


def test_lang_wins_over_accept_language():
    factories.ClaimFactory(summary="Bridges", summary_uk="Мости")
    response = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/api/v1/claims", {"lang": "uk"})
    assert response["Content-Language"] == "uk"
    assert results(response)[0]["summary"] == "Мости"


def test_translations_give_every_language_of_every_text_null_where_there_is_none(claim):
    body = Client().get(f"/api/v1/claims/{claim.pk}", {"translations": "true"}).json()
    assert body["translations"]["summary"] == {
        "en": "Ten new bridges",
        "uk": "Десять нових мостів",
        "ru": "Десять новых мостов",
    }
    assert body["topics"][0]["translations"]["name"] == {"en": "Transport", "uk": "Транспорт", "ru": None}
    assert body["timeline"][0]["translations"]["rationale"]["ru"] is None
    assert "translations" not in Client().get(f"/api/v1/claims/{claim.pk}").json()


@pytest.mark.parametrize(("parameters", "field"), [({"lang": "de"}, "lang"), ({"translations": "yes"}, "translations")])
def test_a_language_or_translations_parameter_we_do_not_serve_is_a_clear_400(parameters, field):
    response = Client().get("/api/v1/claims", parameters)
    assert response.status_code == 400
    error = error_of(response)
    assert field in str(error), error


def test_a_stored_answer_in_one_language_is_never_served_in_another():
    factories.ClaimFactory(summary="Bridges", summary_uk="Мости")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/claims")
    ukrainian = Client(HTTP_ACCEPT_LANGUAGE="uk").get("/api/v1/claims")
    assert results(english)[0]["summary"] == "Bridges"
    assert results(ukrainian)[0]["summary"] == "Мости"
    assert english["ETag"] != ukrainian["ETag"]
    revalidated = Client(HTTP_ACCEPT_LANGUAGE="uk").get("/api/v1/claims", HTTP_IF_NONE_MATCH=english["ETag"])
    assert revalidated.status_code == 200


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_page_costs_the_same_queries_in_every_language(django_assert_num_queries, language):
    claims_with_timelines(5)
    with django_assert_num_queries(CLAIM_LIST_QUERIES):
        Client().get("/api/v1/claims", {"page_size": 50, "lang": language})


def test_the_statuses_come_with_their_label_and_meaning_in_the_language_asked_for():
    statuses = Client().get("/api/v1/statuses", {"lang": "ru"}).json()
    kept = next(status for status in statuses if status["scale"] == "promise" and status["slug"] == "kept")
    assert kept["label"] == Status.objects.get(scale="promise", slug="kept").label_ru
    assert (kept["label_language"], kept["meaning_language"]) == ("ru", "ru")


def test_a_claimreview_is_in_one_language_and_says_which(claim):
    uk = Client().get(f"/api/v1/claims/{claim.pk}/claimreview", {"lang": "uk"}).json()
    assert uk["inLanguage"] == "uk"
    assert uk["claimReviewed"] == "Десять нових мостів"
    assert uk["reviewRating"]["alternateName"] == "Виконано"
    # No Russian rationale: the whole review stays English rather than mixing languages.
    ru = Client().get(f"/api/v1/claims/{claim.pk}/claimreview", {"lang": "ru"}).json()
    assert ru["inLanguage"] == "en"
    assert ru["claimReviewed"] == "Ten new bridges"


def test_a_write_in_ukrainian_sets_the_desks_english_text_and_answers_in_ukrainian():
    editor, _ = editor_client()
    response = editor.post(
        "/api/v1/claims?lang=uk", claim_body(summary="Build ten bridges"), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = Claim.objects.get(pk=response.json()["id"])
    assert (created.summary_en, created.summary_uk) == ("Build ten bridges", None)
    assert response.json()["summary_language"] == "en"
    etag = editor.get(f"/api/v1/claims/{created.pk}")["ETag"]
    recorded = editor.post(
        f"/api/v1/claims/{created.pk}/status-updates",
        {
            "status": "in-the-works",
            "effective_on": str(created.made_on),
            "rationale": "Work has started.",
            "evidence": [{"url": "https://news.example/bridges", "title": "Bridges"}],
        },
        content_type="application/json",
        headers={"If-Match": etag, "Accept-Language": "uk"},
    )
    assert recorded.status_code == 201, recorded.content
    update = StatusUpdate.objects.get(claim=created)
    assert (update.rationale_en, update.rationale_uk) == ("Work has started.", None)
    assert recorded["Content-Language"] == "uk"
