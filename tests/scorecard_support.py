"""Shared test data for scorecards: terms of office, and pledges with dated timelines.

The scorecard tests (figures, pages, chart, share images, API) build their terms with ``TermFactory``
and their dated records with ``noon``/``pledge_made``, so the hand-computed expectations can name
exact days.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import factory
from django.utils import timezone

from claims.models import Claim, ClaimKind
from people.models import Person, Term
from tests.factories import ClaimFactory, PersonFactory


class TermFactory(factory.django.DjangoModelFactory):
    """A term of office with a known end: 2021-01-20 to 2025-01-19 unless told otherwise."""

    class Meta:
        model = Term

    person = factory.SubFactory(PersonFactory)
    office = "President of Freedonia"
    starts_on = datetime.date(2021, 1, 20)
    ends_on = datetime.date(2025, 1, 19)


def noon(day: datetime.date | str) -> datetime.datetime:
    """Midday of ``day`` in the site's time zone: a time safely inside that day."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def pledge_made(
    claimant: Person,
    day: datetime.date,
    *,
    term: Term | None = None,
    published: datetime.date | None = None,
    kind: str = ClaimKind.PLEDGE,
    **kwargs: object,
) -> Claim:
    """A published pledge made on ``day`` and published at noon that day (or on ``published``)."""
    return ClaimFactory(
        claimant=claimant, kind=kind, made_on=day, term=term, published_at=noon(published or day), **kwargs
    )


# --- reading pages: a small element tree from html.parser (lxml is not a dependency) ------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text with runs of white space made single spaces."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        return "".join(child if isinstance(child, str) else child._raw_text() for child in self.children)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Descendants (and self) with this tag and these attributes; ``class_`` matches one class."""
        wanted_class = attrs.pop("class_", None)
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and all(element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items())
            and (wanted_class is None or wanted_class in element.attrs.get("class", "").split())
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} elements match {tag} {attrs}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: bytes | str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root
