"""Synthetic claims at newsroom scale, for benchmarks and load tests (``manage.py generate_synthetic``).

Rows are generated in Python and written in batches straight into the tables — ``COPY`` on
PostgreSQL, ``executemany`` on SQLite — rather than through ``claims.services``, which would
take a million transactions, row locks and history rows. That is safe because what the services
guarantee is a function of the final rows alone, and we compute it the same way here:

- a claim's ``current_status``/``status_changed_on`` are those of its latest published, not
  removed update that no standing correction replaces (by effective date, then recording time,
  then id), or the scale's default — ``current_status_from_timeline`` below applies
  ``claims.timeline.latest_in_effect``, the in-memory form of
  ``claims.services._refresh_current_status``, which recomputes from the whole timeline after
  every write, so the order of writes does not matter; ``tests/test_synthetic_data.py`` checks
  every generated claim against the services' own query;
- the change feed (``ClaimChange``) gets the rows the services would have logged, in
  chronological id order: created, published (or withdrawn, with its reason as the note), one
  per published update, and one per removal (with its reason);
- what the services refuse is never written: every published verdict cites at least one
  evidence source, no status takes effect after the newsroom's today, a withdrawn claim says
  why, and a quoted (verbatim) claim names the source its words are taken from;
- the database still checks every constraint and runs every trigger (statuses on the claim's
  scale, corrections within one claim, the search index).

Skipped on purpose: django-simple-history rows (synthetic data has no editorial history to
show), and ``must_act``. Every synthetic person and claim has a slug starting with ``syn-``,
which is how the command recognises a database that holds only synthetic data.
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.models import Min
from django.utils import timezone

from claims.dates import newsroom_today, normalise_period_start
from claims.models import (
    SCALE_OF_KIND,
    ChangeKind,
    Claim,
    ClaimAppearance,
    ClaimChange,
    ClaimKind,
    DatePrecision,
    Scale,
    Source,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
    Wording,
)
from claims.timeline import latest_in_effect
from people.models import Person, Term

SLUG_PREFIX = "syn-"
GENERATOR_USERNAME = "synthetic-generator"
BATCH_CLAIMS = 5000
FIRST_DAY = datetime.date(2017, 1, 1)
LAST_DAY = datetime.date(2026, 6, 30)


def _words(text: str, separator: str = "|") -> list[str]:
    return [word.strip() for word in text.split(separator) if word.strip()]


FIRST_NAMES = _words(
    "Ada|Amara|Ben|Carla|Chen|Dara|Elif|Emil|Farah|Gita|Hana|Ivan|Jonas|Kemi|Lars|Lucia|Malik|Mei|Nadia|Omar|"
    "Olga|Pablo|Priya|Rafael|Rosa|Sami|Sofia|Tariq|Uma|Viktor|Wen|Yara|Zofia|Aiko|Bruno|Cyrus|Dilnoza|Eamon"
)
LAST_NAMES = _words(
    "Abara|Bianchi|Castillo|Dubois|Eriksen|Fischer|Garcia|Haddad|Ivanova|Jensen|Kowalski|Lindqvist|Moreau|"
    "Nakamura|Okafor|Petrov|Quispe|Rahman|Santos|Tanaka|Ueda|Varga|Weber|Xu|Yilmaz|Zielinski|Novak|Costa"
)
ROLES = _words(
    "Prime Minister|President|Minister of Finance|Minister of Health|Mayor|Governor|Senator|Member of Parliament|"
    "Leader of the Opposition|Party chair|Foreign Minister|Defence Minister|Central bank governor|Spokesperson"
)
ORGANISATIONS = _words(
    "Ministry of Defence|Treasury|Central Bank|Health Service|Transport Authority|Electoral Commission|"
    "Institute for Policy Studies|National Audit Office|Chamber of Commerce|Energy Regulator"
)
COUNTRIES = _words("Ukraine|Poland|Germany|France|United States|Brazil|India|Nigeria|Japan|Kenya|Mexico|Canada")
TOPICS = _words(
    "Housing|Healthcare|Taxes|Defence|Education|Energy|Transport|Climate|Jobs|Pensions|Immigration|Crime|"
    "Foreign policy|Trade|Agriculture|Water|Digital|Elections|Corruption|Budget|Inflation|Childcare|Science|"
    "Culture|Sport|Veterans|Disability|Rural affairs|Cities|Justice|Media|Tourism|Fisheries|Space|Aid|Roads|"
    "Railways|Airports|Ports|Mining"
)
PLEDGE_VERBS = _words("build|fund|cut|raise|double|halve|abolish|create|protect|expand|reform|modernise|end|deliver")
STATEMENT_VERBS = _words("fell|rose|doubled|halved|stayed flat|reached a record|dropped sharply|grew")
OBJECTS = _words(
    "affordable homes|hospital beds|income tax|border checks|teacher salaries|solar farms|bus routes|railway lines|"
    "school meals|police officers|pension payments|childcare places|broadband coverage|water pipes|army brigades|"
    "research grants|rural clinics|bridge repairs|fuel duty|nurse training|carbon emissions|youth unemployment|"
    "food prices|farm subsidies|court backlogs|air defence systems|drone production|export credits|port capacity"
)
WHEN = _words("by 2027|within a year|before the next election|this term|in the first 100 days|by the end of the decade")
PUBLISHERS = _words("Daily Ledger|Morning Courier|Public Broadcaster|Wire Service|The Observer Desk|Regional Times")
WITHDRAWAL_REASONS = (
    "The quote was misattributed: the words were the interviewer's, not the claimant's.",
    "A duplicate of another claim in the tracker.",
    "The only source for this claim was retracted by its publisher.",
)
REMOVAL_REASONS = (
    "Removed on legal advice: the rationale named a private individual.",
    "Removed at a source's request: the evidence cited was published in error.",
)
RATIONALE_OPENINGS = (
    "Official figures published this month show",
    "The ministry's own report confirms",
    "According to the budget documents,",
    "Independent auditors found that",
    "Our review of the parliamentary record shows",
)


@dataclass
class Update:
    id: int
    status_id: int
    effective_on: datetime.date
    recorded_at: datetime.datetime
    published_at: datetime.datetime | None
    corrects_id: int | None = None
    evidence: list[int] = field(default_factory=list)
    removed_at: datetime.datetime | None = None
    removal_reason: str = ""


def current_status_from_timeline(updates: Sequence[Update], default_status_id: int) -> tuple[int, datetime.date | None]:
    """The stored status and since-date the services would give a claim with this timeline.

    The rule is ``claims.timeline.latest_in_effect`` (the in-memory twin of
    ``claims.services._refresh_current_status``); the scale's default when no update counts.
    """
    latest = latest_in_effect(updates)
    if latest is None:
        return default_status_id, None
    return latest.status_id, latest.effective_on


def last_day() -> datetime.date:
    """The last day anything is dated: ``LAST_DAY``, or yesterday in the newsroom if that is earlier.

    The services refuse a status that takes effect after the newsroom's today; so does this.
    """
    return min(LAST_DAY, newsroom_today() - datetime.timedelta(days=1))


def _date_precision(
    made_on: datetime.date, rng: random.Random, until_latest: datetime.date
) -> tuple[datetime.date, str, datetime.date | None]:
    """Most claims are dated to the day; some sources give only a month, a year or a range."""
    draw = rng.random()
    if draw < 0.9:
        return made_on, DatePrecision.DAY, None
    if draw < 0.96:
        return normalise_period_start(made_on, DatePrecision.MONTH), DatePrecision.MONTH, None
    if draw < 0.98:
        return normalise_period_start(made_on, DatePrecision.YEAR), DatePrecision.YEAR, None
    made_until = min(until_latest, made_on + datetime.timedelta(days=rng.randrange(7, 90)))
    if made_until <= made_on:
        return made_on, DatePrecision.DAY, None
    return made_on, DatePrecision.RANGE, made_until


TRANSLATED_FROM = ("uk", "pl", "de", "fr", "pt", "ja")


def _wording(rng: random.Random, first_source: int) -> tuple[str, int | None, str]:
    """Mostly reported speech; some quotes (and translated quotes) taken from the first appearance."""
    draw = rng.random()
    if draw < 0.75:
        return Wording.PARAPHRASE, None, ""
    if draw < 0.95:
        return Wording.VERBATIM, first_source, ""
    return Wording.TRANSLATION, first_source, rng.choice(TRANSLATED_FROM)


def _maybe_remove_one(updates: list[Update], rng: random.Random, now: datetime.datetime) -> None:
    """Rarely, a published update that nothing corrects was later removed (legal or privacy grounds)."""
    if rng.random() >= 0.01:
        return
    corrected = {update.corrects_id for update in updates}
    candidates = [
        update
        for update in updates
        if update.published_at is not None and update.corrects_id is None and update.id not in corrected
    ]
    if not candidates:
        return
    update = rng.choice(candidates)
    published_at = cast(datetime.datetime, update.published_at)  # candidates are published
    removed_at = published_at + datetime.timedelta(days=rng.randrange(1, 30))
    if removed_at < now:
        update.removed_at, update.removal_reason = removed_at, rng.choice(REMOVAL_REASONS)


class NotSynthetic(Exception):
    """The database holds data this command did not make."""


def non_synthetic_rows(using: str = "default") -> list[str]:
    problems = []
    if Claim.objects.using(using).exclude(slug__startswith=SLUG_PREFIX).exists():
        problems.append("claims")
    if Person.objects.using(using).exclude(slug__startswith=SLUG_PREFIX).exists():
        problems.append("people")
    return problems


class _Writer:
    """Appends rows to a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.vendor = self.connection.vendor

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        rows = list(rows)
        if not rows:
            return
        quoted = ", ".join(self.connection.ops.quote_name(column) for column in columns)
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:  # psycopg 3
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                # Table and column names are our own models', quoted by the backend.
                statement = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
                cursor.executemany(statement, [tuple(self._sqlite(value) for value in row) for row in rows])

    @staticmethod
    def _sqlite(value: Any) -> Any:
        # Django stores SQLite dates and UTC date-times as ISO text.
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value


def _next_id(model: type[models.Model], using: str) -> int:
    # Every model passed (through tables included) has an ``objects`` manager; type[Model] does not say so.
    last = model.objects.using(using).order_by("-pk").values_list("pk", flat=True).first()  # type: ignore[attr-defined]
    return (last or 0) + 1


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC) + datetime.timedelta(
        seconds=rng.randrange(6 * 3600, 22 * 3600)
    )


@dataclass
class GenerationResult:
    people: int = 0
    claims: int = 0
    status_updates: int = 0
    changes: int = 0
    terms: int = 0
    seconds: float = 0.0


def generate(
    *,
    claims: int,
    seed: int = 42,
    using: str = "default",
    progress: Callable[[int, int, float], None] | None = None,
) -> GenerationResult:
    """Add ``claims`` synthetic claims (with people, sources, topics, timelines and changes)."""
    # Synthetic data, not secrets: a seeded generator makes every run the same.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    started = time.monotonic()
    run = _start_run(rng, using)
    result = GenerationResult()
    result.people = _write_people_topics_and_sources(run, claims)

    ids = _NextIds.after_existing_rows(using)
    claimants = _Claimants(run.person_ids)
    made = 0
    while made < claims:
        batch = _Batch()
        for index in range(made, made + min(BATCH_CLAIMS, claims - made)):
            result.status_updates += _add_claim(run, ids, claimants, batch, index=index, total=claims)
        made += len(batch.claim_rows)
        _write_batch(run, batch)
        result.changes += len(batch.change_rows)
        if progress is not None:
            progress(made, claims, time.monotonic() - started)

    result.terms = _write_terms(run)
    _reset_sequences(using)
    result.claims = made
    result.seconds = time.monotonic() - started
    return result


# A synthetic person's term of office lasts this long (or is still running on the last day).
TERM_LENGTH = datetime.timedelta(days=4 * 365)


def _write_terms(run: _Run) -> int:
    """A term of office for each synthetic person with pledges, from their first pledge, holding the
    pledges made in it: scorecards and their weekly series get terms to count. Drawn from no random
    numbers, so the claims a seed gives stay the same."""
    people = set(run.person_ids)
    firsts = (
        Claim.objects.using(run.using)
        .filter(claimant_id__in=people, claimant__kind=Person.Kind.PERSON, scale=Scale.PROMISE)
        .order_by()
        .values("claimant_id")
        .annotate(first=Min("made_on"))
    )
    terms = []
    for row in firsts:
        ends_on = row["first"] + TERM_LENGTH - datetime.timedelta(days=1)
        terms.append(
            Term(
                person_id=row["claimant_id"],
                office="Head of government",
                starts_on=row["first"],
                ends_on=ends_on if ends_on < run.final_day else None,
                created_at=run.now,
                updated_at=run.now,
            )
        )
    with transaction.atomic(using=run.using):
        Term.objects.using(run.using).bulk_create(terms, batch_size=1000)
        for term in Term.objects.using(run.using).filter(person_id__in=people):
            in_term = Claim.objects.using(run.using).filter(
                claimant_id=term.person_id, scale=Scale.PROMISE, made_on__gte=term.starts_on
            )
            if term.ends_on is not None:
                in_term = in_term.filter(made_on__lte=term.ends_on)
            in_term.update(term_id=term.pk)
    return len(terms)


# --- the steps of ``generate``, in the order it takes them ---------------------------------------
# Every step draws from the one seeded ``rng`` in a fixed order: reordering draws changes the data
# a seed gives (tests/test_synthetic_data.py pins that the same seed gives the same data).


@dataclass
class _Run:
    """What every step of one ``generate`` call reads: the random source, the database and the statuses."""

    rng: random.Random
    using: str
    writer: _Writer
    generator_pk: int
    default_of: dict[str, int]  # scale → its default status
    ratings_of: dict[str, list[int]]  # scale → its verdict statuses
    final_day: datetime.date
    now: datetime.datetime
    person_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    source_ids: list[int] = field(default_factory=list)


def _start_run(rng: random.Random, using: str) -> _Run:
    default_of, ratings_of = _statuses_by_scale(using)
    final_day = last_day()
    return _Run(
        rng=rng,
        using=using,
        writer=_Writer(using),
        generator_pk=_generator_user(using).pk,
        default_of=default_of,
        ratings_of=ratings_of,
        final_day=final_day,
        now=_written_at(final_day),
    )


def _generator_user(using: str) -> AbstractBaseUser:
    """The inactive user every synthetic row is recorded by (created once, without a password)."""
    generator, created = (
        get_user_model()
        .objects.db_manager(using)
        .get_or_create(username=GENERATOR_USERNAME, defaults={"is_active": False})
    )
    if created:
        generator.set_unusable_password()
        generator.save(using=using)
    return generator


def _statuses_by_scale(using: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    statuses = list(Status.objects.using(using).order_by("scale", "order"))
    default_of = {status.scale: status.pk for status in statuses if status.is_default}
    ratings_of: dict[str, list[int]] = {}
    for status in statuses:
        if not status.is_default:
            ratings_of.setdefault(status.scale, []).append(status.pk)
    return default_of, ratings_of


def _written_at(final_day: datetime.date) -> datetime.datetime:
    """Rows say they were written the day after the last dated event, or now if that is earlier."""
    return min(
        datetime.datetime.combine(final_day + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC),
        timezone.now(),
    )


def _write_people_topics_and_sources(run: _Run, claims: int) -> int:
    """Write the people, topics and sources the claims will cite; return how many people."""
    person_count = max(20, min(5000, claims // 200))
    people_rows = _people_rows(run, person_count)
    topic_rows = _topic_rows(run.using)
    source_rows = _source_rows(run, max(50, claims // 8))
    run.person_ids = [row[0] for row in people_rows]
    run.topic_ids = [row[0] for row in topic_rows]
    run.source_ids = [row[0] for row in source_rows]
    with transaction.atomic(using=run.using):
        run.writer.write("people_person", PERSON_COLUMNS, people_rows)
        run.writer.write("claims_topic", ["id", "name", "slug", "name_en"], topic_rows)
        run.writer.write("claims_source", SOURCE_COLUMNS, source_rows)
    return person_count


PERSON_COLUMNS = ["id", "name", "slug", "kind", "role", "country", "bio", "wikidata_id", "version"]
PERSON_COLUMNS += ["created_at", "updated_at"]
SOURCE_COLUMNS = ["id", "url", "title", "publisher", "author", "published_on", "kind", "archive_url", "version"]
SOURCE_COLUMNS += ["created_at", "updated_at"]


def _people_rows(run: _Run, count: int) -> list[tuple]:
    """People: every tenth an organisation, the rest people with a role."""
    rng, now = run.rng, run.now
    start = _next_id(Person, run.using)
    rows = []
    for offset in range(count):
        pk = start + offset
        if offset % 10 == 9:
            name, kind, role = f"{rng.choice(ORGANISATIONS)} {pk}", Person.Kind.ORGANISATION, ""
        else:
            name, kind = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", Person.Kind.PERSON
            role = rng.choice(ROLES)
        bio = f"{name}, {role}."
        rows.append((pk, name, f"{SLUG_PREFIX}person-{pk}", kind, role, rng.choice(COUNTRIES), bio, "", 1, now, now))
    return rows


def _topic_rows(using: str) -> list[tuple]:
    """One topic per name in ``TOPICS``, skipping any an earlier run already added."""
    start = _next_id(Topic, using)
    existing_slugs = set(Topic.objects.using(using).values_list("slug", flat=True))
    return [
        (start + offset, topic_name, f"{SLUG_PREFIX}topic-{start + offset}", topic_name)
        for offset, name in enumerate(TOPICS)
        for topic_name in [f"{name} ({SLUG_PREFIX}{start + offset})"]
        if f"{SLUG_PREFIX}topic-{start + offset}" not in existing_slugs
    ]


def _source_rows(run: _Run, count: int) -> list[tuple]:
    rng, now = run.rng, run.now
    start = _next_id(Source, run.using)
    rows = []
    for offset in range(count):
        pk = start + offset
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange((run.final_day - FIRST_DAY).days))
        publisher = rng.choice(PUBLISHERS)
        title = f"{rng.choice(OBJECTS).capitalize()}: report {pk}"
        url = f"https://news.example/{SLUG_PREFIX}{pk}"
        rows.append((pk, url, title, publisher, "", day, rng.choice(Source.Kind.values), "", 1, now, now))
    return rows


@dataclass
class _NextIds:
    """The next primary key of each table the claims are written to (the rows carry explicit ids)."""

    claim: int
    update: int
    change: int
    appearance: int
    claim_topic: int
    evidence: int

    @classmethod
    def after_existing_rows(cls, using: str) -> _NextIds:
        return cls(
            claim=_next_id(Claim, using),
            update=_next_id(StatusUpdate, using),
            change=_next_id(ClaimChange, using),
            appearance=_next_id(ClaimAppearance, using),
            claim_topic=_next_id(Claim.topics.through, using),
            evidence=_next_id(StatusUpdate.evidence.through, using),
        )

    def take(self, table: str) -> int:
        value = getattr(self, table)
        setattr(self, table, value + 1)
        return value


class _Claimants:
    """Who makes the next claim: a few prolific claimants and a long tail, as in a real tracker.

    A plan owes 2–4 component pledges by its own claimant; about half the claims made while any
    are owed are such components.
    """

    def __init__(self, person_ids: list[int]) -> None:
        self.person_ids = person_ids
        self.weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(person_ids))]
        self.pending_components: list[tuple[int, int]] = []  # (plan id, claimant) still owed components

    def next(self, rng: random.Random) -> tuple[int, ClaimKind, int | None]:
        """(claimant, kind, parent plan id or None) of the next claim."""
        if self.pending_components and rng.random() < 0.5:
            parent_id, claimant = self.pending_components.pop()
            return claimant, ClaimKind.PLEDGE, parent_id
        claimant = rng.choices(self.person_ids, self.weights)[0]
        kind = rng.choices(
            [ClaimKind.PLEDGE, ClaimKind.PLAN, ClaimKind.STATEMENT, ClaimKind.FACTUAL_CLAIM], [45, 5, 25, 25]
        )[0]
        return claimant, kind, None

    def owe_components(self, rng: random.Random, plan_id: int, claimant: int) -> None:
        self.pending_components.extend((plan_id, claimant) for _ in range(rng.randint(2, 4)))


@dataclass
class _Batch:
    """The rows of up to ``BATCH_CLAIMS`` claims, written in one transaction."""

    claim_rows: list[tuple] = field(default_factory=list)
    topic_link_rows: list[tuple] = field(default_factory=list)
    appearance_rows: list[tuple] = field(default_factory=list)
    update_rows: list[tuple] = field(default_factory=list)
    correction_rows: list[tuple] = field(default_factory=list)
    evidence_rows: list[tuple] = field(default_factory=list)
    change_rows: list[tuple] = field(default_factory=list)


def _add_claim(run: _Run, ids: _NextIds, claimants: _Claimants, batch: _Batch, *, index: int, total: int) -> int:
    """Add the ``index``-th claim's rows (claim, topics, appearances, timeline, change feed) to ``batch``.

    Claims are spread evenly over the years in the order they are made. Returns how many status
    updates the claim has.
    """
    rng = run.rng
    pk = ids.take("claim")
    span = (run.final_day - FIRST_DAY).days
    made_on = FIRST_DAY + datetime.timedelta(days=min(span - 1, index * span // total + rng.randrange(3)))
    claimant, kind, parent_id = claimants.next(rng)
    scale = SCALE_OF_KIND[kind]
    summary, quote, deadline = _claim_text(rng, scale, made_on)
    visibility = rng.choices([Visibility.PUBLISHED, Visibility.DRAFT, Visibility.WITHDRAWN], [95, 4, 1])[0]
    created_at = _at(made_on, rng)
    published_at = None if visibility == Visibility.DRAFT else created_at + datetime.timedelta(hours=2)
    made_on_start, precision, made_until = _date_precision(made_on, rng, run.final_day)
    appearance_sources = rng.sample(run.source_ids, rng.randint(1, 2))
    wording, wording_source, language = _wording(rng, appearance_sources[0])

    updates = _timeline(run, ids, scale, made_on)
    status_id, changed_on = current_status_from_timeline(updates, run.default_of[scale])
    last_write = max(
        [
            published_at or created_at,
            *(u.published_at or u.recorded_at for u in updates),
            *(u.removed_at for u in updates if u.removed_at is not None),
        ]
    )
    withdrawn_at, withdrawal_reason = None, ""
    if visibility == Visibility.WITHDRAWN:
        withdrawn_at = last_write + datetime.timedelta(minutes=5)
        withdrawal_reason = rng.choice(WITHDRAWAL_REASONS)

    slug_words = "-".join(summary.lower().replace(",", "").split()[:6])
    batch.claim_rows.append(
        (
            pk,
            kind,
            scale,
            quote,
            wording,
            wording_source,
            language,
            "",
            summary[:120],
            f"{SLUG_PREFIX}{pk}-{slug_words}",
            made_on_start,
            precision,
            made_until,
            deadline,
            changed_on,
            visibility,
            published_at,
            withdrawn_at,
            withdrawal_reason,
            1 + len(updates),
            created_at,
            withdrawn_at or last_write,
            claimant,
            run.generator_pk,
            status_id,
            parent_id,
            summary[:120],  # summary_en: the desk's English column of the translated summary
        )
    )
    if kind == ClaimKind.PLAN:
        claimants.owe_components(rng, pk, claimant)
    for topic in rng.sample(run.topic_ids, rng.randint(1, 3)):
        batch.topic_link_rows.append((ids.take("claim_topic"), pk, topic))
    for position, source in enumerate(appearance_sources):
        excerpt = f"“{quote[:80]}”" if position == 0 else ""
        batch.appearance_rows.append((ids.take("appearance"), position == 0, excerpt, pk, source))

    _add_updates_and_changes(
        run,
        ids,
        batch,
        claim_pk=pk,
        summary=summary,
        updates=updates,
        created_at=created_at,
        published_at=published_at,
        withdrawn=(withdrawn_at, withdrawal_reason),
    )
    return len(updates)


def _claim_text(rng: random.Random, scale: str, made_on: datetime.date) -> tuple[str, str, datetime.date | None]:
    """(summary, quote, deadline): a pledge on the promise scale, a statement of fact otherwise."""
    thing = rng.choice(OBJECTS)
    if scale == "promise":
        verb = rng.choice(PLEDGE_VERBS)
        summary = f"{verb.capitalize()} {thing} {rng.choice(WHEN)}"
        quote = (
            f"We will {verb} {thing} {rng.choice(WHEN)}, and {rng.choice(PLEDGE_VERBS)} "
            f"{rng.choice(OBJECTS)} across {rng.choice(COUNTRIES)}."
        )
        deadline = made_on + datetime.timedelta(days=rng.randrange(180, 1500)) if rng.random() < 0.6 else None
        return summary, quote, deadline
    verb = rng.choice(STATEMENT_VERBS)
    summary = f"{thing.capitalize()} {verb} since {made_on.year - rng.randrange(1, 6)}"
    quote = f"{thing.capitalize()} {verb} under this government, the {rng.choice(TOPICS).lower()} data show."
    return summary, quote, None


def _timeline(run: _Run, ids: _NextIds, scale: str, made_on: datetime.date) -> list[Update]:
    """1–6 updates on the claim's scale, sometimes a correction, rarely a draft or a removal.

    Every update is a verdict, so each cites one or two sources.
    """
    rng = run.rng
    updates: list[Update] = []
    day = made_on
    for position in range(rng.randint(1, 6)):
        day = min(run.final_day, day + datetime.timedelta(days=rng.randrange(1, 120)))
        recorded_at = _at(day, rng)
        is_draft = position > 0 and rng.random() < 0.02
        update = Update(
            id=ids.take("update"),
            status_id=rng.choice(run.ratings_of[scale]),
            effective_on=day,
            recorded_at=recorded_at,
            published_at=None if is_draft else recorded_at,
            evidence=rng.sample(run.source_ids, rng.randint(1, 2)),
        )
        updates.append(update)
        previous = updates[-2] if len(updates) > 1 else None
        if (
            previous is not None
            and previous.corrects_id is None
            and not any(other.corrects_id == previous.id for other in updates)
            and rng.random() < 0.05
        ):
            update.corrects_id, update.effective_on = previous.id, previous.effective_on
    _maybe_remove_one(updates, rng, run.now)
    return updates


def _add_updates_and_changes(
    run: _Run,
    ids: _NextIds,
    batch: _Batch,
    *,
    claim_pk: int,
    summary: str,
    updates: list[Update],
    created_at: datetime.datetime,
    published_at: datetime.datetime | None,
    withdrawn: tuple[datetime.datetime | None, str],
) -> None:
    """The claim's update and evidence rows, and its change feed as the services would have logged it.

    Change ids follow time within a claim.
    """
    generator_pk = run.generator_pk
    feed_visibility = Visibility.DRAFT if published_at is None else Visibility.PUBLISHED
    events: list[tuple[datetime.datetime, str, str, int | None, str]] = [
        (created_at, ChangeKind.CREATED, Visibility.DRAFT, None, "")
    ]
    if published_at is not None:
        events.append((published_at, ChangeKind.PUBLISHED, Visibility.PUBLISHED, None, ""))
    for update in updates:
        rationale = f"{run.rng.choice(RATIONALE_OPENINGS)} {summary.lower()}."
        row: tuple[Any, ...] = (update.id, update.effective_on, rationale)
        row += (update.recorded_at, update.published_at, claim_pk, update.corrects_id, generator_pk, update.status_id)
        row += (update.removed_at, generator_pk if update.removed_at else None, update.removal_reason, rationale)
        (batch.correction_rows if update.corrects_id else batch.update_rows).append(row)
        for source in update.evidence:
            batch.evidence_rows.append((ids.take("evidence"), update.id, source))
        if update.published_at is not None:
            kind: str = ChangeKind.CORRECTION_RECORDED if update.corrects_id else ChangeKind.STATUS_RECORDED
            events.append((update.published_at, kind, feed_visibility, update.id, ""))
        if update.removed_at is not None:
            events.append(
                (update.removed_at, ChangeKind.STATUS_REMOVED, feed_visibility, update.id, update.removal_reason)
            )
    withdrawn_at, withdrawal_reason = withdrawn
    if withdrawn_at is not None:
        events.append((withdrawn_at, ChangeKind.WITHDRAWN, Visibility.WITHDRAWN, None, withdrawal_reason))
    for at, kind, visibility, update_pk, note in sorted(events, key=lambda event: event[0]):
        batch.change_rows.append((ids.take("change"), kind, visibility, at, generator_pk, claim_pk, update_pk, note))


CLAIM_COLUMNS = ["id", "kind", "scale", "quote", "wording", "wording_source_id", "original_language"]
CLAIM_COLUMNS += ["original_text", "summary", "slug", "made_on", "made_on_precision", "made_until", "deadline"]
CLAIM_COLUMNS += ["status_changed_on", "visibility", "published_at", "withdrawn_at", "withdrawal_reason", "version"]
CLAIM_COLUMNS += ["created_at", "updated_at", "claimant_id", "created_by_id", "current_status_id", "parent_id"]
# The English column of each translated text (claims/translation.py) holds the same text.
CLAIM_COLUMNS += ["summary_en"]
UPDATE_COLUMNS = ["id", "effective_on", "rationale", "recorded_at", "published_at", "claim_id"]
UPDATE_COLUMNS += ["corrects_id", "recorded_by_id", "status_id", "removed_at", "removed_by_id", "removal_reason"]
UPDATE_COLUMNS += ["rationale_en"]
CHANGE_COLUMNS = ["id", "kind", "visibility", "recorded_at", "changed_by_id", "claim_id", "status_update_id", "note"]


def _write_batch(run: _Run, batch: _Batch) -> None:
    writer = run.writer
    with transaction.atomic(using=run.using):
        writer.write("claims_claim", CLAIM_COLUMNS, batch.claim_rows)
        writer.write("claims_claim_topics", ["id", "claim_id", "topic_id"], batch.topic_link_rows)
        writer.write(
            "claims_claimappearance",
            ["id", "is_first_appearance", "excerpt", "claim_id", "source_id"],
            batch.appearance_rows,
        )
        writer.write("claims_statusupdate", UPDATE_COLUMNS, batch.update_rows)
        writer.write("claims_statusupdate", UPDATE_COLUMNS, batch.correction_rows)  # after what they correct
        writer.write("claims_statusupdate_evidence", ["id", "statusupdate_id", "source_id"], batch.evidence_rows)
        writer.write("claims_claimchange", CHANGE_COLUMNS, batch.change_rows)


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    models = [Person, Topic, Source, Claim, ClaimAppearance, StatusUpdate, ClaimChange]
    models += [Claim.topics.through, StatusUpdate.evidence.through]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def print_progress(done: int, total: int, seconds: float) -> None:
    rate = done / seconds if seconds else 0
    left = (total - done) / rate if rate else 0
    sys.stderr.write(f"\rclaims {done:,}/{total:,} ({100 * done // total}%) {rate:,.0f}/s, ~{left:,.0f}s left ")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
