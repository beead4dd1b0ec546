"""The one write path for claims, sources and status updates.

The admin, the demo loader, the API and importers call these functions. Each runs in one
transaction, validates with ``full_clean()`` before writing, and leaves the claim's stored
current status equal to what its timeline says.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Field, Model, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.dates import future_status_error
from claims.models import (
    PUBLISHED_UPDATE_DELETE_MESSAGE,
    SCALE_OF_KIND,
    ChangeKind,
    Claim,
    ClaimAppearance,
    ClaimChange,
    ClaimKind,
    ClaimQuerySet,
    DatePrecision,
    Source,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
    Wording,
)
from claims.text_languages import language_columns, other_languages
from claimtracker.versioning import HISTORY_REASON_LENGTH, record_history, save_versioned
from people.models import Person, Term

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TRACKING_PARAMETER_PREFIXES = ("utm_", "mc_", "fbclid", "gclid", "ocid", "cmpid")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class AppearanceInput:
    source: Source
    is_first_appearance: bool = False
    excerpt: str = ""


def normalize_source_url(url: str) -> str:
    """One spelling per address, so the unique constraint catches the same page entered twice.

    Lower-cases the scheme and host, drops default ports, the fragment and tracking
    parameters, and sorts the remaining query parameters. The path keeps its case.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" of an IPv6 host
        raise ValidationError({"url": _("This is not a valid web address.")}) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValidationError({"url": _("Enter a full web address starting with http:// or https://.")})
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        raise ValidationError({"url": _("The port in this address is not a number.")}) from None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(TRACKING_PARAMETER_PREFIXES)
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


# What a claim's representation shows of each record it embeds (api.representations): a change
# to one of these fields changes every published claim that shows the record.
PERSON_FIELDS_SHOWN = ("slug", "name", "kind")
TOPIC_FIELDS_SHOWN = ("slug", "name")
SOURCE_FIELDS_SHOWN = ("url", "title", "publisher", "author", "published_on", "kind", "archive_url")
STATUS_FIELDS_SHOWN = ("scale", "slug", "label", "is_final", "rating_value", "colour")


def in_desk_language() -> translation.override:
    """Read and write translated fields (``claim.summary``) as the desk's own text, whatever language
    the editor's admin is in: django-modeltranslation maps them to the active language's column."""
    return translation.override(settings.LANGUAGE_CODE)


def strip_translations(record: Model, field: str) -> None:
    """Trim the text of ``field`` in every language's column (claims/translation.py)."""
    for column in language_columns(field):
        value = getattr(record, column, None)
        if isinstance(value, str):
            setattr(record, column, value.strip())


def stored_values(record: Model, fields: Sequence[str]) -> tuple | None:
    """``fields`` as stored now (before a save); None for a record not stored yet."""
    if record.pk is None:
        return None
    return type(record)._default_manager.filter(pk=record.pk).order_by().values_list(*fields).first()


@contextmanager
def logging_edits_if_shown_fields_change(
    record: Model,
    *,
    fields: Sequence[str],
    showing: ClaimQuerySet,
    changed_by: AbstractBaseUser | None,
) -> Iterator[None]:
    """Around a save: if what claims show of ``record`` changed, log an edit of each claim ``showing`` it.

    A new record is shown by no claim yet, so its first save logs nothing.
    """
    before = stored_values(record, fields)
    yield
    if before is not None and before != tuple(getattr(record, field) for field in fields):
        log_edits_of_claims_showing(showing, changed_by=changed_by)


@transaction.atomic
def source_save(
    *,
    source: Source,
    saved_by: AbstractBaseUser | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Source:
    """Validate and store a new or edited source, its URL normalised.

    Claims show their sources (quoted from, appearances, evidence): an edit of what they show
    is logged as an edit of each published claim that shows the source.
    """
    source.url = normalize_source_url(source.url)
    if source.archive_url:
        source.archive_url = normalize_source_url(source.archive_url)
    source.full_clean()
    with logging_edits_if_shown_fields_change(
        source, fields=SOURCE_FIELDS_SHOWN, showing=Claim.objects.showing_source(source.pk), changed_by=saved_by
    ):
        save_versioned(source, expected_version=expected_version, changed_by=saved_by, reason=reason)
    return source


@transaction.atomic
def source_get_or_create(
    *,
    url: str,
    title: str,
    publisher: str = "",
    author: str = "",
    published_on: datetime.date | None = None,
    kind: str = Source.Kind.ARTICLE,
    archive_url: str = "",
    saved_by: AbstractBaseUser | None = None,
    reason: str = "",
) -> tuple[Source, bool]:
    """The source at ``url`` (normalised), created with these details if it is new."""
    normalized = normalize_source_url(url)
    existing = Source.objects.filter(url=normalized).first()
    if existing is not None:
        return existing, False
    source = Source(
        url=normalized,
        title=title.strip(),
        publisher=publisher.strip(),
        author=author.strip(),
        published_on=published_on,
        kind=kind,
        archive_url=archive_url,
    )
    return source_save(source=source, saved_by=saved_by, reason=history_reason("", reason)), True


def topic_get_or_create(*, name: str) -> Topic:
    topic, _created = Topic.objects.get_or_create(slug=Topic.slug_for(name), defaults={"name": name.strip()})
    return topic


def _save_with_history(record: Model, *, saved_by: AbstractBaseUser | None, reason: str) -> None:
    """``save()`` for records without a version, naming who and why in their history."""
    if _user_or_none(saved_by) is not None:
        record._history_user = saved_by  # type: ignore[attr-defined]
    if reason:
        record._change_reason = reason  # type: ignore[attr-defined]
    record.save()


@transaction.atomic
def topic_save(*, topic: Topic, saved_by: AbstractBaseUser | None = None, reason: str = "") -> Topic:
    """Validate and store a new or renamed topic; a rename is an edit of every published claim filed under it."""
    with in_desk_language():
        topic.name = topic.name.strip()
    strip_translations(topic, "name")
    topic.full_clean()
    with logging_edits_if_shown_fields_change(
        topic, fields=TOPIC_FIELDS_SHOWN, showing=Claim.objects.showing_topic(topic.pk), changed_by=saved_by
    ):
        _save_with_history(topic, saved_by=saved_by, reason=reason)
    return topic


def delete_with_history(record: Model, *, deleted_by: AbstractBaseUser | None) -> None:
    if _user_or_none(deleted_by) is not None:
        record._history_user = deleted_by  # type: ignore[attr-defined]
    record.delete()


@transaction.atomic
def topic_delete(*, topic: Topic, deleted_by: AbstractBaseUser | None) -> None:
    """Delete a topic (superusers, in the admin); the published claims filed under it are logged as edited."""
    # Logged first: the claims are found through the links the delete removes.
    log_edits_of_claims_showing(Claim.objects.showing_topic(topic.pk), changed_by=deleted_by)
    delete_with_history(topic, deleted_by=deleted_by)


SOURCE_IS_EVIDENCE_MESSAGE = gettext_lazy(
    "This source is evidence for a published verdict, and a verdict's evidence is never taken off the record. "
    "Correct its details instead."
)


def source_is_published_evidence(source: Source) -> bool:
    return source.evidence_for.filter(published_at__isnull=False).exists()


@transaction.atomic
def source_delete(*, source: Source, deleted_by: AbstractBaseUser | None) -> None:
    """Delete a source (superusers, in the admin); published claims that showed it are logged as edited.

    A source a claim quotes or appeared in is protected by its foreign key; one cited as evidence
    of a published verdict is refused here, because a verdict's evidence is part of the record.
    """
    if source_is_published_evidence(source):
        raise ValidationError(SOURCE_IS_EVIDENCE_MESSAGE)
    log_edits_of_claims_showing(Claim.objects.showing_source(source.pk), changed_by=deleted_by)
    delete_with_history(source, deleted_by=deleted_by)


@transaction.atomic
def status_save(*, status: Status, saved_by: AbstractBaseUser | None = None, reason: str = "") -> Status:
    """Validate and store a status of a rating scale (admins reword them).

    Its badge is shown by every claim at it, in a timeline or as a plan's or component's status:
    a change to the badge is an edit of each of those published claims.
    """
    strip_translations(status, "label")
    strip_translations(status, "meaning")
    status.full_clean()
    with logging_edits_if_shown_fields_change(
        status, fields=STATUS_FIELDS_SHOWN, showing=Claim.objects.showing_status(status.pk), changed_by=saved_by
    ):
        _save_with_history(status, saved_by=saved_by, reason=reason)
    return status


def _checked_translations(translations: Mapping[str, str], field: str) -> dict[str, str | None]:
    """``translations`` by language, trimmed (blank means none), refused for a language the site lacks."""
    allowed = other_languages()
    unknown = sorted(set(translations) - set(allowed))
    if unknown:
        raise ValidationError(
            {field: _("Translations are into %(languages)s only.") % {"languages": ", ".join(allowed)}}
        )
    return {language: (text or "").strip() or None for language, text in translations.items()}


@transaction.atomic
def status_update_translate(
    *, update: StatusUpdate, translations: Mapping[str, str], translated_by: AbstractBaseUser | None
) -> StatusUpdate:
    """Set the desk's translations of an update's rationale (``{"uk": …, "ru": …}``; blank removes one).

    The update stays as recorded — its status, dates, English rationale and evidence never change;
    only the other languages' columns are written, with an entry in its history. A published
    update's claim is logged as edited, so cached pages and mirrors show the new text.
    """
    if update.is_removed:
        raise ValidationError(_("A removed update shows no rationale, so there is nothing to translate."))
    changed = []
    for language, text in _checked_translations(translations, "rationale").items():
        column = f"rationale_{language}"
        if getattr(update, column) != text:
            setattr(update, column, text)
            changed.append(column)
    if not changed:
        return update
    if _user_or_none(translated_by) is not None:
        update._history_user = translated_by  # type: ignore[attr-defined]
    update._change_reason = "Translation edited"  # type: ignore[attr-defined]
    update.save(update_fields=changed)
    if update.published_at is not None:
        claim = _lock_claim(update.claim)
        _log_change(claim=claim, kind=ChangeKind.EDITED, changed_by=translated_by)
        # Its pages' validators move; its version does not, so an editor's open form of the claim
        # is not made stale by a translation of one of its updates.
        Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    return update


def unique_claim_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:120].strip("-") or "claim"
    candidate, suffix = base, 2
    taken = Claim.objects.exclude(pk=exclude_pk) if exclude_pk else Claim.objects.all()
    while taken.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def _log_change(
    *,
    claim: Claim,
    kind: str,
    changed_by: AbstractBaseUser | None,
    status_update: StatusUpdate | None = None,
    note: str = "",
    recorded_at: datetime.datetime | None = None,
) -> ClaimChange:
    """Append to the change feed. Call inside the transaction that makes the change."""
    lock_change_log()
    change = ClaimChange.objects.create(
        claim=claim,
        kind=kind,
        status_update=status_update,
        visibility=claim.visibility,
        changed_by=_user_or_none(changed_by),
        note=note,
        # When it became public: a backdated import's publication time, otherwise now.
        recorded_at=recorded_at or timezone.now(),
    )
    _log_edits_of_components([change], changed_by=changed_by, recorded_at=change.recorded_at)
    return change


def log_changes(changes: Sequence[ClaimChange], *, changed_by: AbstractBaseUser | None) -> None:
    """Append many changes to the change feed in one statement, by the rules ``_log_change`` keeps
    for one: for bulk writes (the spreadsheet import). Call inside the transaction that makes them."""
    lock_change_log()
    ClaimChange.objects.bulk_create(changes)
    _log_edits_of_components(changes, changed_by=changed_by, recorded_at=timezone.now())


def _log_edits_of_components(
    changes: Sequence[ClaimChange], *, changed_by: AbstractBaseUser | None, recorded_at: datetime.datetime
) -> None:
    """A plan's components show its summary and status, so a change to a plan is also a
    ``claim_edited`` change of each of its published components (a plan just created has none)."""
    plans = {
        change.claim_id
        for change in changes
        if change.claim.kind == ClaimKind.PLAN and change.kind != ChangeKind.CREATED
    }
    if plans:
        _insert_edits(Claim.objects.filter(parent_id__in=plans), changed_by=changed_by, recorded_at=recorded_at)


def _user_or_none(user: AbstractBaseUser | None) -> User | None:
    return _as_user(user) if user is not None and user.is_authenticated else None


def _as_user(user: AbstractBaseUser) -> User:
    # AUTH_USER_MODEL is django.contrib.auth's User: what the user foreign keys hold and what is passed in.
    return cast("User", user)


def lock_change_log() -> None:
    if connection.vendor == "postgresql":
        # Held until commit, so change ids are handed out in commit order and a partner reading
        # "everything after id N" never skips a change that commits late. SQLite's IMMEDIATE
        # transactions already serialise writers.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE claims_claimchange IN SHARE ROW EXCLUSIVE MODE")


def log_edits_of_claims_showing(claims: ClaimQuerySet, *, changed_by: AbstractBaseUser | None) -> int:
    """Log a ``claim_edited`` change for each published claim in ``claims``; return how many.

    For writes to a record claims show (a person, topic, source or status): a mirror holds each
    of those claims with the record embedded, and must fetch them again. Call inside the
    transaction that makes the write. The change log is locked before the claims are selected,
    so a claim published by a transaction that commits first is selected here, and one
    published by a transaction that commits later logs its own, later change.
    """
    lock_change_log()
    return _insert_edits(claims, changed_by=changed_by, recorded_at=timezone.now())


def _insert_edits(claims: ClaimQuerySet, *, changed_by: AbstractBaseUser | None, recorded_at: datetime.datetime) -> int:
    """One INSERT … SELECT for any number of claims: no claim is read into Python. Lock held."""
    selected, params = claims.published().order_by().values(shown_claim=F("pk")).query.sql_with_params()
    values: dict[str, Any] = {
        "kind": ChangeKind.EDITED.value,
        "visibility": Visibility.PUBLISHED.value,
        "recorded_at": connection.ops.adapt_datetimefield_value(recorded_at),
        "note": "",
    }
    user = _user_or_none(changed_by)
    if user is not None:
        # Left out otherwise (NULL by default): an untyped NULL parameter needs no cast that way.
        values["changed_by"] = user.pk
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(ClaimChange, name)) for name in ("claim", *values))
    placeholders = ", ".join(["%s"] * len(values))
    # Identifiers come from the model's metadata and the inner SELECT from the ORM; every value is a parameter.
    select = f"SELECT shown.shown_claim, {placeholders} FROM ({selected}) shown"  # noqa: S608  # nosec B608
    statement = f"INSERT INTO {quote(ClaimChange._meta.db_table)} ({columns}) {select} ORDER BY shown.shown_claim"
    with connection.cursor() as cursor:
        cursor.execute(statement, (*values.values(), *params))
        return cursor.rowcount


def _column(model: type[Model], name: str) -> str:
    # Concrete fields of the model: each has a column (relations have none, and are not named here).
    return cast("Field[Any, Any]", model._meta.get_field(name)).column  # type: ignore[return-value]


VISIBILITY_CHANGE_KINDS: dict[str, ChangeKind] = {
    Visibility.PUBLISHED: ChangeKind.PUBLISHED,
    Visibility.WITHDRAWN: ChangeKind.WITHDRAWN,
    Visibility.DRAFT: ChangeKind.UNPUBLISHED,
}


def _validate_kind_change(claim: Claim, stored_scale: str | None) -> None:
    """A claim with a timeline keeps its scale: its recorded statuses would no longer fit."""
    if stored_scale and stored_scale != SCALE_OF_KIND[claim.kind] and claim.status_updates.exists():
        raise ValidationError(
            {
                "kind": _(
                    "This claim already has status updates on another scale, so its kind cannot move to this scale."
                )
            }
        )


@transaction.atomic
def claim_save(
    *,
    claim: Claim,
    saved_by: AbstractBaseUser | None,
    expected_version: int | None = None,
    reason: str = "",
) -> Claim:
    """Validate and store a new or edited claim (its scalar fields; topics and sources separately).

    ``expected_version`` is the version the editor started from; if the claim has moved on
    since, nothing is written and ``StaleEditError`` is raised.
    """
    if claim.kind not in SCALE_OF_KIND:
        raise ValidationError({"kind": _("Choose a valid kind of claim.")})
    stored = (
        Claim.objects.filter(pk=claim.pk)
        .values(
            "scale",
            "visibility",
            "current_status_id",
            "status_changed_on",
            "published_at",
            "created_by_id",
            "withdrawn_at",
            "withdrawal_reason",
            "parent_id",
        )
        .first()
        if claim.pk
        else None
    )
    _validate_kind_change(claim, stored["scale"] if stored else None)
    if stored is not None:
        # Derived from the timeline and the first publication, never from an editor's form or an
        # old version being restored.
        claim.current_status_id = stored["current_status_id"]
        claim.status_changed_on = stored["status_changed_on"]
        claim.published_at = stored["published_at"]
        claim.created_by_id = stored["created_by_id"]
        if stored["visibility"] != claim.visibility:
            _validate_visibility_change(stored, claim)
        else:
            claim.withdrawn_at = stored["withdrawn_at"]
            claim.withdrawal_reason = stored["withdrawal_reason"]
    claim.scale = SCALE_OF_KIND[claim.kind]
    with in_desk_language():
        claim.summary = claim.summary.strip()
        if not claim.slug:
            claim.slug = unique_claim_slug(claim.summary, exclude_pk=claim.pk)
    strip_translations(claim, "summary")
    is_new = claim.pk is None
    if is_new:
        claim.current_status = Status.objects.default_for(claim.scale)
        claim.created_by = _user_or_none(saved_by)
    elif claim.current_status.scale != claim.scale:
        claim.current_status = Status.objects.default_for(claim.scale)
    if claim.visibility != Visibility.DRAFT and claim.published_at is None:
        claim.published_at = timezone.now()
    if claim.deadline is None and claim.term_id is not None and claim.term is not None:
        # A pledge made for a term is due by its end unless the claimant said otherwise.
        claim.deadline = claim.term.ends_on
    claim.full_clean()
    save_versioned(claim, expected_version=expected_version, changed_by=saved_by, reason=reason)
    if stored is None:
        change_kind = ChangeKind.CREATED
    elif stored["visibility"] != claim.visibility:
        change_kind = VISIBILITY_CHANGE_KINDS[claim.visibility]
    else:
        change_kind = ChangeKind.EDITED
    _log_change(
        claim=claim,
        kind=change_kind,
        changed_by=saved_by,
        note=claim.withdrawal_reason if change_kind == ChangeKind.WITHDRAWN else "",
    )
    if stored is not None and stored["parent_id"] not in (None, claim.parent_id):
        # The plan it left lists it no longer (the plan it joined comes with its change, as `related`).
        _insert_edits(Claim.objects.filter(pk=stored["parent_id"]), changed_by=saved_by, recorded_at=timezone.now())
    return claim


def _validate_visibility_change(stored: Mapping[str, Any], claim: Claim) -> None:
    """Once public, a claim is never quietly unpublished: it is withdrawn, with a published reason."""
    if stored["published_at"] is not None and claim.visibility == Visibility.DRAFT:
        raise ValidationError(
            {
                "visibility": _(
                    "A claim that has been published cannot go back to draft: withdraw it with a reason, "
                    "which is published where the claim was."
                )
            }
        )
    if claim.visibility == Visibility.WITHDRAWN:
        claim.withdrawal_reason = (claim.withdrawal_reason or "").strip()
        if not claim.withdrawal_reason:
            raise ValidationError({"withdrawal_reason": _("Say why the claim is withdrawn: the reason is published.")})
        claim.withdrawn_at = timezone.now()
    else:
        claim.withdrawn_at, claim.withdrawal_reason = None, ""


@transaction.atomic
def claim_create(
    *,
    claimant: Person,
    kind: str,
    quote: str,
    summary: str,
    made_on: datetime.date,
    created_by: AbstractBaseUser | None,
    wording: str = Wording.PARAPHRASE,
    wording_source: Source | None = None,
    original_language: str = "",
    original_text: str = "",
    made_on_precision: str = DatePrecision.DAY,
    made_until: datetime.date | None = None,
    slug: str = "",
    deadline: datetime.date | None = None,
    parent: Claim | None = None,
    term: Term | None = None,
    topics: Iterable[Topic] = (),
    must_act: Iterable[Person] = (),
    appearances: Sequence[AppearanceInput] = (),
    visibility: str = Visibility.DRAFT,
    published_at: datetime.datetime | None = None,
    reason: str = "",
) -> Claim:
    """Create a claim with its topics, who must act on it and the sources where it appeared.

    It starts at its scale's default status. ``published_at`` backdates the publication of a
    claim brought in from an earlier record (demo data, an import); by default it is now.
    ``wording`` says whether ``quote`` is the speaker's exact words in ``wording_source``, a
    paraphrase, or a translation from ``original_language``; ``made_on_precision`` how precisely
    the source dates it.
    """
    with in_desk_language():  # the summary given is the desk's own text
        claim = Claim(
            claimant=claimant,
            kind=kind,
            quote=quote.strip(),
            wording=wording,
            wording_source=wording_source,
            original_language=original_language.strip(),
            original_text=original_text.strip(),
            made_on_precision=made_on_precision,
            made_until=made_until,
            summary=summary,
            slug=slug,
            made_on=made_on,
            deadline=deadline,
            parent=parent,
            term=term,
            visibility=visibility,
            published_at=published_at if visibility != Visibility.DRAFT else None,
        )
    claim_save(claim=claim, saved_by=created_by, reason=history_reason("", reason))
    claim.topics.set(list(topics))
    claim.must_act.set(list(must_act))
    for appearance in appearances:
        _store_appearance(
            claim=claim,
            source=appearance.source,
            is_first_appearance=appearance.is_first_appearance,
            excerpt=appearance.excerpt,
        )
    return claim


def _store_appearance(*, claim: Claim, source: Source, is_first_appearance: bool, excerpt: str) -> ClaimAppearance:
    appearance = ClaimAppearance(
        claim=claim, source=source, is_first_appearance=is_first_appearance, excerpt=excerpt.strip()
    )
    appearance.full_clean()
    appearance.save()
    return appearance


@transaction.atomic
def claim_add_appearance(
    *,
    claim: Claim,
    source: Source,
    added_by: AbstractBaseUser | None,
    is_first_appearance: bool = False,
    excerpt: str = "",
    reason: str = "",
) -> ClaimAppearance:
    """List another source where the claim was made (a restatement, or its first appearance)."""
    appearance = _store_appearance(claim=claim, source=source, is_first_appearance=is_first_appearance, excerpt=excerpt)
    _record_claim_edit(claim, changed_by=added_by, what=f"Appearance added: {source}", reason=reason)
    return appearance


@transaction.atomic
def appearance_save(
    *, appearance: ClaimAppearance, saved_by: AbstractBaseUser | None, reason: str = ""
) -> ClaimAppearance:
    """Store an edit of a listed appearance (its source, whether it is the first, its excerpt)."""
    appearance.excerpt = appearance.excerpt.strip()
    appearance.full_clean()
    appearance.save()
    _record_claim_edit(
        appearance.claim, changed_by=saved_by, what=f"Appearance edited: {appearance.source}", reason=reason
    )
    return appearance


@transaction.atomic
def appearance_delete(*, appearance: ClaimAppearance, deleted_by: AbstractBaseUser | None, reason: str = "") -> None:
    """Take a source off the list of places where the claim was made."""
    claim, source = appearance.claim, appearance.source
    appearance.delete()
    _record_claim_edit(claim, changed_by=deleted_by, what=f"Appearance removed: {source}", reason=reason)


@transaction.atomic
def claim_set_topics(
    *, claim: Claim, topics: Iterable[Topic], changed_by: AbstractBaseUser | None, reason: str = ""
) -> Claim:
    """File the claim under exactly ``topics``; a change is a new version of the claim, and an edit in the feed."""
    return _set_claim_links(
        claim, claim.topics, list(topics), what="Topics set", nobody="none", changed_by=changed_by, reason=reason
    )


@transaction.atomic
def claim_set_must_act(
    *, claim: Claim, people: Iterable[Person], changed_by: AbstractBaseUser | None, reason: str = ""
) -> Claim:
    """Name exactly ``people`` as who must act on the claim; a change is a new version and an edit in the feed."""
    return _set_claim_links(
        claim,
        claim.must_act,
        list(people),
        what="Who must act set",
        nobody="no one",
        changed_by=changed_by,
        reason=reason,
    )


def _set_claim_links(
    claim: Claim,
    links: Any,
    records: Sequence[Topic | Person],
    *,
    what: str,
    nobody: str,
    changed_by: AbstractBaseUser | None,
    reason: str,
) -> Claim:
    if _links_unchanged(links.all(), records):
        return claim
    links.set(records)
    names = ", ".join(sorted(record.name for record in records)) or nobody
    _record_claim_edit(claim, changed_by=changed_by, what=f"{what}: {names}", reason=reason)
    return claim


def _links_unchanged(stored: QuerySet, wanted: Sequence[Model]) -> bool:
    return set(stored.order_by().values_list("pk", flat=True)) == {record.pk for record in wanted}


def _record_claim_edit(claim: Claim, *, changed_by: AbstractBaseUser | None, what: str, reason: str) -> None:
    """After a write to what a claim shows from outside its own row (topics, who must act, appearances).

    The claim gets a new version, an entry in its history saying what changed and why, and an
    edit in the change feed, so partners' mirrors fetch it again. Call inside the write's transaction.
    """
    Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1, updated_at=timezone.now())
    claim.refresh_from_db()
    record_history(claim, changed_by=changed_by, reason=history_reason(what, reason))
    _log_change(claim=claim, kind=ChangeKind.EDITED, changed_by=changed_by)


# simple_history's history_change_reason column; PostgreSQL refuses a longer reason.
# Below this, what the write did is too cut to read: the caller's reason stands alone.
SHORTEST_USEFUL_DESCRIPTION = 20


def history_reason(what: str, reason: str = "") -> str:
    """What a write did and the caller's why, cut to fit the history's reason column (the why kept whole)."""
    reason = " ".join(reason.split())
    if not reason:
        return _cut(what, HISTORY_REASON_LENGTH)
    if not what:
        return _cut(reason, HISTORY_REASON_LENGTH)
    room = HISTORY_REASON_LENGTH - len(reason) - len(" — ")
    if room < SHORTEST_USEFUL_DESCRIPTION:
        return _cut(reason, HISTORY_REASON_LENGTH)
    return f"{_cut(what, room)} — {reason}"


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _lock_claim(claim: Claim) -> Claim:
    # Serialises timeline writes per claim, so two editors recording at once both land and the
    # stored current status is computed from a timeline that includes both.
    # No join here: after waiting for the lock, PostgreSQL re-checks joined rows against the new
    # version of the claim, and a changed current_status would make the claim vanish from the result.
    return Claim.objects.select_for_update().get(pk=claim.pk)


def _refresh_current_status(claim: Claim, *, changed_by: AbstractBaseUser | None, reason: str) -> Claim:
    """Store on the claim the status of its update in effect (``StatusUpdateQuerySet.standing``), or the default."""
    latest = claim.status_updates.standing().in_effect_order().select_related("status").last()
    if latest is None:
        status, changed_on = Status.objects.default_for(claim.scale), None
    else:
        status, changed_on = latest.status, latest.effective_on
    Claim.objects.filter(pk=claim.pk).update(
        current_status=status, status_changed_on=changed_on, version=F("version") + 1, updated_at=timezone.now()
    )
    claim.refresh_from_db()
    record_history(claim, changed_by=changed_by, reason=reason)
    return claim


def verdict_needs_approval(status: Status) -> bool:
    """With CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL on, a verdict waits for a second editor before it is public."""
    return settings.CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL and not status.is_default


def missing_evidence_error(status: Status, *, has_evidence: bool) -> str | None:
    """Why publishing at ``status`` is refused, or None: a verdict cites at least one source;
    "not yet rated" (a scale's default) needs none."""
    if status.is_default or has_evidence:
        return None
    return _("A published verdict (“%(status)s”) needs at least one evidence source.") % {"status": status.label}


def _require_evidence(status: Status, *, has_evidence: bool) -> None:
    if missing := missing_evidence_error(status, has_evidence=has_evidence):
        raise ValidationError({"evidence": missing})


@transaction.atomic
def claim_record_status(
    *,
    claim: Claim,
    status: Status,
    effective_on: datetime.date,
    rationale: str,
    recorded_by: AbstractBaseUser,
    rationale_translations: Mapping[str, str] | None = None,
    evidence: Iterable[Source] = (),
    corrects: StatusUpdate | None = None,
    publish: bool = True,
    recorded_at: datetime.datetime | None = None,
    reason: str = "",
) -> StatusUpdate:
    """Append an update to the claim's timeline and bring its current status up to date.

    With ``corrects``, the new update replaces that earlier one: the earlier one stays in the
    timeline, marked as corrected. With ``publish=False`` it is saved as a draft, which is not
    public and does not change the current status until ``status_update_publish``. A published
    verdict needs evidence, and with CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL it is submitted for a
    second editor's approval (``status_update_approve``) instead of being published at once.
    """
    evidence = list(evidence)
    if publish:
        _require_evidence(status, has_evidence=bool(evidence))
    awaits_approval = publish and verdict_needs_approval(status)
    locked = _lock_claim(claim)
    now = timezone.now()
    with in_desk_language():  # ``rationale`` is the desk's own text; its translations follow
        update = StatusUpdate(
            claim=locked,
            status=status,
            effective_on=effective_on,
            rationale=rationale.strip(),
            corrects=corrects,
            recorded_by=_as_user(recorded_by),
            recorded_at=recorded_at or now,
            published_at=(recorded_at or now) if publish and not awaits_approval else None,
            submitted_at=now if awaits_approval else None,
        )
    for language, text in _checked_translations(rationale_translations or {}, "rationale").items():
        setattr(update, f"rationale_{language}", text)
    update.full_clean()
    _save_with_history(update, saved_by=recorded_by, reason=history_reason("", reason))
    update.evidence.set(evidence)
    # A draft or a verdict awaiting approval changes nothing the public can observe: not the status,
    # not the claim's version or timestamps (which ETags and the change feed follow). The update's
    # own history records it.
    if update.published_at is not None:
        _refresh_current_status(
            locked,
            changed_by=recorded_by,
            reason=history_reason(f"{'Correction' if corrects else 'Status update'} recorded: {status}", reason),
        )
        _log_update_published(update=update, claim=locked, changed_by=recorded_by)
    claim.refresh_from_db()
    return update


def _log_update_published(*, update: StatusUpdate, claim: Claim, changed_by: AbstractBaseUser | None) -> None:
    kind = ChangeKind.CORRECTION_RECORDED if update.corrects_id else ChangeKind.STATUS_RECORDED
    _log_change(claim=claim, kind=kind, changed_by=changed_by, status_update=update, recorded_at=update.published_at)


@transaction.atomic
def status_update_publish(
    *, update: StatusUpdate, published_by: AbstractBaseUser | None, reason: str = ""
) -> StatusUpdate:
    """Make a draft update public; it then counts towards the claim's current status.

    A verdict needs evidence, and with CLAIMTRACKER_REQUIRE_VERDICT_APPROVAL it is submitted for
    approval rather than published.
    """
    locked = _lock_claim(update.claim)
    update.refresh_from_db()
    if update.published_at is not None:
        return update
    _require_publishable(update)
    if verdict_needs_approval(update.status):
        if update.submitted_at is None:
            StatusUpdate.objects.filter(pk=update.pk).update(submitted_at=timezone.now())
            update.refresh_from_db(fields=["submitted_at"])
            record_history(update, changed_by=published_by, reason=history_reason("Submitted for approval", reason))
        return update
    if StatusUpdate.objects.filter(pk=update.pk, published_at__isnull=True).update(published_at=timezone.now()) != 1:
        update.refresh_from_db(fields=["published_at"])
        return update
    update.refresh_from_db(fields=["published_at"])
    _refresh_current_status(
        locked, changed_by=published_by, reason=history_reason(f"Draft update published: {update.status}", reason)
    )
    _log_update_published(update=update, claim=locked, changed_by=published_by)
    return update


def _require_publishable(update: StatusUpdate) -> None:
    """Publishing or approving a stored draft checks its evidence and date again: both may have been edited since."""
    # A scale's default status needs no evidence: no query for it then.
    _require_evidence(update.status, has_evidence=update.status.is_default or update.evidence.exists())
    if in_future := future_status_error(update.effective_on):
        raise ValidationError({"effective_on": in_future})


@transaction.atomic
def status_update_approve(*, update: StatusUpdate, approved_by: AbstractBaseUser, reason: str = "") -> StatusUpdate:
    """Publish a verdict awaiting approval; the approver must be another editor than its author."""
    locked = _lock_claim(update.claim)
    update.refresh_from_db()
    if update.published_at is not None:
        raise ValidationError(_("This update is already published."))
    if update.submitted_at is None:
        raise ValidationError(_("This update is a draft that was not submitted for approval."))
    if update.recorded_by_id == approved_by.pk:
        raise PermissionDenied(_("A verdict is approved by a different editor from the one who recorded it."))
    _require_publishable(update)
    now = timezone.now()
    StatusUpdate.objects.filter(pk=update.pk, published_at__isnull=True).update(
        published_at=now, approved_by=approved_by, approved_at=now
    )
    update.refresh_from_db()
    record_history(update, changed_by=approved_by, reason=history_reason("Approved and published", reason))
    _refresh_current_status(
        locked, changed_by=approved_by, reason=history_reason(f"Verdict approved: {update.status}", reason)
    )
    _log_update_published(update=update, claim=locked, changed_by=approved_by)
    return update


@transaction.atomic
def status_update_remove(*, update: StatusUpdate, removed_by: AbstractBaseUser, reason: str) -> StatusUpdate:
    """Take a published update out of the record (legal or privacy grounds; superusers only).

    The row stays: the timeline shows a dated note with the reason in its place, the change feed
    a tombstone with the reason, and the corrections log lists it. The claim's status is then
    worked out from the updates that remain.
    """
    if not _as_user(removed_by).is_superuser:
        raise PermissionDenied(_("Only superusers remove published status updates; editors record a correction."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"removal_reason": _("Say why the update is removed: the reason is published.")})
    locked = _lock_claim(update.claim)
    update.refresh_from_db()
    if update.published_at is None:
        raise ValidationError(_("Only published updates are removed; delete a draft instead."))
    if update.removed_at is not None:
        raise ValidationError(_("This update was already removed."))
    StatusUpdate.objects.filter(pk=update.pk).update(
        removed_at=timezone.now(), removed_by=removed_by, removal_reason=reason
    )
    update.refresh_from_db()
    record_history(update, changed_by=removed_by, reason=f"Removed: {reason}")
    _refresh_current_status(locked, changed_by=removed_by, reason=f"Status update removed: {update.status}")
    _log_change(claim=locked, kind=ChangeKind.STATUS_REMOVED, changed_by=removed_by, status_update=update, note=reason)
    return update


@transaction.atomic
def status_update_delete(*, update: StatusUpdate, deleted_by: AbstractBaseUser) -> None:
    """Delete an update that was never published (a draft, or a verdict awaiting approval).

    Published updates are never deleted (``status_update_remove`` leaves a public note instead).
    The update's history keeps a copy, with who deleted it and when.
    """
    if not _as_user(deleted_by).is_superuser and update.recorded_by_id != deleted_by.pk:
        raise PermissionDenied(_("Only the editor who recorded a draft, or a superuser, can delete it."))
    _lock_claim(update.claim)
    update.refresh_from_db()
    if update.published_at is not None:
        raise ValidationError(PUBLISHED_UPDATE_DELETE_MESSAGE)
    delete_with_history(update, deleted_by=deleted_by)


@transaction.atomic
def claim_set_visibility(
    *, claim: Claim, visibility: str, changed_by: AbstractBaseUser | None, reason: str = ""
) -> Claim:
    """Publish a draft, withdraw a published claim with a public ``reason``, or restore it.

    A withdrawn claim is kept, its page answers 410 with the reason, and the change feed and the
    corrections log say when and why. A claim once published never goes back to draft.
    """
    if visibility not in Visibility.values:
        raise ValidationError(
            {"visibility": _("Unknown visibility %(visibility)s.") % {"visibility": repr(visibility)}}
        )
    claim.visibility = visibility
    claim.withdrawal_reason = reason if visibility == Visibility.WITHDRAWN else ""
    return claim_save(claim=claim, saved_by=changed_by, reason=f"Withdrawn: {reason}" if reason else "")
