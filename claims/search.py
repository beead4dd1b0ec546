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


def search_claims(queryset: ClaimQuerySet, text: str) -> ClaimQuerySet:
    text = clean_search_text(text)
    if not text:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        # A condition on the claim row itself, not "id IN (subquery)": the planner may then walk the
        # list's own index for a common word instead of fetching every match (2.5× faster at 1M).
        # Not for use inside another query's subquery, where Django renames the table.
        matches = RawSQL(
            '"claims_claim"."search_document" @@ websearch_to_tsquery(%s::regconfig, %s)',
            (SEARCH_CONFIG, text),
            output_field=BooleanField(),
        )
        return queryset.filter(matches)
    if vendor == "sqlite":
        expression = fts5_query(text)
        if not expression:
            return queryset.none()
        matches = RawSQL("SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s", (expression,))
        return queryset.filter(pk__in=matches)
    return queryset.filter(Q(quote__icontains=text) | Q(summary__icontains=text) | Q(claimant__name__icontains=text))


def fts5_query(text: str) -> str:
    """Websearch syntax as an FTS5 query: every word quoted, so input is never FTS5 syntax.

    ``a b`` → both words; ``"a b"`` → the phrase; ``a or b`` → either; ``-a`` → not ``a``. An
    empty string when nothing searchable is left (only punctuation, or only exclusions).
    """
    groups: list[list[str]] = [[]]  # OR of ANDs, as websearch_to_tsquery reads it
    excluded: list[str] = []
    count = 0
    for match in _TOKEN.finditer(text):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                if groups[-1]:
                    groups.append([])
                continue
            negated, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = _WORD.findall(phrase or "")
        if not words or count >= MAX_TERMS:
            continue
        count += 1
        term = '"' + " ".join(words).replace('"', '""') + '"'
        (excluded if negated else groups[-1]).append(term)
    alternatives = [" AND ".join(group) for group in groups if group]
    if not alternatives:
        return ""
    expression = " OR ".join(f"({alternative})" for alternative in alternatives)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression
