"""How a claim's text is presented: the speaker's words in quotation marks, a report of them never.

Pages, Open Graph descriptions, feeds and embedded cards all word a claim through these
functions, so a paraphrase is never dressed up as a quotation on one surface while it is honest
on another. A domain rule (how the newsroom may present someone's words), so it lives beside the
models and every delivery app imports it from here.
"""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from claims.models import Claim, ClaimAppearance, ClaimQuerySet, Wording

# Marks that open or close a quotation inside a quotation: swapped for single marks, so that
# “…” inside our own “…” does not read as the end of the speaker's words.
_DOUBLE_TO_SINGLE = str.maketrans({"“": "‘", "”": "’", "„": "‚", "«": "‹", "»": "›"})


def nest_quotes(text: str) -> str:
    """``text`` ready to go inside outer “…”: inner double quotation marks become single ones.

    Straight double quotes alternate opening and closing single marks; a text the editor already
    wrapped in quotation marks loses that outer pair, which our own marks replace.
    """
    text = text.strip()
    if len(text) >= 2 and (text[0], text[-1]) in {("“", "”"), ('"', '"')} and '"' not in text[1:-1]:
        inner = text[1:-1]
        if "“" not in inner and "”" not in inner:
            text = inner.strip()
    text = text.translate(_DOUBLE_TO_SINGLE)
    parts = text.split('"')
    nested = [parts[0]]
    for index, part in enumerate(parts[1:]):
        nested.append(("‘" if index % 2 == 0 else "’") + part)
    return "".join(nested)


def quoted(text: str) -> str:
    """The speaker's words in curly quotation marks, with any inner quotation made single."""
    return f"“{nest_quotes(text)}”"


def language_name(tag: str) -> str:
    """The English name of a language tag ("uk" → "Ukrainian"), or the tag itself when unknown."""
    tag = tag.strip()
    for candidate in (tag.lower(), tag.lower().split("-")[0]):
        info = LANG_INFO.get(candidate)
        if info and "name" in info:
            return info["name"]
    return tag


def translation_label(claim: Claim) -> str:
    """'Translated from Ukrainian (uk)'."""
    name = language_name(claim.original_language)
    tag = claim.original_language.strip()
    return f"Translated from {name} ({tag})" if name != tag else f"Translated from the original ({tag})"


def reporter_of(claim: Claim) -> str:
    """Who reported a paraphrase: the publisher of its wording source, else of its first appearance.

    Reads ``wording_source`` (select it with the claim) and the ``first_reporter`` annotation of
    ``with_wording``; never queries.
    """
    source = claim.wording_source if claim.wording_source_id else None
    if source is not None:
        return source.publisher or source.title
    return getattr(claim, "first_reporter", "") or ""


def quoted_from(claim: Claim) -> str:
    """Where a quote's words are taken from: "Mayor launches pledge (Exampleton Herald)"."""
    source = claim.wording_source if claim.wording_source_id else None
    if source is None:
        return ""
    return f"{source.title} ({source.publisher})" if source.publisher else source.title


def plain_wording(claim: Claim) -> str:
    """The claim's text as one line of plain text, worded honestly: for meta descriptions and feeds."""
    name = claim.claimant.name
    if claim.wording == Wording.PARAPHRASE:
        reporter = reporter_of(claim)
        who = f"as reported by {reporter}" if reporter else "as reported (paraphrased)"
        return f"{name}, {who}: {claim.quote.strip()}"
    where = quoted_from(claim)
    said = f"{name}: {quoted(claim.quote)}"
    if where:
        said += f" in {where}"
    if claim.wording == Wording.TRANSLATION:
        said += f". {translation_label(claim)}"
    return said


def first_reporter(claim_ref: str) -> Subquery:
    """Who reported the claim first: the publisher (else the title) of its first appearance's source."""
    first = (
        ClaimAppearance.objects.filter(claim=OuterRef(claim_ref), is_first_appearance=True)
        .order_by("id")
        .annotate(reporter=Coalesce(NullIf(F("source__publisher"), Value("")), F("source__title")))
        .values("reporter")[:1]
    )
    return Subquery(first, output_field=CharField())


def with_wording(claims: ClaimQuerySet) -> ClaimQuerySet:
    """What the functions above need to word a claim honestly, in the same query as the claims."""
    return claims.select_related("wording_source").annotate(first_reporter=first_reporter("pk"))
