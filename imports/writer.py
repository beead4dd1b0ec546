"""Writing a checked spreadsheet: everything built first, then written in one short transaction.

The services (``person_save``, ``source_get_or_create``, ``topic_get_or_create``,
``claim_create``, ``claim_record_status``) write one record at a time, each with ``full_clean()``
and its history: some forty queries a claim. A 5,000-row file held the database's write lock
for half a minute, and other editors' saves failed with "database is locked" (SQLite) or waited
behind it (PostgreSQL). This writes the same records, by the same rules, in a few bulk statements:

- before the transaction: every row has passed ``spreadsheet.check`` (the models' own field
  rules, and the services' rules for the file as a whole), and every record is built;
- in the transaction: what the file refers to is looked up once (people, sources, topics, plans,
  so a record someone created since the preview is reused or reported), each model's
  ``clean()`` runs with its relations in place, the database's constraints check each insert
  (a refused insert is retried row by row, to name the row), each record gets one history
  entry naming the editor and the file, and the change feed gets what the services log (a claim
  created, a status recorded). On PostgreSQL the feed's table lock (see
  ``claims.services._log_change``) is taken last, so other writers wait for it the shortest time.

Keep this in step with the services it stands in for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from claims import services
from claims.models import (
    SCALE_OF_KIND,
    ChangeKind,
    Claim,
    ClaimAppearance,
    ClaimChange,
    ClaimKind,
    DatePrecision,
    Source,
    SourceKind,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
    Wording,
)
from claims.timeline import latest_in_effect
from imports.spreadsheet import (
    CLAIM_COLUMNS,
    KIND_KEYS,
    PERSON_COLUMNS,
    SOURCE_COLUMNS,
    STATUS_COLUMNS,
    YES,
    ImportFailed,
    ImportPlan,
    Progress,
    Row,
    RowError,
    evidence_urls,
    normalized_url,
    optional_date,
    period_start,
    row_errors,
    sliced,
    sort_errors,
    topic_names,
)
from people.models import Person, PersonKind

M = TypeVar("M", bound=models.Model)


@dataclass
class ClaimPlan:
    row: Row
    claim: Claim
    person: str
    parent: str
    quoted_from: str | None
    topics: list[str]  # slugs
    level: int = 0  # 0: its parent is not in the file; n: its parent is at level n - 1


@dataclass
class SourcePlan:
    row: Row
    url: str
    source: Source  # the details, used if the tracker has no source at this address
    first_appearance: bool
    excerpt: str


@dataclass
class UpdatePlan:
    row: Row
    claim_slug: str
    update: StatusUpdate
    evidence: list[str]  # normalised URLs, in the order given


@dataclass
class Batch:
    """Everything the file creates, built before the transaction."""

    user: User
    reason: str
    now: datetime.datetime
    total: int
    people: list[tuple[Row, Person]]
    sources: list[SourcePlan]
    evidence_only: dict[str, Source]  # evidence URLs that are neither a source row nor (yet) in the tracker
    topic_names: dict[str, str]  # slug → name, the first spelling in the file
    claims: list[ClaimPlan]
    updates: list[UpdatePlan]
    errors: list[RowError] = field(default_factory=list)

    @property
    def editor(self) -> User | None:
        return self.user if self.user is not None and self.user.is_authenticated else None


def prepare(*, plan: ImportPlan, user: User, reason: str) -> Batch:
    """Build every record the checked plan creates; nothing is written and no lock is taken."""
    now = timezone.now()
    statuses = {(status.scale, status.slug): status for status in Status.objects.all()}
    defaults = {status.scale: status for status in statuses.values() if status.is_default}
    batch = Batch(
        user=user,
        reason=reason,
        now=now,
        total=len(plan.rows),
        people=[(row, _person(row)) for row in plan.of_type("person")],
        sources=[_source(row) for row in plan.of_type("source")],
        evidence_only={},
        topic_names={},
        claims=[],
        updates=[],
    )
    described = {item.url for item in batch.sources}
    editor = batch.editor
    claims_by_slug: dict[str, ClaimPlan] = {}
    for row in plan.of_type("claim"):
        item = _claim(row, now=now, editor=editor, default_status=defaults)
        for name in topic_names(row):
            batch.topic_names.setdefault(Topic.slug_for(name), name)
        batch.claims.append(item)
        claims_by_slug[item.claim.slug] = item
    _set_levels(claims_by_slug)
    for row in plan.of_type("status"):
        item = claims_by_slug[row.text("claim")]
        status = statuses[(item.claim.scale, row.text("status").lower())]
        update = _update(row, item.claim, status, now=now, user=user)
        urls = list(dict.fromkeys(url for url in map(normalized_url, evidence_urls(row)) if url))
        for url in urls:
            if url not in described:
                batch.evidence_only.setdefault(url, Source(url=url, title=url[:300]))
        batch.updates.append(UpdatePlan(row=row, claim_slug=item.claim.slug, update=update, evidence=urls))
    _set_current_statuses(batch)
    return batch


def _set_current_statuses(batch: Batch) -> None:
    """Each claim's stored status, by the rule the services keep (``claims.timeline.latest_in_effect``).

    The updates are saved in the sheet's order, so a later row wins a tie, as its higher id would.
    """
    timelines: dict[str, list[StatusUpdate]] = {}
    for planned in batch.updates:
        timelines.setdefault(planned.claim_slug, []).append(planned.update)
    for item in batch.claims:
        latest = latest_in_effect(timelines.get(item.claim.slug, ()))
        if latest is not None:
            item.claim.current_status, item.claim.status_changed_on = latest.status, latest.effective_on


def _person(row: Row) -> Person:
    # As people.services.person_save stores them.
    return Person(
        name=row.text("name"),
        slug=row.text("slug"),
        kind=row.text("person_kind").lower() or PersonKind.PERSON,
        role=row.text("role"),
        country=row.text("country"),
        wikidata_id=row.text("wikidata_id").upper(),
    )


def _source(row: Row) -> SourcePlan:
    url = normalized_url(row.text("url")) or ""
    return SourcePlan(
        row=row,
        url=url,
        source=Source(
            url=url,
            title=row.text("title"),
            publisher=row.text("publisher"),
            published_on=optional_date(row, "published_on"),
            kind=row.text("source_kind").lower() or SourceKind.ARTICLE,
        ),
        first_appearance=row.text("first_appearance").lower() in YES,
        excerpt=row.text("excerpt"),
    )


def _claim(row: Row, *, now: datetime.datetime, editor: User | None, default_status: dict[str, Status]) -> ClaimPlan:
    # As claims.services.claim_create and claim_save store a new claim.
    kind = row.text("claim_kind").lower() or ClaimKind.PLEDGE
    precision = row.text("made_on_precision").lower() or DatePrecision.DAY
    visibility = row.text("visibility").lower() or Visibility.DRAFT
    scale = SCALE_OF_KIND[kind]
    with services.in_desk_language():  # the row's summary is the desk's own text
        claim = Claim(
            kind=kind,
            scale=scale,
            quote=row.text("quote"),
            wording=row.text("wording").lower() or Wording.PARAPHRASE,
            original_language=row.text("original_language"),
            original_text=row.text("original_text"),
            summary=row.text("summary"),
            slug=row.text("slug"),
            # Required: the check refused a row without one.
            made_on=cast(datetime.date, period_start(row, precision)),
            made_on_precision=precision,
            made_until=optional_date(row, "made_until"),
            deadline=optional_date(row, "deadline"),
            visibility=visibility,
            published_at=now if visibility != Visibility.DRAFT else None,
            current_status=default_status[scale],
            created_by=editor,
        )
    quoted_from = row.text("quoted_from")
    return ClaimPlan(
        row=row,
        claim=claim,
        person=row.text("person"),
        parent=row.text("parent"),
        quoted_from=normalized_url(quoted_from) if quoted_from else None,
        topics=list(dict.fromkeys(Topic.slug_for(name) for name in topic_names(row))),
    )


def _set_levels(claims: dict[str, ClaimPlan]) -> None:
    """A plan is written before its components: its level is one less than theirs."""
    for item in claims.values():
        level, parent, seen = 0, item.parent, {item.claim.slug}
        while parent in claims and parent not in seen:  # the check refused cycles; this only guards
            seen.add(parent)
            level, parent = level + 1, claims[parent].parent
        item.level = level


def _update(row: Row, claim: Claim, status: Status, *, now: datetime.datetime, user: User) -> StatusUpdate:
    # As claims.services.claim_record_status records a published update (or submits a verdict for approval).
    awaits_approval = services.verdict_needs_approval(status)
    with services.in_desk_language():  # the row's rationale is the desk's own text
        update = StatusUpdate(
            claim=claim,
            status=status,
            # Required: the check refused a row without one.
            effective_on=cast(datetime.date, optional_date(row, "effective_on")),
            rationale=row.text("rationale"),
            recorded_by=user,
            recorded_at=now,
            published_at=None if awaits_approval else now,
            submitted_at=now if awaits_approval else None,
        )
    return update


# --- writing -----------------------------------------------------------------------------------


def write(batch: Batch) -> Iterator[Progress]:
    """Write the batch in one transaction, yielding progress; raises ImportFailed (and rolls back) on any refusal."""
    created = dict.fromkeys(KIND_KEYS.values(), 0)
    progress = Progress(0, batch.total, created)
    with transaction.atomic():
        people = _write_people(batch)
        created["people"] = len(batch.people)
        progress.done += len(batch.people)
        yield progress

        sources = _write_sources(batch)
        created["sources"] = len(batch.sources)
        progress.done += len(batch.sources)
        yield progress

        claims = _write_claims(batch, people, sources)
        created["claims"] = len(batch.claims)
        progress.done += len(batch.claims)
        yield progress

        updates = _write_updates(batch, claims, sources)
        created["statuses"] = len(batch.updates)
        if not batch.errors:
            _log_changes(batch, claims, updates)
        if batch.errors:
            sort_errors(batch.errors)
            # Leaving the block with an exception rolls back every row written so far.
            raise ImportFailed(batch.errors)
        progress.done += len(batch.updates)
        yield progress


def _validated(batch: Batch, items: Iterable[tuple[Row, M]], columns: dict[str, str]) -> list[tuple[Row, M]]:
    """The items whose model's ``clean()`` accepts them; the others are reported against their rows."""
    valid = []
    for row, instance in items:
        try:
            instance.clean()
        except ValidationError as error:
            batch.errors.extend(row_errors(row, error, columns))
        else:
            valid.append((row, instance))
    return valid


def _insert(batch: Batch, model: type[M], items: list[tuple[Row, M]], columns: dict[str, str]) -> list[tuple[Row, M]]:
    """Insert in bulk; if the database refuses, insert row by row to name the rows it refuses."""
    if not items:
        return []
    try:
        with transaction.atomic():
            model._default_manager.bulk_create([instance for _, instance in items])
    except (IntegrityError, DataError):
        pass
    else:
        return items
    inserted = []
    for row, instance in items:
        instance.pk, instance._state.adding = None, True
        try:
            with transaction.atomic():
                model._default_manager.bulk_create([instance])
        except (IntegrityError, DataError) as error:
            instance.pk = None
            batch.errors.extend(_refusal(row, instance, error, columns))
        else:
            inserted.append((row, instance))
    return inserted


def _refusal(row: Row, instance: models.Model, error: Exception, columns: dict[str, str]) -> list[RowError]:
    """The model's own words for what the database refused, where it has them."""
    try:
        instance.validate_unique()
        instance.validate_constraints()
    except ValidationError as validation_error:
        return row_errors(row, validation_error, columns)
    return [RowError(row.number, "", gettext("The database refused this row: %(error)s") % {"error": error})]


def _history(batch: Batch, model: type[models.Model], instances: list[Any]) -> None:
    """One history entry per record, naming the editor and the file, as the services write it."""
    if instances:
        # Every model this writes keeps a simple_history table; the stubs know nothing of it.
        model.history.bulk_history_create(  # type: ignore[attr-defined]
            instances, default_user=batch.editor, default_change_reason=batch.reason
        )


def _taken(model: type[models.Model], field_name: str, values: Iterable[str]) -> dict[str, Any]:
    """The records already stored under these values of a unique field, looked up in slices."""
    found: dict[str, Any] = {}
    for part in sliced(values):
        for instance in model._default_manager.filter(**{f"{field_name}__in": part}):
            found[getattr(instance, field_name)] = instance
    return found


def _write_people(batch: Batch) -> dict[str, Person]:
    """The file's people, created; and the people the file's claims refer to, by slug."""
    taken = _taken(Person, "slug", [person.slug for _, person in batch.people])
    fresh = []
    for row, person in batch.people:
        if person.slug in taken:
            batch.errors.append(
                RowError(row.number, "slug", gettext("A person “%(slug)s” already exists.") % {"slug": person.slug})
            )
        else:
            fresh.append((row, person))
    written = _insert(batch, Person, _validated(batch, fresh, PERSON_COLUMNS), PERSON_COLUMNS)
    _history(batch, Person, [person for _, person in written])
    people = {person.slug: person for _, person in written}
    wanted = {item.person for item in batch.claims} - set(people) - {person.slug for _, person in batch.people}
    people.update(_taken(Person, "slug", wanted))
    return people


def _write_sources(batch: Batch) -> dict[str, Source]:
    """Every source the file names, by URL: reused when the tracker has it, otherwise created."""
    urls = [item.url for item in batch.sources] + list(batch.evidence_only)
    sources: dict[str, Source] = _taken(Source, "url", urls)
    fresh: list[tuple[Row, Source]] = []
    for item in batch.sources:
        if item.url not in sources:
            sources[item.url] = item.source
            fresh.append((item.row, item.source))
    written = _insert(batch, Source, _validated(batch, fresh, SOURCE_COLUMNS), SOURCE_COLUMNS)
    evidence = []
    rows_of = {url: item.row for item in batch.updates for url in item.evidence}
    for url, source in batch.evidence_only.items():
        if url not in sources:
            sources[url] = source
            evidence.append((rows_of[url], source))
    written += _insert(batch, Source, evidence, {"url": "evidence_url"})
    _history(batch, Source, [source for _, source in written])
    return {url: source for url, source in sources.items() if source.pk is not None}


def _write_topics(batch: Batch) -> dict[str, Topic]:
    # As claims.services.topic_get_or_create: by slug; a topic of the same name is the same topic.
    # Names are the desk's own (English) names, compared and stored in that column.
    with services.in_desk_language():
        return _desk_topics(batch)


def _desk_topics(batch: Batch) -> dict[str, Topic]:
    topics: dict[str, Topic] = _taken(Topic, "slug", batch.topic_names)
    by_name = _taken(Topic, "name", [name for slug, name in batch.topic_names.items() if slug not in topics])
    fresh = []
    for slug, name in batch.topic_names.items():
        if slug in topics:
            continue
        if name in by_name:
            topics[slug] = by_name[name]
            continue
        topics[slug] = Topic(name=name, slug=slug)
        fresh.append(topics[slug])
    if fresh:
        Topic.objects.bulk_create(fresh)
        _history(batch, Topic, fresh)
    return topics


def _write_claims(batch: Batch, people: dict[str, Person], sources: dict[str, Source]) -> dict[str, Claim]:
    """The claims, plans before their components, with their topics and appearances."""
    claims: dict[str, Claim] = {}
    taken = _taken(Claim, "slug", [item.claim.slug for item in batch.claims])
    existing_parents = _taken(Claim, "slug", {item.parent for item in batch.claims if item.parent} - set(taken))
    missing: dict[str, str] = {}  # slug → what it refers to that was not imported
    for level in sorted({item.level for item in batch.claims}):
        ready = []
        for item in (item for item in batch.claims if item.level == level):
            reason = _unresolved(item, people, sources, claims, existing_parents, missing)
            if item.claim.slug in taken:
                batch.errors.append(
                    RowError(
                        item.row.number,
                        "slug",
                        gettext("A claim “%(slug)s” already exists.") % {"slug": item.claim.slug},
                    )
                )
                missing[item.claim.slug] = _claim_named(item.claim.slug)
                continue
            if reason:
                batch.errors.append(
                    RowError(
                        item.row.number,
                        "",
                        gettext("Refers to something that was not imported: %(what)s.") % {"what": reason},
                    )
                )
                missing[item.claim.slug] = _claim_named(item.claim.slug)
                continue
            claim = item.claim
            claim.claimant = people[item.person]
            claim.wording_source = sources[item.quoted_from] if item.quoted_from else None
            claim.parent = (claims.get(item.parent) or existing_parents.get(item.parent)) if item.parent else None
            ready.append((item.row, claim))
        written = _insert(batch, Claim, _validated(batch, ready, CLAIM_COLUMNS), CLAIM_COLUMNS)
        claims.update((claim.slug, claim) for _, claim in written)
        for item in batch.claims:
            if item.level == level and item.claim.slug not in claims:
                missing.setdefault(item.claim.slug, _claim_named(item.claim.slug))
    _history(batch, Claim, list(claims.values()))
    topics = _write_topics(batch)
    Claim.topics.through.objects.bulk_create(
        [
            Claim.topics.through(claim_id=claims[item.claim.slug].pk, topic_id=topics[slug].pk)
            for item in batch.claims
            if item.claim.slug in claims
            for slug in item.topics
        ]
    )
    appearances = [
        (
            item.row,
            ClaimAppearance(
                claim=claims[item.row.text("claim")],
                source=sources[item.url],
                is_first_appearance=item.first_appearance,
                excerpt=item.excerpt,
            ),
        )
        for item in batch.sources
        if item.row.text("claim") in claims and item.url in sources
    ]
    _insert(batch, ClaimAppearance, appearances, {"excerpt": "excerpt", "source": "url"})
    return claims


def _unresolved(
    item: ClaimPlan,
    people: dict[str, Person],
    sources: dict[str, Source],
    claims: dict[str, Claim],
    existing_parents: dict[str, Claim],
    missing: dict[str, str],
) -> str:
    """What the claim refers to that is not there (a row of the file that failed), or ""."""
    if item.person not in people:
        return pgettext("what a row refers to", "person “%(slug)s”") % {"slug": item.person}
    if item.quoted_from and item.quoted_from not in sources:
        return pgettext("what a row refers to", "source %(url)s") % {"url": item.quoted_from}
    if item.parent and item.parent not in claims and item.parent not in existing_parents:
        return missing.get(item.parent) or _claim_named(item.parent)
    return ""


def _claim_named(slug: str) -> str:
    return pgettext("what a row refers to", "claim “%(slug)s”") % {"slug": slug}


def _write_updates(batch: Batch, claims: dict[str, Claim], sources: dict[str, Source]) -> list[StatusUpdate]:
    ready = []
    for item in batch.updates:
        claim = claims.get(item.claim_slug)
        if claim is None:
            continue  # the claim's own row says why
        item.update.claim = claim
        ready.append((item.row, item.update))
    written = _insert(batch, StatusUpdate, _validated(batch, ready, STATUS_COLUMNS), STATUS_COLUMNS)
    StatusUpdate.evidence.through.objects.bulk_create(
        [
            StatusUpdate.evidence.through(statusupdate_id=item.update.pk, source_id=sources[url].pk)
            for item in batch.updates
            if item.update.pk is not None
            for url in item.evidence
            if url in sources
        ]
    )
    _history(batch, StatusUpdate, [update for _, update in written])
    return [update for _, update in written]


def _log_changes(batch: Batch, claims: dict[str, Claim], updates: list[StatusUpdate]) -> None:
    """The change feed's entries, as the services log them: each claim created, each status recorded."""
    editor = batch.editor
    changes = [
        ClaimChange(
            claim=claim, kind=ChangeKind.CREATED, visibility=claim.visibility, changed_by=editor, recorded_at=batch.now
        )
        for claim in claims.values()
    ]
    changes += [
        ClaimChange(
            claim=update.claim,
            kind=ChangeKind.STATUS_RECORDED,
            status_update=update,
            visibility=update.claim.visibility,
            changed_by=editor,
            recorded_at=update.published_at,
        )
        for update in updates
        if update.published_at is not None
    ]
    services.log_changes(changes, changed_by=editor)
