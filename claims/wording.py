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
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

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


def _known_language(tag: str) -> str | None:
    """The name of a language tag in the current interface language ("uk" → "Ukrainian"), or None if unknown.

    Django's own catalogues translate the names of the languages it knows (``name_translated``).
    """
    for candidate in (tag.lower(), tag.lower().split("-")[0]):
        info = LANG_INFO.get(candidate)
        if info and "name" in info:
            return str(get_language_info(candidate)["name_translated"])
    return None


def language_name(tag: str) -> str:
    """The name of a language tag in the current interface language ("uk" → "Ukrainian"), or the tag itself."""
    tag = tag.strip()
    return _known_language(tag) or tag


def translation_label(claim: Claim) -> str:
    """'Translated from Ukrainian (uk)'."""
    tag = claim.original_language.strip()
    name = _known_language(tag)
    if name is None:
        return _("Translated from the original (%(tag)s)") % {"tag": tag}
    return _("Translated from %(language)s (%(tag)s)") % {"language": name, "tag": tag}


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
        if reporter:
            return _("%(name)s, as reported by %(reporter)s: %(text)s") % {
                "name": name,
                "reporter": reporter,
                "text": claim.quote.strip(),
            }
        return _("%(name)s, as reported (paraphrased): %(text)s") % {"name": name, "text": claim.quote.strip()}
    where = quoted_from(claim)
    if where:
        # Translators: a quotation and where it was published: "Jane Doe: “…” in Article title (Publisher)".
        said = _("%(name)s: %(quote)s in %(source)s") % {"name": name, "quote": quoted(claim.quote), "source": where}
    else:
        said = _("%(name)s: %(quote)s") % {"name": name, "quote": quoted(claim.quote)}
    if claim.wording == Wording.TRANSLATION:
        # Translators: a translated quotation, then "Translated from Ukrainian (uk)".
        said = _("%(quotation)s. %(translation)s") % {"quotation": said, "translation": translation_label(claim)}
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
