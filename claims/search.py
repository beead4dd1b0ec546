"""Full-text search over claims: one function, a backend per database.

``Claim.objects.search(text)`` calls :func:`search_claims`. It matches words of the quote, the
summary and the claimant's name, stemmed (English), and leaves the order to the caller — the
lists keep their own sort (most recently updated first by default), which is what readers and
the API's cursor pages expect, and which stays cheap on a million rows: no rank has to be
computed for every match before the first page can be shown.

- **PostgreSQL**: a ``search_document`` tsvector column on ``claims_claim`` (summary and claimant
  name weighted A, quote B), kept up to date by triggers and served by a GIN index; the text is
  read with ``websearch_to_tsquery`` — ``"a phrase"``, ``or``, ``-word`` — which never raises on
  user input.
- **SQLite**: an FTS5 table ``claims_claim_fts`` (porter stemming, diacritics folded) kept in sync
  by triggers. The text is translated to an FTS5 query of quoted terms in the same websearch
  syntax, so no character of user input is ever read as FTS5 syntax.
- Any other database falls back to case-insensitive substring matching.

Migration ``claims/0010_claim_full_text_search`` creates the column or table, its triggers and its
index, on the matching database only. The column and the table are invisible to Django's models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from claims.models import ClaimQuerySet

# Longer input is cut: nobody searches with more, and it bounds the work per request.
MAX_SEARCH_CHARACTERS = 400
MAX_TERMS = 32
SEARCH_CONFIG = "english"

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_search_text(text: str) -> str:
    """The text as the backends receive it: no NUL (PostgreSQL refuses it), bounded length."""
    return " ".join(text.replace("\x00", " ").split())[:MAX_SEARCH_CHARACTERS]


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
        matches = RawSQL(
            '"claims_claim"."search_document" @@ websearch_to_tsquery(%s::regconfig, %s)',
            (SEARCH_CONFIG, websearch_text(parsed)),
            output_field=BooleanField(),
        )
        return queryset.filter(matches)
    if vendor == "sqlite":
        matches = RawSQL("SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s", (fts5_query(parsed),))
        return queryset.filter(pk__in=matches)
    text = " ".join(parsed.groups[0])
    return queryset.filter(Q(quote__icontains=text) | Q(summary__icontains=text) | Q(claimant__name__icontains=text))


def websearch_text(parsed: ParsedSearch) -> str:
    """The parsed search written back in websearch syntax, each term quoted: bounded, and nothing but words.

    Raw input such as forty ``-`` signs overflows PostgreSQL's tsquery parser ("stack too small");
    this text never has more operators than ``MAX_TERMS`` terms need.
    """
    alternatives = [" ".join(f'"{term}"' for term in group) for group in parsed.groups]
    exclusions = " ".join(f'-"{term}"' for term in parsed.excluded)
    return f"{' or '.join(alternatives)} {exclusions}".strip()


def fts5_query(parsed: ParsedSearch) -> str:
    """The parsed search as an FTS5 query: every term quoted, so input is never FTS5 syntax."""
    if parsed.is_empty:
        return ""
    alternatives = [" AND ".join(f'"{term}"' for term in group) for group in parsed.groups]
    expression = " OR ".join(f"({alternative})" for alternative in alternatives)
    if parsed.excluded:
        excluded = " OR ".join(f'"{term}"' for term in parsed.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression
