"""Open Graph / Twitter card images of claims and scorecards: 1200×630 PNGs drawn on the server.

1200×630 is the size Open Graph consumers and Twitter's large card expect (``public/_meta.html``
declares it). A claim's image shows the publisher, the claim's summary (a summary, so never in
quotation marks), the claimant and the current status as a badge in the status colour; a
scorecard's shows who or what it is about, the shares of the verdicts, how many pledges are
tracked, "Day N" of a term, and a bar of the counts per status in the status colours.

Texts are in the language of the address (``/uk/share/…`` in Ukrainian), drawn with DejaVu Sans,
shipped in ``embeds/fonts`` (Latin and Cyrillic; licence beside it), so an image looks the same on
every server. Pillow's basic layout engine is used for the same reason: it needs no system library.

The layout (where each text and shape goes, at which size, on which colour) is computed apart from
the drawing and exposed (``layout_of_claim``, ``layout_of_person``, ``layout_of_term``,
``layout_of_tracker``; ``claim_layout`` and ``scorecard_layout`` for given texts), so tests can
check sizes, line counts, contrast and bounds against the pixels drawn.

The images are served like the other public pages (``claimtracker.page_cache.public_page``): an
ETag from the claim page's validators (the claim's version) or the scorecard pages' (any write to
the record, and the day), so a new status gives a new image; 304s for a current copy; the drawn
bytes kept under the ETag.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageColor, ImageDraw, ImageFont

from claims.freshness import claim_freshness, scorecard_freshness
from claims.models import Claim
from claims.scorecards import Scorecard, pledges, scorecard
from claimtracker.page_cache import Freshness, public_page
from embeds.views import (
    marked_freshness,
    percent,
    scorecard_person,
    scorecard_term,
    shares_caption,
    term_dates,
    term_day,
    totals_line,
)
from people.models import Person, Term

WIDTH = 1200
HEIGHT = 630
MARGIN = 64
# Bump when the drawing changes, so no cached image of the old design is served under a current ETag.
IMAGE_VERSION = "1"

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
ELLIPSIS = "…"
LINE_SPACING = 1.22

BACKGROUND = "#ffffff"
INK = "#1f2933"  # 14.7:1 on white
MUTED_INK = "#3e4c59"  # 9.6:1 on white
LINK_INK = "#0b4f9c"  # 8.1:1 on white
EMPTY_BAR = "#e4e7eb"

# The summary takes the largest of these sizes at which it fits in SUMMARY_LINES lines; at the
# smallest, what does not fit ends with an ellipsis.
SUMMARY_SIZES = (60, 54, 48, 44, 40)
SUMMARY_LINES = 4


@functools.cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at ``size`` pixels, loaded once per size."""
    return ImageFont.truetype(BOLD_FONT if bold else REGULAR_FONT, size, layout_engine=ImageFont.Layout.BASIC)


# --- Layout: where everything goes -----------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def inside(self, width: int = WIDTH, height: int = HEIGHT) -> bool:
        return self.x >= 0 and self.y >= 0 and self.right <= width and self.bottom <= height


@dataclass(frozen=True)
class Shape:
    """A filled rectangle (rounded with ``radius``): a badge, a bar segment, a swatch."""

    role: str
    box: Box
    fill: str
    radius: int = 0


@dataclass(frozen=True)
class Text:
    """Lines of text drawn from ``(x, y)`` (the top of the first line), one under the other."""

    role: str
    lines: list[str]
    x: int
    y: int
    size: int
    colour: str
    # What the text is drawn on, for its contrast.
    background: str
    bold: bool = False
    truncated: bool = False

    @property
    def line_height(self) -> int:
        return round(self.size * LINE_SPACING)

    @property
    def box(self) -> Box:
        face = font(self.size, bold=self.bold)
        width = max((round(face.getlength(line)) for line in self.lines), default=0)
        return Box(self.x, self.y, width, self.line_height * len(self.lines))


@dataclass
class Layout:
    background: str = BACKGROUND
    shapes: list[Shape] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)

    def text(self, role: str) -> Text:
        return next(text for text in self.texts if text.role == role)

    def shape(self, role: str) -> Shape:
        return next(shape for shape in self.shapes if shape.role == role)

    def texts_of(self, role: str) -> list[Text]:
        return [text for text in self.texts if text.role == role]

    def shapes_of(self, role: str) -> list[Shape]:
        return [shape for shape in self.shapes if shape.role == role]


def _fits(text: str, face: ImageFont.FreeTypeFont, width: int) -> bool:
    return face.getlength(text) <= width


def _break_word(word: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """A word wider than a line, cut into pieces that fit (an address, a long compound)."""
    pieces: list[str] = []
    current = ""
    for character in word:
        if current and not _fits(current + character, face, width):
            pieces.append(current)
            current = character
        else:
            current += character
    return [*pieces, current] if current else pieces


def _with_ellipsis(line: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """``line`` ended with an ellipsis that fits, cut at a word if it can be."""
    line = line.rstrip()
    while line and not _fits(line + ELLIPSIS, face, width):
        line = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
        line = line.rstrip()
    return line.rstrip(" ,;:.–—-") + ELLIPSIS


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int) -> tuple[list[str], bool]:
    """``text`` in lines no wider than ``width``, at most ``max_lines`` of them; True when cut short."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _fits(candidate, face, width):
            current = candidate
            continue
        if current:
            lines.append(current)
        if _fits(word, face, width):
            current = word
        else:
            *whole, current = _break_word(word, face, width)
            lines.extend(whole)
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    kept[-1] = _with_ellipsis(kept[-1], face, width)
    return kept, True


def _one_line(
    role: str,
    text: str,
    *,
    x: int,
    y: int,
    size: int,
    width: int,
    colour: str = MUTED_INK,
    background: str = BACKGROUND,
    bold: bool = False,
    smallest: int | None = None,
) -> Text:
    """``text`` on one line: at ``size``, or smaller down to ``smallest`` if that makes it fit; else cut short."""
    chosen = size
    for chosen in range(size, (smallest or size) - 1, -2):
        if _fits(text, font(chosen, bold=bold), width):
            break
    lines, truncated = wrap(text, font(chosen, bold=bold), width, 1)
    # A smaller line keeps the middle of the line it replaces.
    return Text(role, lines, x, y + (size - chosen) // 2, chosen, colour, background, bold=bold, truncated=truncated)


def _badge(
    role: str, label: str, *, x: int, y: int, size: int, fill: str, ink: str, max_width: int
) -> tuple[Shape, Text]:
    """A pill in the status colour with its label in the colour that reads on it."""
    padding_x, padding_y = round(size * 0.8), round(size * 0.4)
    face = font(size, bold=True)
    lines, truncated = wrap(label, face, max_width - 2 * padding_x, 1)
    text_width = round(face.getlength(lines[0])) if lines else 0
    line_height = round(size * LINE_SPACING)
    box = Box(x, y, text_width + 2 * padding_x, line_height + 2 * padding_y)
    shape = Shape(role, box, fill, radius=box.height // 2)
    text = Text(f"{role}-label", lines, x + padding_x, y + padding_y, size, ink, fill, bold=True, truncated=truncated)
    return shape, text


def claim_layout(
    *, publisher: str, claimant: str, summary: str, status_label: str, status_colour: str, status_ink: str
) -> Layout:
    """A claim's image: publisher, claimant, summary (up to four lines), and the status badge at the foot."""
    width = WIDTH - 2 * MARGIN
    layout = Layout()
    # A stripe in the status colour down the left edge: decoration, the badge carries the meaning.
    layout.shapes.append(Shape("stripe", Box(0, 0, 16, HEIGHT), status_colour))
    layout.texts.append(
        _one_line("publisher", publisher, x=MARGIN, y=44, size=28, width=width, colour=LINK_INK, bold=True)
    )
    layout.texts.append(_one_line("claimant", claimant, x=MARGIN, y=100, size=32, width=width, smallest=26))
    for size in SUMMARY_SIZES:
        lines, truncated = wrap(summary, font(size, bold=True), width, SUMMARY_LINES)
        if not truncated:
            break
    layout.texts.append(Text("summary", lines, MARGIN, 168, size, INK, BACKGROUND, bold=True, truncated=truncated))
    status_prefix = _one_line("status-prefix", _("Status:"), x=MARGIN, y=0, size=30, width=width // 3)
    badge_size = 34
    badge_height = round(badge_size * LINE_SPACING) + 2 * round(badge_size * 0.4)
    badge_y = HEIGHT - MARGIN - badge_height
    prefix_width = status_prefix.box.width
    layout.texts.append(
        Text(
            "status-prefix",
            status_prefix.lines,
            MARGIN,
            badge_y + (badge_height - status_prefix.line_height) // 2,
            status_prefix.size,
            MUTED_INK,
            BACKGROUND,
        )
    )
    badge_x = MARGIN + prefix_width + 20
    shape, label = _badge(
        "badge",
        status_label,
        x=badge_x,
        y=badge_y,
        size=badge_size,
        fill=status_colour,
        ink=status_ink,
        max_width=WIDTH - MARGIN - badge_x,
    )
    layout.shapes.append(shape)
    layout.texts.append(label)
    return layout


def _segments(counts: list[int], width: int) -> list[int]:
    """``width`` shared out in proportion to ``counts`` (largest remainders), summing to ``width``."""
    total = sum(counts)
    if total == 0:
        return [0 for _count in counts]
    exact = [count * width / total for count in counts]
    widths = [int(share) for share in exact]
    by_remainder = sorted(range(len(counts)), key=lambda index: exact[index] - widths[index], reverse=True)
    for index in by_remainder[: width - sum(widths)]:
        widths[index] += 1
    return widths


def scorecard_layout(*, publisher: str, title: str, subtitle: str, day: str, card: Scorecard) -> Layout:
    """A scorecard's image: who or what, the shares of the verdicts, the pledges counted, the bar."""
    width = WIDTH - 2 * MARGIN
    layout = Layout()
    layout.shapes.append(Shape("stripe", Box(0, 0, WIDTH, 12), LINK_INK))
    layout.texts.append(
        _one_line("publisher", publisher, x=MARGIN, y=36, size=28, width=width, colour=LINK_INK, bold=True)
    )
    title_width = width
    if day:
        day_text = _one_line("day", day, x=MARGIN, y=0, size=40, width=width // 3, colour=LINK_INK, bold=True)
        day_width = day_text.box.width
        layout.texts.append(
            Text("day", day_text.lines, WIDTH - MARGIN - day_width, 88, 40, LINK_INK, BACKGROUND, bold=True)
        )
        title_width = width - day_width - 32
    layout.texts.append(
        _one_line("title", title, x=MARGIN, y=80, size=52, width=title_width, colour=INK, bold=True, smallest=36)
    )
    if subtitle:
        layout.texts.append(_one_line("subtitle", subtitle, x=MARGIN, y=148, size=28, width=width))

    verdicts = card.verdicts
    if card.final_total == 0 or not verdicts:
        layout.texts.append(
            _one_line("no-verdicts", _("No verdicts yet"), x=MARGIN, y=232, size=56, width=width, colour=INK, bold=True)
        )
    else:
        layout.texts.append(_one_line("shares-caption", shares_caption(card), x=MARGIN, y=198, size=22, width=width))
        column = width // len(verdicts)
        label_size = 24
        for index, figure in enumerate(verdicts):
            x = MARGIN + index * column
            layout.texts.append(
                _one_line(
                    "share", percent(figure.percent), x=x, y=228, size=64, width=column - 24, colour=INK, bold=True
                )
            )
            layout.shapes.append(Shape("share-swatch", Box(x, 318, 22, 22), figure.status.colour, radius=4))
            # A long label ("Unclear / unrateable") takes a second line rather than an ellipsis.
            lines, truncated = wrap(figure.status.label, font(label_size), column - 58, 2)
            layout.texts.append(
                Text("share-label", lines, x + 32, 314, label_size, MUTED_INK, BACKGROUND, truncated=truncated)
            )

    layout.texts.append(_one_line("totals", totals_line(card), x=MARGIN, y=384, size=26, width=width, colour=INK))

    bar_y, bar_height = 430, 52
    layout.shapes.append(Shape("bar", Box(MARGIN, bar_y, width, bar_height), EMPTY_BAR, radius=6))
    shown = [figure for figure in card.figures if figure.count]
    x = MARGIN
    count_face = font(26, bold=True)
    for figure, segment in zip(shown, _segments([figure.count for figure in shown], width), strict=True):
        if segment == 0:
            continue
        layout.shapes.append(Shape("bar-segment", Box(x, bar_y, segment, bar_height), figure.status.colour))
        number = str(figure.count)
        if count_face.getlength(number) + 16 <= segment:
            layout.texts.append(
                Text(
                    "bar-count",
                    [number],
                    x + 8,
                    bar_y + (bar_height - round(26 * LINE_SPACING)) // 2,
                    26,
                    figure.status.text_colour,
                    figure.status.colour,
                    bold=True,
                )
            )
        x += segment

    # The legend: each status on the bar with its count, in as many rows as fit under it.
    legend_size, row_height, swatch = 24, 34, 22
    legend_face = font(legend_size)
    x, y = MARGIN, bar_y + bar_height + 18
    for figure in shown:
        label = f"{figure.status.label}: {figure.count}"
        item_width = swatch + 10 + round(legend_face.getlength(label))
        if x > MARGIN and x + item_width > WIDTH - MARGIN:
            x, y = MARGIN, y + row_height
        if y + row_height > HEIGHT - 12:
            break
        layout.shapes.append(Shape("legend-swatch", Box(x, y + 3, swatch, swatch), figure.status.colour, radius=4))
        layout.texts.append(
            _one_line(
                "legend",
                label,
                x=x + swatch + 10,
                y=y,
                size=legend_size,
                width=WIDTH - MARGIN - (x + swatch + 10),
                colour=INK,
            )
        )
        x += item_width + 28
    return layout


# --- Drawing -----------------------------------------------------------------------------------------


def draw(layout: Layout) -> bytes:
    """The layout as a 1200×630 PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), ImageColor.getrgb(layout.background))
    pen = ImageDraw.Draw(image)
    for shape in layout.shapes:
        box = shape.box
        corners = (box.x, box.y, box.right - 1, box.bottom - 1)
        if shape.radius:
            pen.rounded_rectangle(corners, radius=shape.radius, fill=ImageColor.getrgb(shape.fill))
        else:
            pen.rectangle(corners, fill=ImageColor.getrgb(shape.fill))
    for text in layout.texts:
        face = font(text.size, bold=text.bold)
        for index, line in enumerate(text.lines):
            # "la": (x, y) is the left end of the line's ascender, so the line sits inside its box.
            pen.text(
                (text.x, text.y + index * text.line_height),
                line,
                font=face,
                fill=ImageColor.getrgb(text.colour),
                anchor="la",
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


# --- Views -------------------------------------------------------------------------------------------


def _png(content: bytes) -> HttpResponse:
    return HttpResponse(content, content_type="image/png")


def _absent(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def claim_image_freshness(slug: str) -> Freshness | None:
    """The claim page's validators (its version: any edit, status update or correction moves them)."""
    return marked_freshness(claim_freshness(slug), "image", IMAGE_VERSION)


def person_image_freshness(slug: str) -> Freshness | None:
    # The scorecard pages' validators: any write to the record, and the newsroom's day ("Day N").
    return marked_freshness(scorecard_freshness("person", slug), "image", IMAGE_VERSION)


def term_image_freshness(pk: int) -> Freshness | None:
    return marked_freshness(scorecard_freshness("term", pk), "image", IMAGE_VERSION)


def tracker_image_freshness() -> Freshness | None:
    return marked_freshness(scorecard_freshness("scorecards"), "image", IMAGE_VERSION)


def layout_of_claim(claim: Claim) -> Layout:
    """The claim's image: its stored current status (an update awaiting approval, or removed, never set it)."""
    role = claim.claimant.role
    status = claim.current_status
    return claim_layout(
        publisher=settings.CLAIMTRACKER_PUBLISHER_NAME,
        claimant=f"{claim.claimant.name}, {role}" if role else claim.claimant.name,
        summary=claim.summary,
        status_label=status.label,
        status_colour=status.colour,
        status_ink=status.text_colour,
    )


def layout_of_person(person: Person) -> Layout:
    return _scorecard_layout(title=person.name, subtitle=person.role, card=scorecard(pledges(person=person)))


def layout_of_term(term: Term) -> Layout:
    return _scorecard_layout(
        title=term.person.name,
        subtitle=f"{term.office} · {term_dates(term)}",
        card=scorecard(pledges(term=term), term=term),
    )


def layout_of_tracker() -> Layout:
    return _scorecard_layout(
        title=_("Every pledge we track"), subtitle=_("Where every published pledge stands"), card=scorecard(pledges())
    )


def _scorecard_layout(*, title: str, subtitle: str, card: Scorecard) -> Layout:
    return scorecard_layout(
        publisher=settings.CLAIMTRACKER_PUBLISHER_NAME, title=title, subtitle=subtitle, day=term_day(card), card=card
    )


@public_page(claim_image_freshness)
def claim_image(request: HttpRequest, slug: str) -> HttpResponse:
    claim = Claim.objects.published().select_related("claimant", "current_status").filter(slug=slug).first()
    if claim is None:
        if Claim.objects.withdrawal_notice(slug) is not None:
            return _absent(_("This claim was withdrawn."), 410)
        return _absent(_("No published claim at this address."), 404)
    return _png(draw(layout_of_claim(claim)))


@public_page(person_image_freshness)
def person_scorecard_image(request: HttpRequest, slug: str) -> HttpResponse:
    person = scorecard_person(slug)
    if person is None:
        return _absent(_("We track no published claims for anyone at this address."), 404)
    return _png(draw(layout_of_person(person)))


@public_page(term_image_freshness)
def term_scorecard_image(request: HttpRequest, pk: int) -> HttpResponse:
    term = scorecard_term(pk)
    if term is None:
        return _absent(_("No term of office at this address."), 404)
    return _png(draw(layout_of_term(term)))


@public_page(tracker_image_freshness)
def tracker_scorecard_image(request: HttpRequest) -> HttpResponse:
    return _png(draw(layout_of_tracker()))
