"""Which cache tags a logged change affects: the other half of ``claimtracker.cache_tags``.

A change to a claim shows on the claim's own pages (under every slug it ever had: a page cached
under an old address must go too), on its plan's pages if it is a component, on its claimant's
pages (under every slug the claimant ever had), on its term's scorecard, and on every list. A
plan's edit is also logged as an edit of each of its components (``claims.services``), and a
person's, topic's, source's or status's edit as an edit of each claim showing it, so each of
those comes with its own change. A draft's change shows nowhere.

The tags of a batch of changes cost six queries, however many changes there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claims.models import ChangeKind, Claim, ClaimChange, Visibility
from claimtracker.cache_tags import LISTS
from people.models import Person


@dataclass
class _ClaimFacts:
    """What a claim is, and ever was, known by: slugs, claimants, plans and terms."""

    slugs: set[str] = field(default_factory=set)
    claimants: set[int] = field(default_factory=set)
    parents: set[int] = field(default_factory=set)
    terms: set[int] = field(default_factory=set)


def shows_publicly(change: ClaimChange) -> bool:
    """Whether the change touched anything public: a draft's changes did not (a return to draft did)."""
    return change.visibility != Visibility.DRAFT or change.kind == ChangeKind.UNPUBLISHED


def _claim_facts(claim_ids: Iterable[int]) -> dict[int, _ClaimFacts]:
    ids = set(claim_ids)
    facts: dict[int, _ClaimFacts] = defaultdict(_ClaimFacts)
    if not ids:
        return facts
    columns = ("slug", "claimant_id", "parent_id", "term_id")
    current = Claim.objects.filter(pk__in=ids).order_by().values_list("pk", *columns)
    # Every distinct value each claim ever had (its history has a row per save).
    past = Claim.history.filter(id__in=ids).order_by().values_list("id", *columns).distinct()
    for claim_id, slug, claimant_id, parent_id, term_id in (*current, *past):
        known = facts[claim_id]
        known.slugs.add(slug)
        known.claimants.add(claimant_id)
        if parent_id is not None:
            known.parents.add(parent_id)
        if term_id is not None:
            known.terms.add(term_id)
    return facts


def _person_slugs(person_ids: Iterable[int]) -> dict[int, set[str]]:
    ids = set(person_ids)
    slugs: dict[int, set[str]] = defaultdict(set)
    if not ids:
        return slugs
    current = Person.objects.filter(pk__in=ids).order_by().values_list("pk", "slug")
    past = Person.history.filter(id__in=ids).order_by().values_list("id", "slug").distinct()
    for person_id, slug in (*current, *past):
        slugs[person_id].add(slug)
    return slugs


def tags_for_changes(changes: Sequence[ClaimChange]) -> dict[int, set[str]]:
    """The tags each change affects, by change id; a change that shows nowhere is left out."""
    public = [change for change in changes if shows_publicly(change)]
    claims = _claim_facts(change.claim_id for change in public)
    plan_ids = {plan for facts in claims.values() for plan in facts.parents}
    plans = _claim_facts(plan_ids)
    people = _person_slugs(claimant for facts in claims.values() for claimant in facts.claimants)
    tags: dict[int, set[str]] = {}
    for change in public:
        facts = claims[change.claim_id]
        found = {LISTS, f"claim-id:{change.claim_id}"}
        found.update(f"claim:{slug}" for slug in facts.slugs)
        for plan in facts.parents:
            found.add(f"claim-id:{plan}")
            found.update(f"claim:{slug}" for slug in plans[plan].slugs)
        for claimant in facts.claimants:
            found.update(f"person:{slug}" for slug in people[claimant])
        found.update(f"term:{term}" for term in facts.terms)
        tags[change.pk] = found
    return tags


def tags_for_change(change: ClaimChange) -> set[str]:
    """The tags one change affects (empty for a draft's change)."""
    return tags_for_changes([change]).get(change.pk, set())
