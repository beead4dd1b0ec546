"""Writes for people and organisations. The admin and the demo loader call these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

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
    """Validate and store a new or edited person; refuses a save based on a stale version."""
    person.name = person.name.strip()
    person.wikidata_id = person.wikidata_id.strip().upper()
    person.full_clean()
    save_versioned(person, expected_version=expected_version, changed_by=saved_by, reason=reason)
    return person
