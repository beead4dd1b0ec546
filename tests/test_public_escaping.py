"""Text that editors or claimants supplied is always escaped: a stored <script> never reaches a
page, a feed or the JSON-LD as markup."""

import json
import re

import pytest

from tests.factories import (
    ClaimAppearanceFactory,
    ClaimFactory,
    EditorFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
    record_status,
    status_on,
)

pytestmark = pytest.mark.django_db

PAYLOAD = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_claim():
    person = PersonFactory(slug="hostile", name=f"Name {PAYLOAD}", role=f"Role {PAYLOAD}", bio=f"Bio {PAYLOAD}")
    claim = ClaimFactory(
        claimant=person, slug="hostile-claim", quote=f"Quote {PAYLOAD}", summary="Summary </script><b>bold</b> & co"
    )
    claim.topics.add(TopicFactory(name=f"Topic {PAYLOAD}"[:80]))
    ClaimAppearanceFactory(claim=claim, source=SourceFactory(title=f"Source {PAYLOAD}"), excerpt=f"Excerpt {PAYLOAD}")
    record_status(
        claim=claim,
        status=status_on("promise", "kept"),
        effective_on=claim.made_on,
        rationale=f"Rationale {PAYLOAD}",
        recorded_by=EditorFactory(first_name="Eve<script>", last_name="</script>"),
        evidence=[SourceFactory(title=f"Evidence {PAYLOAD}")],
    )
    return claim


@pytest.mark.parametrize("path", ["/claims/hostile-claim/", "/people/hostile/", "/claims/", "/"])
def test_a_stored_script_payload_never_reaches_a_page_as_markup(client, hostile_claim, path):
    page = client.get(path).content.decode()

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    # The only script elements are the JSON-LD one the claim page adds.
    assert page.count("<script") == page.count('<script type="application/ld+json">')
    assert page.count("</script>") == page.count('<script type="application/ld+json">')


def test_the_payload_is_shown_as_text(client, hostile_claim):
    page = client.get("/claims/hostile-claim/").content.decode()

    assert "Quote &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Rationale &lt;/script&gt;" in page


def test_the_json_ld_escapes_the_payload_and_still_parses_to_the_original_text(client, hostile_claim):
    page = client.get("/claims/hostile-claim/").content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1)
    assert "<" not in block
    assert ">" not in block
    assert "&" not in block
    review = json.loads(block)
    assert review["claimReviewed"] == "Summary </script><b>bold</b> & co"
    assert review["reviewRating"]["ratingExplanation"] == f"Rationale {PAYLOAD}"
    assert review["itemReviewed"]["author"]["name"] == f"Name {PAYLOAD}"


def test_the_feeds_carry_the_payload_as_escaped_text(client, hostile_claim):
    body = client.get("/feeds/updates/").content.decode()

    assert "<script>" not in body
    assert "&lt;script&gt;" in body


def test_wording_sources_translations_removals_and_withdrawals_are_escaped(client, hostile_claim):
    from claims import services
    from claims.models import Wording
    from tests.factories import SuperuserFactory

    translated = ClaimFactory(
        claimant=hostile_claim.claimant,
        slug="hostile-translation",
        quote=f"Translated {PAYLOAD}",
        wording=Wording.TRANSLATION,
        wording_source=SourceFactory(title=f"Wording {PAYLOAD}", publisher=f"Publisher {PAYLOAD}"),
        original_language='uk"><script>alert(1)</script>',
        original_text=f"Original {PAYLOAD}",
    )
    update = hostile_claim.status_updates.get()
    services.status_update_remove(update=update, removed_by=SuperuserFactory(), reason=f"Removed {PAYLOAD}")
    gone = ClaimFactory(claimant=hostile_claim.claimant, slug="hostile-gone")
    services.claim_set_visibility(claim=gone, visibility="withdrawn", changed_by=None, reason=f"Gone {PAYLOAD}")

    for path in [translated.get_absolute_url(), "/claims/hostile-claim/", "/claims/hostile-gone/", "/corrections/"]:
        page = client.get(path).content.decode()
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page, path
    for path in ["/corrections/feed/", "/feeds/updates/"]:
        body = client.get(path).content.decode()
        assert "<script>" not in body, path
