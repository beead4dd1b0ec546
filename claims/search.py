"""Full-text search over claims, in every language of the record: one function, a backend per database.

``Claim.objects.search(text)`` calls :func:`search_claims`. It matches words of the summary in
each language (English, Ukrainian, Russian), the quote, the quote's original-language text and the
claimant's name, and leaves the order to the caller — the lists keep their own sort (most recently
updated first by default), which is what readers and the API's cursor pages expect, and which stays
cheap on a million rows: no rank has to be computed for every match before the first page can be
shown.

- **PostgreSQL**: a ``search_document`` tsvector column on ``claims_claim``, kept up to date by
  triggers and served by a GIN index. English is stemmed with the ``english`` configuration and
  Russian with ``russian``; PostgreSQL has no Ukrainian stemmer, so Ukrainian is indexed word for
  word (``simple``) and each Cyrillic query word is also looked up by its stem as a prefix
  (:func:`cyrillic_stem`: "переговорів" → ``переговор:*``). Each term is the OR of the three.
- **SQLite**: an FTS5 table ``claims_claim_fts`` (porter stemming for English, Unicode case
  folding for Cyrillic) kept in sync by triggers, with the same prefix terms for Cyrillic words.
  Every term is quoted, so no character of user input is ever read as FTS5 syntax.
- Any other database falls back to case-insensitive substring matching.

Migrations ``claims/0010_claim_full_text_search`` and ``0015_search_in_every_language`` create the
column or table, its triggers and its index, on the matching database only; neither is part of
Django's model state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from claims.models import TEXT_LANGUAGES

if TYPE_CHECKING:
    from claims.models import ClaimQuerySet

# Longer input is cut: nobody searches with more, and it bounds the work per request.
MAX_SEARCH_CHARACTERS = 400
MAX_TERMS = 32
# PostgreSQL's stemmers for the languages that have one; the rest is matched by ``simple`` prefixes.
STEMMED_CONFIGS = ("english", "russian")
# The shortest stem a Cyrillic word is cut to: shorter prefixes would match unrelated words.
MIN_STEM_LETTERS = 4
# Inflectional endings of Ukrainian and Russian nouns, adjectives and verbs, longest first. Cutting
# one (never below MIN_STEM_LETTERS) and searching for the stem as a prefix finds the word's other
# forms: "війни" and "війна" both lead to "війн…". A light stemmer, because PostgreSQL has none
# for Ukrainian and SQLite none for either.
_ENDINGS = (
    "ями ами ові еві ого ому его ему ими ыми ться ій ий ый ой ей ої ою ею ів ов ев ах ях ам ям ом "
    "ем им ым ая яя ое ее ти ть ся а я о е у ю і и ы ї ь й"
)
CYRILLIC_ENDINGS = tuple(sorted(set(_ENDINGS.split()), key=len, reverse=True))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_search_text(text: str) -> str:
    """The text as the backends receive it: no NUL (PostgreSQL refuses it), bounded length."""
    return " ".join(text.replace("\x00", " ").split())[:MAX_SEARCH_CHARACTERS]


def cyrillic_stem(word: str) -> str | None:
    """The stem a Cyrillic word is searched by as a prefix, or None for other words and phrases."""
    if " " in word or not _CYRILLIC.search(word):
        return None
    word = word.lower()
    for ending in CYRILLIC_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM_LETTERS:
            return word[: -len(ending)]
    return word


class SearchTooComplexError(ValueError):
    """The search has more terms than a search may have; the message says how many are allowed."""


@dataclass(frozen=True)
class ParsedSearch:
    """Websearch syntax read into terms: an OR of AND-groups of words or phrases, minus exclusions."""

    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not any(self.groups)


def check_search(text: str) -> None:
    """Refuse, with a message for the reader, a search longer or with more terms than a search may have.

    The lists and the API call this to answer a clear error; the search itself never fails on such
    input, it only reads the first ``MAX_SEARCH_CHARACTERS`` characters and ``MAX_TERMS`` terms.
    """
    if len(text) > MAX_SEARCH_CHARACTERS:
        raise SearchTooComplexError(f"A search can be at most {MAX_SEARCH_CHARACTERS} characters long.")
    parse_search(text, strict=True)


def parse_search(text: str, *, strict: bool = False) -> ParsedSearch:
    """Read ``a b``, ``"a b"``, ``a or b`` and ``-a`` into terms made only of word characters.

    Punctuation and operators never reach a database as syntax, and the number of terms is
    bounded (``MAX_TERMS``): the rest is ignored, or with ``strict`` refused with
    ``SearchTooComplexError``.
    """
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    count = 0
    for match in _TOKEN.finditer(clean_search_text(text)):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                if groups[-1]:
                    groups.append([])
                continue
            negated, phrase = ("-", bare.lstrip("-")) if bare.startswith("-") else ("", bare)
        words = _WORD.findall(phrase or "")
        if not words:
            continue
        count += 1
        if count > MAX_TERMS:
            if strict:
                raise SearchTooComplexError(f"A search can have at most {MAX_TERMS} words or phrases.")
            break
        (excluded if negated else groups[-1]).append(" ".join(words))
    return ParsedSearch(tuple(tuple(group) for group in groups if group), tuple(excluded))


def search_claims(queryset: ClaimQuerySet, text: str) -> ClaimQuerySet:
    parsed = parse_search(text)
    if parsed.is_empty:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        # A condition on the claim row itself, not "id IN (subquery)": the planner may then walk the
        # list's own index for a common word instead of fetching every match (2.5× faster at 1M).
        # Not for use inside another query's subquery, where Django renames the table.
        # The expression is this module's own SQL; every word of the reader's is a parameter.
        query, params = postgresql_tsquery(parsed)
        matches = RawSQL(  # noqa: S611  # nosec B611 - our own expression; every word is a parameter
            f'"claims_claim"."search_document" @@ ({query})', params, output_field=BooleanField()
        )
        return queryset.filter(matches)
    if vendor == "sqlite":
        matches = RawSQL("SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s", (fts5_query(parsed),))
        return queryset.filter(pk__in=matches)
    text = " ".join(parsed.groups[0])
    in_summary = Q()
    for code in TEXT_LANGUAGES:
        in_summary |= Q(**{f"summary_{code}__icontains": text})
    return queryset.filter(Q(quote__icontains=text) | in_summary | Q(claimant__name__icontains=text))


def postgresql_tsquery(parsed: ParsedSearch) -> tuple[str, list[str]]:
    """The parsed search as a tsquery expression and its parameters: each term in every configuration.

    A term is found stemmed as English or as Russian, or (Cyrillic words) by its stem as a prefix of
    a word indexed as written. Terms are ANDed within a group, groups ORed, exclusions ANDed NOT.
    Every term is a parameter; the expression has at most ``MAX_TERMS`` terms, so raw input can
    never overflow PostgreSQL's tsquery parser.
    """
    params: list[str] = []

    def term(text: str) -> str:
        alternatives = []
        for config in STEMMED_CONFIGS:
            alternatives.append(f"websearch_to_tsquery('{config}', %s)")
            params.append(f'"{text}"')
        if (stem := cyrillic_stem(text)) is not None:
            alternatives.append("to_tsquery('simple', %s)")
            params.append(f"'{stem}':*")
        return "(" + " || ".join(alternatives) + ")"

    groups = ["(" + " && ".join(term(word) for word in group) + ")" for group in parsed.groups]
    expression = " || ".join(groups)
    for excluded in parsed.excluded:
        expression = f"({expression}) && !!{term(excluded)}"
    return expression, params


def fts5_query(parsed: ParsedSearch) -> str:
    """The parsed search as an FTS5 query: every term quoted, so input is never FTS5 syntax."""
    if parsed.is_empty:
        return ""
    alternatives = [" AND ".join(fts5_term(term) for term in group) for group in parsed.groups]
    expression = " OR ".join(f"({alternative})" for alternative in alternatives)
    if parsed.excluded:
        excluded = " OR ".join(fts5_term(term) for term in parsed.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


def fts5_term(term: str) -> str:
    """A quoted FTS5 term; a Cyrillic word also matches any word its stem begins (``"війн" *``)."""
    stem = cyrillic_stem(term)
    if stem is None:
        return f'"{term}"'
    return f'("{term}" OR "{stem}" *)'
