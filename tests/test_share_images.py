"""Share images (Open Graph / Twitter large card): one per claim and per scorecard, 1200×630 PNGs
that are legible (large text, enough contrast, the verdict badge in the status colour), stay
inside the frame whatever the text, render Cyrillic, follow the claim's version for caching, and
are declared on the claim page with their size and alt text."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone, translation
from PIL import Image

from claims.models import Claim, Visibility
from embeds import share_images
from tests import factories
from tests.api_support import published_claim, record
from tests.scorecard_support import TermFactory

pytestmark = pytest.mark.django_db

KEPT_GREEN = (0x15, 0x80, 0x3D)  # the shipped colour of "Kept"
BROKEN_RED = (0xB9, 0x1C, 0x1C)
NOT_YET_GREY = (0x6B, 0x72, 0x80)
WHITE = (255, 255, 255)


def image_of(response) -> Image.Image:
    assert response.status_code == 200, response.content[:200]
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image.convert("RGB")


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pixels_in(image: Image.Image, box) -> list[tuple[int, int, int]]:
    return list(image.crop((box.x, box.y, box.right, box.bottom)).get_flattened_data())


def ink_and_ground(image: Image.Image, box) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The most common colour in the box (what the text is on) and the one furthest from it (the glyphs' cores)."""
    pixels = pixels_in(image, box)
    ground = max(set(pixels), key=pixels.count)
    ink = max(pixels, key=lambda pixel: sum(abs(a - b) for a, b in zip(pixel, ground, strict=True)))
    return ink, ground


@pytest.fixture
def claim():
    mayor = factories.PersonFactory(name="Ada Mayor", role="Mayor of Springfield", slug="ada-mayor")
    claim = published_claim(claimant=mayor, summary="Build 10,000 affordable homes by 2027", slug="build-homes")
    record(claim, "kept", days_after=3)
    claim.refresh_from_db()
    return claim


# --- The claim's image -------------------------------------------------------------------------------


def test_a_claims_image_is_a_1200_by_630_png_of_modest_size(client, claim):
    response = client.get("/share/claims/build-homes.png")

    image = image_of(response)
    assert image.size == (1200, 630)
    assert len(response.content) < 300_000


def test_the_verdict_badge_is_drawn_in_the_status_colour_with_legible_text(client, claim):
    image = image_of(client.get("/share/claims/build-homes.png"))
    layout = share_images.layout_of_claim(claim)
    badge = layout.shape("badge").box

    # The pill's flat top edge and its left end, away from the label.
    assert image.getpixel((badge.x + badge.width // 2, badge.y + 3)) == KEPT_GREEN
    assert image.getpixel((badge.x + 12, badge.y + badge.height // 2)) == KEPT_GREEN
    ink, ground = ink_and_ground(image, layout.text("badge-label").box)
    assert ground == KEPT_GREEN
    assert ink == WHITE
    assert contrast(ink, ground) >= 4.5
    assert layout.text("badge-label").lines == ["Kept"]


def test_the_summary_is_large_dark_text_on_white_and_not_in_quotation_marks(client, claim):
    image = image_of(client.get("/share/claims/build-homes.png"))
    summary = share_images.layout_of_claim(claim).text("summary")

    assert summary.size >= 30
    assert " ".join(summary.lines) == "Build 10,000 affordable homes by 2027"
    assert not re.search(r"[\"“”«»„]", " ".join(summary.lines))
    ink, ground = ink_and_ground(image, summary.box)
    assert ground == WHITE
    assert contrast(ink, ground) >= 4.5


def test_the_image_names_the_publisher_and_the_claimant(claim, settings):
    settings.CLAIMTRACKER_PUBLISHER_NAME = "Springfield Fact Desk"

    layout = share_images.layout_of_claim(claim)

    assert layout.text("publisher").lines == ["Springfield Fact Desk"]
    assert layout.text("claimant").lines == ["Ada Mayor, Mayor of Springfield"]


def test_a_very_long_summary_is_wrapped_to_four_lines_and_ends_with_an_ellipsis_inside_the_frame():
    summary = "Repair every bridge, school and clinic in the region " * 6
    layout = share_images.claim_layout(
        publisher="Claim Tracker" * 20,
        claimant="A very long name " * 20,
        summary=summary,
        status_label="In the works",
        status_colour="#1d4ed8",
        status_ink="#ffffff",
    )

    text = layout.text("summary")
    assert len(text.lines) == 4
    assert text.truncated
    assert text.lines[-1].endswith("…")
    assert text.size >= 30
    assert layout.text("publisher").lines[0].endswith("…")
    for item in [*layout.texts, *layout.shapes]:
        assert item.box.inside(1200, 630), item
    # The summary's lines stay clear of the badge under them.
    assert text.box.bottom <= layout.shape("badge").box.y


def test_a_word_longer_than_a_line_is_cut_to_fit():
    layout = share_images.claim_layout(
        publisher="Desk",
        claimant="Someone",
        summary="W" * 120,
        status_label="Kept",
        status_colour="#15803d",
        status_ink="#ffffff",
    )

    text = layout.text("summary")
    assert 1 < len(text.lines) <= 4
    assert "".join(text.lines).rstrip("…").replace("W", "") == ""
    assert text.box.inside(1200, 630)


def test_a_short_summary_is_set_larger_than_a_long_one():
    def size(summary: str) -> int:
        return (
            share_images.claim_layout(
                publisher="Desk",
                claimant="Someone",
                summary=summary,
                status_label="Kept",
                status_colour="#15803d",
                status_ink="#ffffff",
            )
            .text("summary")
            .size
        )

    assert size("Plant trees") > size("Plant a million trees in every district, park and schoolyard " * 3)


def test_cyrillic_letters_are_drawn_not_replaced_by_the_missing_glyph_box():
    face = share_images.font(48, bold=True)
    masks = {letter: bytes(face.getmask(letter)) for letter in "ЖїЩяЄ"}

    for letter in "ЖїЩяЄ":
        assert face.getmask(letter).getbbox() is not None, letter
    # The missing-glyph box is one shape: five letters drawn alike would be five boxes.
    assert len(set(masks.values())) == 5
    assert face.getlength("Житло") != face.getlength("\uffff" * 5)


def test_the_ukrainian_address_draws_the_ukrainian_summary_and_status(client, claim):
    Claim.objects.filter(pk=claim.pk).update(summary_uk="Збудувати 10 000 доступних осель до 2027 року")
    claim = Claim.objects.select_related("claimant", "current_status").get(pk=claim.pk)

    english = client.get("/share/claims/build-homes.png")
    ukrainian = client.get("/uk/share/claims/build-homes.png")

    assert image_of(ukrainian).size == (1200, 630)
    assert ukrainian.content != english.content
    assert ukrainian.headers["ETag"] != english.headers["ETag"]
    with translation.override("uk"):
        layout = share_images.layout_of_claim(claim)
    assert " ".join(layout.text("summary").lines) == "Збудувати 10 000 доступних осель до 2027 року"
    assert layout.text("badge-label").lines == ["Виконано"]


def test_drafts_and_unknown_claims_have_no_image_and_a_withdrawn_one_is_gone(client):
    factories.DraftClaimFactory(slug="secret", summary="Secret draft")
    factories.ClaimFactory(
        slug="taken-down",
        visibility=Visibility.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="Misattributed.",
    )

    draft = client.get("/share/claims/secret.png")
    assert draft.status_code == 404
    assert b"Secret draft" not in draft.content
    assert client.get("/share/claims/no-such-claim.png").status_code == 404
    assert client.get("/share/claims/taken-down.png").status_code == 410


def test_the_image_is_cacheable_and_answers_304_to_a_current_copy(client, claim):
    first = client.get("/share/claims/build-homes.png")

    assert "public" in first.headers["Cache-Control"]
    assert "max-age=300" in first.headers["Cache-Control"]
    assert first.headers["ETag"].startswith('"image-')
    assert first.headers["Last-Modified"]
    again = client.get("/share/claims/build-homes.png", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_status_update_gives_a_new_image_under_a_new_etag(client, claim):
    first = client.get("/share/claims/build-homes.png")

    record(claim, "broken", days_after=10)
    second = client.get("/share/claims/build-homes.png", headers={"If-None-Match": first.headers["ETag"]})

    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    badge = share_images.layout_of_claim(Claim.objects.get(pk=claim.pk)).shape("badge").box
    assert image_of(second).getpixel((badge.x + badge.width // 2, badge.y + 3)) == BROKEN_RED


def test_the_image_and_the_card_and_the_page_have_different_etags(client, claim):
    etags = {
        client.get(path).headers["ETag"]
        for path in ("/share/claims/build-homes.png", "/embed/claims/build-homes/", "/claims/build-homes/")
    }

    assert len(etags) == 3


def test_a_claims_image_takes_four_queries_then_one_from_the_cache(client, claim, django_assert_num_queries):
    # 1 the data version, 2 the claim's freshness, 3 the status scales (ETag), 4 the claim with
    # claimant and status.
    with django_assert_num_queries(4):
        assert client.get("/share/claims/build-homes.png").status_code == 200
    # The data version; the validators and the drawn bytes are remembered under it.
    with django_assert_num_queries(1):
        assert client.get("/share/claims/build-homes.png").status_code == 200


def test_only_get_and_head_are_answered(client, claim):
    assert client.post("/share/claims/build-homes.png").status_code == 405
    assert client.head("/share/claims/build-homes.png").status_code == 200


# --- The claim page declares it -----------------------------------------------------------------------


def meta(html: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert found is not None, name
    return found.group(1)


def test_the_claim_page_declares_its_image_with_size_and_alt_text(client, claim):
    html = client.get("/claims/build-homes/").content.decode()

    assert meta(html, "property", "og:image") == "http://testserver/share/claims/build-homes.png"
    assert meta(html, "property", "og:image:width") == "1200"
    assert meta(html, "property", "og:image:height") == "630"
    assert meta(html, "property", "og:image:type") == "image/png"
    assert (
        meta(html, "property", "og:image:alt") == "Kept: Build 10,000 affordable homes by 2027 — a claim by Ada Mayor"
    )
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:image") == "http://testserver/share/claims/build-homes.png"


def test_the_alt_text_escapes_what_editors_typed(client):
    published_claim(
        claimant=factories.PersonFactory(name='Bob "The Builder"'), summary='Build <b>"homes"</b>', slug="escaped"
    )

    html = client.get("/claims/escaped/").content.decode()

    assert (
        '<meta property="og:image:alt" content="Not yet rated: Build &lt;b&gt;&quot;homes&quot;&lt;/b&gt; '
        '— a claim by Bob &quot;The Builder&quot;">' in html
    )


def test_the_ukrainian_claim_page_declares_the_ukrainian_image(client, claim):
    html = client.get("/uk/claims/build-homes/").content.decode()

    assert meta(html, "property", "og:image") == "http://testserver/uk/share/claims/build-homes.png"


def test_a_page_as_of_an_earlier_day_declares_no_image_of_todays_status(client):
    claim = published_claim(
        summary="Fix the roads", slug="roads", published_at=timezone.now() - datetime.timedelta(days=50)
    )
    record(claim, "kept", days_after=3)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    html = client.get(f"/claims/roads/?as_of={yesterday}").content.decode()

    assert "noindex" in html
    assert 'property="og:image"' not in html
    assert "Kept:" not in html.split("</head>")[0]


# --- Scorecard images ---------------------------------------------------------------------------------


@pytest.fixture
def mayor_with_record():
    """Six pledges: 1 kept, 2 broken, 1 in the works, 2 not yet rated."""
    mayor = factories.PersonFactory(name="Ada Mayor", role="Mayor of Springfield", slug="ada-mayor")
    for index, status in enumerate(["kept", "broken", "broken", "in-the-works", None, None]):
        pledge = published_claim(claimant=mayor, summary=f"Pledge {index}")
        if status:
            record(pledge, status, days_after=3)
    return mayor


def test_a_persons_scorecard_image_shows_the_shares_of_the_verdicts_and_the_counts(client, mayor_with_record):
    image = image_of(client.get("/share/people/ada-mayor/scorecard.png"))
    layout = share_images.layout_of_person(mayor_with_record)

    assert image.size == (1200, 630)
    assert layout.text("title").lines == ["Ada Mayor"]
    assert layout.text("subtitle").lines == ["Mayor of Springfield"]
    shares = dict(
        zip(
            [" ".join(text.lines) for text in layout.texts_of("share-label")],
            [text.lines[0] for text in layout.texts_of("share")],
            strict=True,
        )
    )
    # 1 kept and 2 broken of 3 verdicts.
    assert shares["Kept"] == "33%"
    assert shares["Broken"] == "67%"
    assert shares["Compromise"] == "0%"
    assert layout.text("shares-caption").lines == ["Of the 3 pledges with a verdict:"]
    assert layout.text("totals").lines == ["6 pledges · 3 with a verdict · 3 still being tracked"]
    assert layout.text("title").size >= 30
    for share in layout.texts_of("share"):
        assert share.size >= 30


def test_the_bar_gives_each_status_its_share_of_the_width_in_its_colour(client, mayor_with_record):
    image = image_of(client.get("/share/people/ada-mayor/scorecard.png"))
    layout = share_images.layout_of_person(mayor_with_record)
    segments = layout.shapes_of("bar-segment")

    # Not yet rated 2, in the works 1, kept 1, broken 2, of 6, across 1072 pixels.
    assert [segment.fill for segment in segments] == ["#6b7280", "#1d4ed8", "#15803d", "#b91c1c"]
    assert [segment.box.width for segment in segments] == [357, 179, 179, 357]
    assert sum(segment.box.width for segment in segments) == layout.shape("bar").box.width == 1072
    for segment in segments:
        box = segment.box
        assert image.getpixel((box.right - 4, box.y + 4)) == tuple(int(segment.fill[i : i + 2], 16) for i in (1, 3, 5))
    for count in layout.texts_of("bar-count"):
        assert (
            contrast(
                tuple(int(count.colour[i : i + 2], 16) for i in (1, 3, 5)),
                tuple(int(count.background[i : i + 2], 16) for i in (1, 3, 5)),
            )
            >= 4.5
        )
    assert [" ".join(text.lines) for text in layout.texts_of("legend")] == [
        "Not yet rated: 2",
        "In the works: 1",
        "Kept: 1",
        "Broken: 2",
    ]


def test_a_scorecard_with_no_verdict_says_so(client):
    person = published_claim(claimant=factories.PersonFactory(slug="newcomer"), summary="Fix roads").claimant

    layout = share_images.layout_of_person(person)

    assert layout.text("no-verdicts").lines == ["No verdicts yet"]
    assert layout.texts_of("share") == []
    assert image_of(client.get("/share/people/newcomer/scorecard.png")).size == (1200, 630)


def test_a_terms_image_says_which_day_of_the_term_it_is(client):
    today = timezone.localdate()
    person = factories.PersonFactory(name="Ada Mayor")
    term = TermFactory(
        person=person, office="Mayor of Springfield", starts_on=today - datetime.timedelta(days=99), ends_on=None
    )
    record(published_claim(claimant=person, term=term, summary="Fix roads"), "kept", days_after=3)

    image = image_of(client.get(f"/share/terms/{term.pk}.png"))
    layout = share_images.layout_of_term(term)

    assert image.size == (1200, 630)
    assert layout.text("day").lines == ["Day 100"]
    assert layout.text("subtitle").lines[0].startswith("Mayor of Springfield · from ")
    assert layout.text("title").box.right < layout.text("day").box.x


def test_a_long_name_beside_the_day_is_set_smaller_rather_than_cut_short():
    person = factories.PersonFactory(name="Олена Петренко-Кривошиєнко")
    term = TermFactory(person=person, starts_on=timezone.localdate() - datetime.timedelta(days=400), ends_on=None)
    published_claim(claimant=person, term=term, summary="Fix roads", made_on=timezone.localdate())

    layout = share_images.layout_of_term(term)

    title = layout.text("title")
    assert title.lines == ["Олена Петренко-Кривошиєнко"]
    assert 36 <= title.size < 52
    assert title.box.right < layout.text("day").box.x


def test_a_term_that_has_ended_shows_its_dates_and_no_day(client):
    person = factories.PersonFactory(name="Ada Mayor")
    term = TermFactory(
        person=person, office="Mayor", starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2022, 12, 31)
    )
    published_claim(claimant=person, term=term, made_on=datetime.date(2020, 5, 1), summary="Fix roads")

    layout = share_images.layout_of_term(term)

    assert layout.texts_of("day") == []
    assert layout.text("subtitle").lines == ["Mayor · 1 January 2019 – 31 December 2022"]


def test_the_trackers_image_counts_every_pledge(client, mayor_with_record):
    image = image_of(client.get("/share/scorecard.png"))

    assert image.size == (1200, 630)
    assert share_images.layout_of_tracker().text("totals").lines[0].startswith("6 pledges")


def test_a_scorecard_in_ukrainian_with_every_status_stays_inside_the_frame(client):
    person = factories.PersonFactory(name="Олена Петренко", role="Мер міста " * 12, slug="olena")
    for index, status in enumerate(
        ["not-yet-rated", "in-the-works", "stalled", "compromise", "kept", "broken", "unclear"]
    ):
        pledge = published_claim(claimant=person, summary=f"Обіцянка {index}")
        if status != "not-yet-rated":
            record(pledge, status, days_after=3)

    image = image_of(client.get("/uk/share/people/olena/scorecard.png"))
    with translation.override("uk"):
        layout = share_images.layout_of_person(person)

    assert image.size == (1200, 630)
    assert layout.text("title").lines == ["Олена Петренко"]
    assert layout.text("subtitle").truncated
    assert len(layout.texts_of("legend")) == 7
    for item in [*layout.texts, *layout.shapes]:
        assert item.box.inside(1200, 630), item


def test_who_has_no_published_claim_has_no_scorecard_image(client):
    factories.PersonFactory(slug="nobody")
    hidden = factories.PersonFactory(slug="hidden")
    factories.DraftClaimFactory(claimant=hidden)
    term = TermFactory(person=hidden)

    assert client.get("/share/people/nobody/scorecard.png").status_code == 404
    assert client.get("/share/people/hidden/scorecard.png").status_code == 404
    assert client.get(f"/share/terms/{term.pk}.png").status_code == 404
    assert client.get("/share/terms/999999.png").status_code == 404


def test_a_scorecard_image_answers_304_and_changes_with_a_status_update(client, mayor_with_record):
    first = client.get("/share/people/ada-mayor/scorecard.png")
    assert first.headers["ETag"].startswith('"image-')
    assert (
        client.get(
            "/share/people/ada-mayor/scorecard.png", headers={"If-None-Match": first.headers["ETag"]}
        ).status_code
        == 304
    )

    record(Claim.objects.get(summary="Pledge 4"), "kept", days_after=5)
    second = client.get("/share/people/ada-mayor/scorecard.png", headers={"If-None-Match": first.headers["ETag"]})

    assert second.status_code == 200
    assert second.content != first.content


def test_renaming_the_office_of_a_term_gives_a_new_term_image(client):
    person = factories.PersonFactory(name="Ada Mayor")
    term = TermFactory(
        person=person, office="Mayor", starts_on=timezone.localdate() - datetime.timedelta(days=9), ends_on=None
    )
    published_claim(claimant=person, term=term, summary="Fix roads", made_on=timezone.localdate())
    first = client.get(f"/share/terms/{term.pk}.png")

    term.office = "Mayor of Springfield"
    term.save()
    second = client.get(f"/share/terms/{term.pk}.png", headers={"If-None-Match": first.headers["ETag"]})

    assert second.status_code == 200
    assert second.content != first.content


def test_scorecard_images_keep_fixed_query_counts(client, mayor_with_record, django_assert_num_queries):
    term = TermFactory(
        person=mayor_with_record, starts_on=timezone.localdate() - datetime.timedelta(days=400), ends_on=None
    )
    # 1 the data version, 2 the person's freshness, 3 the status scales (ETag), 4 the person,
    # 5 the promise statuses, 6 the counts per status.
    with django_assert_num_queries(6):
        assert client.get("/share/people/ada-mayor/scorecard.png").status_code == 200
    # 1 the data version, 2 the site's freshness, 3 the status scales, 4 the term with its person,
    # 5 the statuses, 6 the counts.
    with django_assert_num_queries(6):
        assert client.get(f"/share/terms/{term.pk}.png").status_code == 200
    # The data version, the site's freshness (another key), the status scales, the statuses, the counts.
    with django_assert_num_queries(5):
        assert client.get("/share/scorecard.png").status_code == 200
