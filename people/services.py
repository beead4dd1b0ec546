"""Writes for people and organisations. The admin and the demo loader call these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import Claim
from claims.services import (
    PERSON_FIELDS_SHOWN,
    delete_with_history,
    log_edits_of_claims_showing,
    logging_edits_if_shown_fields_change,
)
from claimtracker.versioning import save_versioned
from people.models import Person


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
