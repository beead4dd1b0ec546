"""Writes for people and organisations and their terms of office. The admin and the demo loader call these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.dates import describe_day
from claims.models import Claim
from claims.services import (
    PERSON_FIELDS_SHOWN,
    delete_with_history,
    log_edits_of_claims_showing,
    logging_edits_if_shown_fields_change,
)
from claimtracker.versioning import save_versioned
from people.models import Person, Term

# What a term's pledges depend on: their scorecard, "day N" and the deadline they default to.
TERM_FIELDS_SHOWN = ("person_id", "office", "starts_on", "ends_on")


@transaction.atomic
def person_save(
    *,
    person: Person,
    saved_by: AbstractBaseUser | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Person:
    """Validate and store a new or edited person; refuses a save based on a stale version.

    Claims show their claimant and who must act on them: a change to what they show (name, slug,
    kind) is logged as an edit of each of those published claims, so partners' mirrors follow.
    """
    person.name = person.name.strip()
    person.wikidata_id = person.wikidata_id.strip().upper()
    person.full_clean()
    with logging_edits_if_shown_fields_change(
        person, fields=PERSON_FIELDS_SHOWN, showing=Claim.objects.showing_person(person.pk), changed_by=saved_by
    ):
        save_versioned(person, expected_version=expected_version, changed_by=saved_by, reason=reason)
    return person


@transaction.atomic
def person_delete(*, person: Person, deleted_by: AbstractBaseUser | None) -> None:
    """Delete a person (superusers, in the admin); published claims that showed them are logged as edited.

    A claimant is protected; someone who must act on a claim is not.
    """
    # Logged first: the claims are found through the links the delete removes.
    log_edits_of_claims_showing(Claim.objects.showing_person(person.pk), changed_by=deleted_by)
    delete_with_history(person, deleted_by=deleted_by)


def _term_span(term: Term) -> str:
    if term.ends_on is None:
        return _("from %(start)s, with no end known") % {"start": describe_day(term.starts_on)}
    return _("from %(start)s to %(end)s") % {"start": describe_day(term.starts_on), "end": describe_day(term.ends_on)}


def term_validate(term: Term) -> None:
    """The rules for a term beyond its fields' own (``Term.full_clean``), as one ValidationError.

    A term ends on or after it starts; a person's terms in one office do not overlap; and a term
    keeps its pledges true to their rules (``Claim.clean``): it stays with their claimant, and does
    not end before a pledge made for it.
    """
    errors: dict[str, list[str]] = {}
    if term.starts_on is not None and term.ends_on is not None and term.ends_on < term.starts_on:
        errors.setdefault("ends_on", []).append(_("A term ends on or after the day it starts."))
    if term.pk is not None:
        pledges = Claim.objects.filter(term_id=term.pk)
        stored_person = Term.objects.filter(pk=term.pk).values_list("person_id", flat=True).first()
        if stored_person is not None and stored_person != term.person_id and pledges.exists():
            errors.setdefault("person", []).append(
                _(
                    "Pledges of this person belong to this term, so it stays theirs: add a new term for the other "
                    "person instead."
                )
            )
        if term.ends_on is not None and "ends_on" not in errors:
            made_later = pledges.filter(made_on__gt=term.ends_on).count()
            if made_later:
                errors.setdefault("ends_on", []).append(
                    ngettext(
                        "%(count)d pledge of this term was made after that day: move it to another term first.",
                        "%(count)d pledges of this term were made after that day: move them to another term first.",
                        made_later,
                    )
                    % {"count": made_later}
                )
    if term.person_id is not None and term.starts_on is not None and term.office.strip() and not errors:
        overlapping = Term.objects.filter(person_id=term.person_id, office__iexact=term.office.strip()).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=term.starts_on)
        )
        if term.ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=term.ends_on)
        if term.pk is not None:
            overlapping = overlapping.exclude(pk=term.pk)
        # The very same term twice has its own message (the model's unique constraint).
        overlapping = overlapping.exclude(office=term.office, starts_on=term.starts_on)
        other = overlapping.order_by("starts_on").first()
        if other is not None:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("This person already holds this office %(span)s: terms in one office cannot overlap.")
                % {"span": _term_span(other)}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def term_save(
    *,
    term: Term,
    saved_by: AbstractBaseUser | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Term:
    """Validate and store a new or edited term of office; refuses a save based on a stale version.

    A term's person, office and dates are what its pledges' scorecard and "day N" rest on: a change
    to them is logged as an edit of each published pledge of the term, so partners' mirrors follow.
    A changed end does not rewrite its pledges' deadlines; a pledge saved with no deadline takes it.
    """
    term.office = term.office.strip()
    term.full_clean(validate_constraints=False)
    # Before the constraints: an end before the start is shown at the end, not at the top of the form.
    term_validate(term)
    term.validate_constraints()
    with logging_edits_if_shown_fields_change(
        term, fields=TERM_FIELDS_SHOWN, showing=Claim.objects.filter(term_id=term.pk), changed_by=saved_by
    ):
        save_versioned(term, expected_version=expected_version, changed_by=saved_by, reason=reason)
    return term


@transaction.atomic
def term_delete(*, term: Term, deleted_by: AbstractBaseUser | None) -> None:
    """Delete a term (superusers, in the admin), with who did it in its history.

    A term with pledges is protected: move them to another term first.
    """
    delete_with_history(term, deleted_by=deleted_by)
