"""The interface catalogues are complete and compiled, and the pages read in Ukrainian and Russian.

``scripts/check_translations.py`` is what CI runs after ``makemessages``; these tests hold the
committed catalogues to the same rules and check the pages themselves: no English sentence of the
interface is left on a page read in another language.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from claims.models import Claim
from public.templatetags.language_links import path_in_language
from scripts.check_translations import LANGUAGES, PLURAL_FORMS, problems

ROOT = Path(__file__).resolve().parent.parent


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_has_a_translation_that_is_not_fuzzy(language):
    assert problems(language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_one_in_the_po_file(language):
    written = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in catalogue(language)}
    compiled = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    assert {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in compiled if entry.msgid} == {
        key: value for key, value in written.items() if value
    }, "run `make messages` to compile the catalogues"


def plural_form(count: int) -> int:
    if count % 10 == 1 and count % 100 != 11:
        return 0
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return 1
    return 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_counts_take_the_three_plural_forms_of_ukrainian_and_russian(language):
    entries = [entry for entry in catalogue(language) if entry.msgid_plural]
    assert entries
    with translation.override(language):
        for entry in entries:
            for count in (1, 2, 5, 11, 21, 22, 25, 112):
                got = (
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, count)
                )
                assert got == entry.msgstr_plural[plural_form(count)], (entry.msgid, count)
    assert len(entries[0].msgstr_plural) == PLURAL_FORMS


def english_sentences(language: str) -> set[str]:
    """Interface strings of several words whose translation differs: none may be left on a page."""
    found = set()
    for entry in catalogue(language):
        text = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|<[^>]+>", "|", entry.msgid)
        for piece in text.split("|"):
            piece = " ".join(piece.split()).strip(" .,:;()")
            if len(piece.split()) >= 3 and entry.msgstr and piece not in entry.msgstr:
                found.add(piece)
    return found


def visible_text(content: bytes) -> str:
    page = content.decode()
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    # Texts marked as English (a summary without a translation yet) are the record, not the interface.
    page = re.sub(r'(?s)<(\w+)[^>]*\slang="en"[^>]*>.*?</\1>', " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_list_claim_and_methodology_pages_have_no_english_interface_text_left(demo, language):
    claim = Claim.objects.published().get(slug="trump-end-ukraine-war-quickly")
    english = english_sentences(language)
    for path in ("/", "/claims/", claim.get_absolute_url(), "/methodology/"):
        response = Client().get(f"/{language}{path}")
        assert response.status_code == 200, path
        assert response["Content-Language"] == language
        text = visible_text(response.content)
        left = sorted(sentence for sentence in english if sentence in text)
        assert left == [], f"/{language}{path} still shows: {left[:5]}"


def test_each_page_names_its_language_and_links_every_other_by_address(demo):
    response = Client().get("/uk/claims/")
    page = response.content.decode()
    assert '<html lang="uk">' in page
    assert 'hreflang="en" href="http://testserver/claims/"' in page
    assert 'hreflang="ru" href="http://testserver/ru/claims/"' in page
    assert 'hreflang="x-default" href="http://testserver/claims/"' in page
    assert 'href="/ru/claims/" hreflang="ru" lang="ru"' in page
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_sitemap_lists_every_page_in_every_language_with_its_alternates(demo):
    content = Client().get("/sitemap.xml").content.decode()
    claim = "claims/trump-end-ukraine-war-quickly/"
    for prefix in ("", "uk/", "ru/"):
        assert f"<loc>http://testserver/{prefix}{claim}</loc>" in content
    assert f'hreflang="uk" href="http://testserver/uk/{claim}"' in content
    assert f'hreflang="x-default" href="http://testserver/{claim}"' in content


def test_the_atom_feed_of_each_language_says_its_language_and_has_its_own_address(demo):
    feed = Client().get("/ru/feeds/updates/").content.decode()
    assert 'xml:lang="ru"' in feed
    assert 'href="http://testserver/ru/feeds/updates/" rel="self"' in feed


def test_oembed_answers_in_the_language_of_the_page_it_embeds(demo):
    response = Client().get("/oembed", {"url": "http://testserver/uk/claims/trump-end-ukraine-war-quickly/"})
    assert response.status_code == 200
    assert response["Content-Language"] == "uk"
    body = response.json()
    claim = Claim.objects.get(slug="trump-end-ukraine-war-quickly")
    assert body["title"] == claim.summary_uk
    assert "/uk/embed/claims/trump-end-ukraine-war-quickly/" in body["html"]


@pytest.mark.parametrize(
    ("path", "current", "code", "expected"),
    [
        ("/claims/?q=war", "en", "uk", "/uk/claims/?q=war"),
        ("/uk/claims/x/", "uk", "en", "/claims/x/"),
        ("/uk/claims/x/", "uk", "ru", "/ru/claims/x/"),
        ("/uk/", "uk", "en", "/"),
        ("/ukraine-facts/", "en", "ru", "/ru/ukraine-facts/"),
    ],
)
def test_the_same_page_in_another_language_differs_only_by_its_prefix(path, current, code, expected):
    assert path_in_language(path, current, code) == expected
