"""The demo's Ukrainian and Russian texts: the desk's translations of its English, loaded beside it
by ``load_demo`` without overwriting an editor's own, and the shipped rating scales in both languages."""

from __future__ import annotations

import importlib
import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from claims.models import Claim, Status, StatusUpdate, Topic
from sampledata import demo, demo_translations

LANGUAGES = ("uk", "ru")
SUMMARY_LIMIT = 120
BADGE_LABEL_LIMIT = 30  # short like the English ones (at most 25 characters): they are shown on badges
SHIPPED_SCALES = importlib.import_module("claims.migrations.0003_rating_scales").SCALES
# English name → (Ukrainian spelling, Russian spelling): stems, so every grammatical case matches.
NAMES = {
    "Putin": ("Путін", "Путин"),
    "Trump": ("Трамп", "Трамп"),
    "Zelenskyy": ("Зеленськ", "Зеленск"),
    "Peskov": ("Пєсков", "Песков"),
    "Kremlin": ("Кремл", "Кремл"),
    "Sochi": ("Сочі", "Сочи"),
    "Biden": ("Байден", "Байден"),
    "Harris": ("Гарріс", "Харрис"),
    "Dagestan": ("Дагестан", "Дагестан"),
    "NATO": ("НАТО", "НАТО"),
}


def english_and_translations() -> list[tuple[str, str, dict[str, str]]]:
    """(what it is, the English, its translations) for every translated demo text."""
    texts = [(f"topic {name}", name, demo_translations.TOPIC_NAMES[name]) for name in demo_topic_names()]
    for entry in demo.CLAIMS:
        texts.append((f"summary of {entry.slug}", entry.summary, demo_translations.CLAIM_SUMMARIES[entry.slug]))
        for index, update in enumerate(entry.updates):
            key = (entry.slug, index)
            texts.append((f"rationale {key}", update.rationale, demo_translations.UPDATE_RATIONALES[key]))
    return texts


def demo_topic_names() -> set[str]:
    return {name for entry in demo.CLAIMS for name in entry.topics}


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def translation_columns() -> dict[str, list[tuple]]:
    return {
        "topics": list(Topic.objects.order_by("pk").values_list("pk", "name_uk", "name_ru")),
        "claims": list(Claim.objects.order_by("pk").values_list("pk", "summary_uk", "summary_ru", "version")),
        "updates": list(StatusUpdate.objects.order_by("pk").values_list("pk", "rationale_uk", "rationale_ru")),
    }


def test_every_demo_topic_summary_and_rationale_has_a_translation_and_nothing_else_does():
    assert set(demo_translations.TOPIC_NAMES) == demo_topic_names()
    assert set(demo_translations.CLAIM_SUMMARIES) == {entry.slug for entry in demo.CLAIMS}
    assert set(demo_translations.UPDATE_RATIONALES) == {
        (entry.slug, index) for entry in demo.CLAIMS for index in range(len(entry.updates))
    }


def test_every_translation_is_ukrainian_and_russian_text_that_differs_from_the_english():
    for what, english, translations in english_and_translations():
        assert set(translations) == set(LANGUAGES), what
        for language, text in translations.items():
            assert text.strip() == text != "", (what, language)
            assert text != english, (what, language)
            assert re.search(r"[а-яА-ЯіїєґІЇЄҐ]", text), (what, language)


def test_every_summary_translation_fits_the_summary_limit():
    for slug, translations in demo_translations.CLAIM_SUMMARIES.items():
        for language, text in translations.items():
            assert len(text) <= SUMMARY_LIMIT, (slug, language, len(text))


def test_every_number_and_figure_of_the_english_is_kept_in_each_translation():
    for what, english, translations in english_and_translations():
        for language, text in translations.items():
            assert sorted(re.findall(r"\d+", text)) == sorted(re.findall(r"\d+", english)), (what, language)
            assert english.count("$") == text.count("$"), (what, language)


def test_quoted_words_stay_quoted_in_guillemets_in_each_translation():
    for what, english, translations in english_and_translations():
        quoted = english.count("“")
        assert quoted == english.count("”"), what
        for language, text in translations.items():
            assert text.count("«") == text.count("»") == quoted, (what, language)
            assert not re.search(r"[“”\"„]", text), (what, language)


def test_names_are_spelt_the_ukrainian_way_in_ukrainian_and_the_russian_way_in_russian():
    for what, english, translations in english_and_translations():
        for name, (ukrainian, russian) in NAMES.items():
            if name in english:
                assert ukrainian in translations["uk"], (what, name)
                assert russian in translations["ru"], (what, name)
        assert not re.search(r"Зеленск|Путин|Песков|Сочи\b", translations["uk"]), what
        assert not re.search(r"Зеленськ|Путін|Пєсков|Сочі|[іїєґ]", translations["ru"]), what


@pytest.mark.django_db
def test_loading_the_demo_fills_the_ukrainian_and_russian_columns():
    load_demo()
    for name, translations in demo_translations.TOPIC_NAMES.items():
        topic = Topic.objects.get(name_en=name)
        assert (topic.name_uk, topic.name_ru) == (translations["uk"], translations["ru"])
    for entry in demo.CLAIMS:
        claim = Claim.objects.get(slug=entry.slug)
        expected = demo_translations.CLAIM_SUMMARIES[entry.slug]
        assert claim.summary_en == entry.summary
        assert (claim.summary_uk, claim.summary_ru) == (expected["uk"], expected["ru"])
        updates = list(claim.status_updates.order_by("pk"))
        assert len(updates) == len(entry.updates)
        for index, (update, demo_update) in enumerate(zip(updates, entry.updates, strict=True)):
            expected = demo_translations.UPDATE_RATIONALES[(entry.slug, index)]
            assert update.rationale_en == demo_update.rationale
            assert (update.rationale_uk, update.rationale_ru) == (expected["uk"], expected["ru"])


@pytest.mark.django_db
def test_a_loaded_claim_reads_in_the_language_that_is_active():
    load_demo()
    slug = "isw-ukraine-strikes-russian-naval-base-in-dagestan"
    claim = Claim.objects.get(slug=slug)
    correction = claim.status_updates.get(corrects__isnull=False)
    for language in LANGUAGES:
        with translation.override(language):
            assert claim.summary == demo_translations.CLAIM_SUMMARIES[slug][language]
            assert correction.rationale == demo_translations.UPDATE_RATIONALES[(slug, 1)][language]
            assert {topic.name for topic in claim.topics.all()} == {
                demo_translations.TOPIC_NAMES[name][language] for name in ("Russia–Ukraine war", "Front line")
            }
    with translation.override("en"):
        assert claim.summary == demo.CLAIMS[-1].summary


@pytest.mark.django_db
def test_loading_the_demo_a_second_time_changes_no_translation():
    load_demo()
    before = translation_columns()
    assert "nothing changed" in load_demo()
    assert translation_columns() == before


@pytest.mark.django_db
def test_loading_the_demo_again_keeps_an_editors_translation_and_fills_only_what_is_missing():
    load_demo()
    edited = Claim.objects.get(slug="trump-end-ukraine-war-quickly")
    Claim.objects.filter(pk=edited.pk).update(summary_uk="Переклад редактора")
    missing = Claim.objects.get(slug="putin-no-idea-what-to-expect-from-trump")
    Claim.objects.filter(pk=missing.pk).update(summary_ru=None)
    blank = StatusUpdate.objects.get(claim=missing)
    StatusUpdate.objects.filter(pk=blank.pk).update(rationale_uk="")

    output = load_demo()

    assert "filled 2 translations" in output
    edited.refresh_from_db()
    assert edited.summary_uk == "Переклад редактора"
    missing.refresh_from_db()
    assert missing.summary_ru == demo_translations.CLAIM_SUMMARIES[missing.slug]["ru"]
    blank.refresh_from_db()
    assert blank.rationale_uk == demo_translations.UPDATE_RATIONALES[(missing.slug, 0)]["uk"]


@pytest.mark.django_db
def test_a_text_reworded_in_english_gets_no_translation_of_the_old_english():
    load_demo()
    claim = Claim.objects.get(slug="trump-end-ukraine-war-quickly")
    Claim.objects.filter(pk=claim.pk).update(summary_en="Trump pledges a quick end to the war", summary_uk=None)

    load_demo()

    claim.refresh_from_db()
    assert claim.summary_uk is None


@pytest.mark.django_db
def test_the_shipped_scales_have_ukrainian_and_russian_labels_and_meanings_for_every_status():
    for scale, entries in SHIPPED_SCALES.items():
        statuses = Status.objects.filter(scale=scale, slug__in=[entry[0] for entry in entries])
        assert statuses.count() == len(entries), scale
        for language in LANGUAGES:
            labels = [getattr(status, f"label_{language}") for status in statuses]
            assert len(set(labels)) == len(labels), (scale, language)
            for status in statuses:
                label, meaning = getattr(status, f"label_{language}"), getattr(status, f"meaning_{language}")
                assert label, (scale, status.slug, language)
                assert meaning, (scale, status.slug, language)
                assert label != status.label_en, (scale, status.slug, language)
                assert meaning != status.meaning_en, (scale, status.slug, language)
                assert len(label) <= BADGE_LABEL_LIMIT, (scale, status.slug, language, label)


@pytest.mark.django_db
def test_the_promise_scale_reads_in_ukrainian_on_its_badges():
    with translation.override("uk"):
        labels = list(Status.objects.filter(scale="promise").order_by("order").values_list("label", flat=True))
    assert labels == [
        "Ще не оцінено",
        "У роботі",
        "Загальмовано",
        "Компроміс",
        "Виконано",
        "Порушено",
        "Неясно / неможливо оцінити",
    ]
