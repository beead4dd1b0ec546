"""A claim's wording on every public surface: a quote in quotation marks, a paraphrase never, a
translation names its language."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.html import escape

from claims.models import Wording
from claims.wording import nest_quotes, plain_wording, quoted
from tests.factories import (
    ClaimAppearanceFactory,
    ClaimFactory,
    EditorFactory,
    PersonFactory,
    SourceFactory,
    record_status,
    status_on,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PARAPHRASE = "The mayor said the city would build ten thousand homes by 2027"
VERBATIM = "We will build ten thousand homes by 2027"
TRANSLATION = "We will not give up a single village"
ORIGINAL = "Ми не віддамо жодного села"
QUOTE_MARKS = '“”"„«»'


@pytest.fixture
def mayor():
    return PersonFactory(name="Ada Mayor", slug="ada-mayor", role="Mayor")


@pytest.fixture
def paraphrase(mayor):
    claim = ClaimFactory(claimant=mayor, slug="paraphrase", summary="Homes pledge, reported", quote=PARAPHRASE)
    herald = SourceFactory(title="Mayor launches housing pledge", publisher="Exampleton Herald")
    ClaimAppearanceFactory(claim=claim, source=herald, is_first_appearance=True)
    record_status(
        claim=claim,
        status=status_on("promise", "in-the-works"),
        effective_on=claim.made_on,
        rationale="Budget approved.",
        recorded_by=EditorFactory(),
    )
    return claim


@pytest.fixture
def verbatim(mayor):
    source = SourceFactory(title="Full speech transcript", publisher="City Hall")
    return ClaimFactory(
        claimant=mayor,
        slug="verbatim",
        summary="Homes pledge, in her words",
        quote=VERBATIM,
        wording=Wording.VERBATIM,
        wording_source=source,
    )


@pytest.fixture
def translation(mayor):
    source = SourceFactory(title="Interview on Radio Kyiv", publisher="Radio Kyiv")
    return ClaimFactory(
        claimant=mayor,
        slug="translation",
        summary="No village given up",
        quote=TRANSLATION,
        wording=Wording.TRANSLATION,
        wording_source=source,
        original_language="uk",
        original_text=ORIGINAL,
    )


def wrapped_in_quotes(text: str, html: str) -> bool:
    """Whether ``text`` appears in ``html`` right after an opening quotation mark or inside a blockquote."""
    text = re.escape(escape(text))
    return bool(
        re.search(rf"[{QUOTE_MARKS}]\s*{text}", html) or re.search(rf"<blockquote[^>]*>\s*<p>[^<]*{text}", html)
    )


def test_a_paraphrase_is_never_in_quotation_marks_on_its_page(client, paraphrase):
    page = client.get(paraphrase.get_absolute_url()).content.decode()

    assert PARAPHRASE in page
    assert not wrapped_in_quotes(PARAPHRASE, page)
    assert "Reported by Exampleton Herald" in page
    assert "not in Ada Mayor’s own words" in page


def test_a_paraphrase_names_its_wording_source_before_its_first_appearance(client, mayor):
    claim = ClaimFactory(
        claimant=mayor, quote=PARAPHRASE, wording_source=SourceFactory(publisher="Wire Service", title="Wire")
    )
    ClaimAppearanceFactory(claim=claim, source=SourceFactory(publisher="Exampleton Herald"), is_first_appearance=True)

    assert "Reported by Wire Service" in client.get(claim.get_absolute_url()).content.decode()


def test_a_paraphrase_is_never_in_quotation_marks_in_lists(client, paraphrase):
    for url in ["/claims/", "/people/ada-mayor/", "/"]:
        page = client.get(url).content.decode()
        assert PARAPHRASE in page, url
        assert not wrapped_in_quotes(PARAPHRASE, page), url
        assert "Reported by Exampleton Herald" in page, url


def test_a_paraphrase_is_never_in_quotation_marks_in_the_open_graph_description(client, paraphrase):
    page = client.get(paraphrase.get_absolute_url()).content.decode()
    [description] = re.findall(r'<meta property="og:description" content="([^"]*)">', page)

    assert "as reported by Exampleton Herald" in description
    assert not any(mark in description for mark in "“”„«»")
    assert "&quot;" not in description


def test_a_paraphrase_is_never_in_quotation_marks_in_the_atom_feeds(client, paraphrase):
    for url in ["/feeds/updates/", "/claims/paraphrase/feed/", "/people/ada-mayor/feed/"]:
        root = ET.fromstring(client.get(url).content)  # noqa: S314 - our own output
        [summary] = [entry.find(f"{ATOM}summary").text for entry in root.findall(f"{ATOM}entry")]
        assert PARAPHRASE in summary, url
        assert "as reported by Exampleton Herald" in summary
        assert not any(mark + PARAPHRASE in summary for mark in QUOTE_MARKS)


def test_a_verbatim_quote_is_in_quotation_marks_attributed_to_the_speaker_and_its_source(client, verbatim):
    page = client.get(verbatim.get_absolute_url()).content.decode()

    assert f'<blockquote cite="{verbatim.wording_source.url}"><p>“{VERBATIM}”</p></blockquote>' in page
    assert "Ada Mayor</a>, Mayor," in page
    assert "Full speech transcript</a></cite> (City Hall)" in page
    assert (
        f"“{VERBATIM}” — Ada Mayor, in <cite>Full speech transcript</cite>" in client.get("/claims/").content.decode()
    )
    assert f"Ada Mayor: “{VERBATIM}” in Full speech transcript (City Hall)" in page  # the meta description


def test_a_translation_names_its_language_and_shows_the_original(client, translation):
    page = client.get(translation.get_absolute_url()).content.decode()

    assert f"“{TRANSLATION}”" in page
    assert "Translated from Ukrainian (uk)" in page
    assert f'<blockquote lang="uk"><p>“{ORIGINAL}”</p></blockquote>' in page
    assert "Translated from Ukrainian (uk)" in client.get("/claims/").content.decode()
    assert "Translated from Ukrainian (uk)" in plain_wording(translation)


def test_a_quote_inside_a_quote_gets_single_marks():
    assert nest_quotes("He called it “a disgrace” twice") == "He called it ‘a disgrace’ twice"
    assert nest_quotes('He called it "a disgrace" and "a shame"') == "He called it ‘a disgrace’ and ‘a shame’"
    assert quoted("“Already quoted”") == "“Already quoted”"
    assert quoted("Plain words") == "“Plain words”"


def test_a_nested_quote_is_shown_with_single_marks_on_the_page(client, mayor):
    claim = ClaimFactory(
        claimant=mayor,
        quote="This budget is “a disgrace”, they said",
        wording=Wording.VERBATIM,
        wording_source=SourceFactory(),
    )

    page = client.get(claim.get_absolute_url()).content.decode()

    assert "“This budget is ‘a disgrace’, they said”" in page
    assert "“a disgrace”" not in page
