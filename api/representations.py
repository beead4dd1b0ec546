"""The one home of a claim's JSON: built here, from the rows ``api.selectors`` loads, for every answer.

The list, the detail (with or without ``as_of``), the answers to writes, the change feed and the
webhook payload all shape a claim with ``ClaimRepresenter.claims_from_rows``;
``api.serializers.ClaimSerializer`` only documents the schema (``tests/test_bench_api_representation.py``
checks that both name the same fields). The columns to load are derived from the field lists
below (``claim_columns``), so a plain column of ``Claim`` is added to the JSON by naming it in
``CLAIM_FIELDS`` (see README, "Adding a field to Claim").

Why plain functions over rows: profiling a page of 50 claims showed DRF's nested serializers and
model instantiation spending most of the request (≈ 70 ms of Python for ≈ 8 ms of SQL). Values are
formatted exactly as DRF does: dates ISO 8601, date-times in the current time zone with ``Z`` for UTC.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from claims.dates import iso_period
from claims.models import TEXT_LANGUAGES, Visibility
from claims.text_languages import text_language, translation_in

_SLUG_PLACEHOLDER = "__slug__"

# --- What each shape shows: the keys of the JSON, which are also the columns it is read from ------

BADGE_FIELDS = ("scale", "slug", "label", "is_final", "rating_value", "colour")
SOURCE_FIELDS = ("id", "url", "title", "publisher", "author", "published_on", "kind", "archive_url")
PERSON_FIELDS = ("id", "slug", "name", "kind")
TOPIC_FIELDS = ("slug", "name")
REFERENCE_FIELDS = ("id", "slug", "summary", "kind")  # and "status": the claim's status slug
APPEARANCE_FIELDS = ("is_first_appearance", "excerpt")  # and "source" first
UPDATE_FIELDS = (
    *("id", "status", "effective_on", "rationale", "rationale_language", "evidence", "corrects", "corrected_by"),
    "recorded_at",
    *("approved_at", "removed_at", "removal_reason"),
)

# The texts the desk translates (claims/text_languages.py), in each shape above. Each is read in
# every language's column; the JSON gives it in the request's language (falling back to English)
# with ``<field>_language`` saying which, and all of them under ``translations`` when asked.
BADGE_TEXTS = ("label",)
TOPIC_TEXTS = ("name",)
REFERENCE_TEXTS = ("summary",)
CLAIM_TEXTS = ("summary",)
UPDATE_TEXTS = ("rationale",)
LANGUAGE_CODES = TEXT_LANGUAGES

# True while an answer asked for ``translations``: every translated text comes with all its languages.
translations_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("translations_wanted", default=False)


def columns(fields: Iterable[str], texts: Collection[str] = (), prefix: str = "") -> tuple[str, ...]:
    """The columns a shape reads: each of its ``texts`` once per language, the other fields as they are."""
    read: list[str] = []
    for name in fields:
        if name in texts:
            read.extend(f"{prefix}{name}_{code}" for code in LANGUAGE_CODES)
        else:
            read.append(f"{prefix}{name}")
    return tuple(read)


def json_fields(fields: Iterable[str], texts: Collection[str] = ()) -> tuple[str, ...]:
    """The keys of a shape's JSON: each translated text followed by ``<text>_language`` (``translations`` when asked)."""
    return tuple(key for name in fields for key in ((name, f"{name}_language") if name in texts else (name,)))


def text_translations(record: Any, field: str) -> dict[str, str | None]:
    """Every language's text of a model instance's translated ``field`` (None where there is none)."""
    return {code: translation_in(record, field, code) for code in LANGUAGE_CODES}


def text_in_language(row: dict[str, Any], path: str) -> tuple[str | None, str]:
    """A translated text read as ``columns`` loads it: in the active language if it has one, else English."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    text = row.get(f"{path}_{language}")
    if text:
        return text, language
    return row.get(f"{path}_{settings.LANGUAGE_CODE}"), settings.LANGUAGE_CODE


def add_text(shape: dict[str, Any], name: str, row: dict[str, Any], path: str, *, shown: bool = True) -> None:
    """``name``, ``<name>_language`` and (when asked) its ``translations``, from the row's language columns."""
    text, language = text_in_language(row, path)
    shape[name] = text if shown else None
    shape[f"{name}_language"] = language if shown else None
    if translations_wanted.get():
        every = {code: (row.get(f"{path}_{code}") or None) if shown else None for code in LANGUAGE_CODES}
        shape.setdefault("translations", {})[name] = every


# A claim's fields, in the order of its JSON. A name not in ``_BUILT_CLAIM_FIELDS`` is a column of
# ``Claim`` copied as it is (dates and date-times formatted by their type).
CLAIM_FIELDS = (
    *("id", "slug", "url", "public_url", "kind", "scale", "claimant", "summary", "summary_language", "quote"),
    *("wording", "wording_source", "original_language", "original_text"),
    *("made_on", "made_on_precision", "made_until", "made_on_period"),
    *("deadline", "term", "topics", "must_act", "current_status", "status_changed_on"),
    *("parent", "components"),
    *("appearances", "timeline", "visibility", "version", "published_at", "created_at", "updated_at"),
)
# The fields built from other columns or from related rows, and the claim columns they read.
_BUILT_CLAIM_FIELDS: dict[str, tuple[str, ...]] = {
    "url": (),
    "public_url": (),
    "summary": columns(CLAIM_TEXTS, CLAIM_TEXTS),
    "summary_language": (),
    "claimant": tuple(f"claimant__{name}" for name in PERSON_FIELDS),
    "wording_source": tuple(f"wording_source__{name}" for name in SOURCE_FIELDS),
    "made_on_period": (),  # from made_on, made_on_precision and made_until
    "topics": (),
    "must_act": (),
    "current_status": ("current_status_id", *columns(BADGE_FIELDS, BADGE_TEXTS, "current_status__")),
    "status_changed_on": ("status_changed_on",),
    "parent": (
        "parent_id",
        *columns(REFERENCE_FIELDS, REFERENCE_TEXTS, "parent__"),
        *("parent__visibility", "parent__current_status__slug"),
    ),
    "components": (),
    "appearances": (),
    "timeline": (),
}
# Read for other answers than the claim's JSON: the change feed's tombstone says why.
_EXTRA_CLAIM_COLUMNS = ("withdrawal_reason",)


def claim_columns() -> tuple[str, ...]:
    """The columns of ``Claim`` (and its joins) the representation reads: ``api.selectors.claim_rows`` loads them."""
    columns: list[str] = []
    for name in CLAIM_FIELDS:
        for column in _BUILT_CLAIM_FIELDS.get(name, (name,)):
            if column not in columns:
                columns.append(column)
    return (*columns, *_EXTRA_CLAIM_COLUMNS)


def plain_claim_fields() -> tuple[str, ...]:
    """The fields of ``CLAIM_FIELDS`` that are a column of ``Claim`` copied as it is."""
    return tuple(name for name in CLAIM_FIELDS if name not in _BUILT_CLAIM_FIELDS)


def _datetime(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _json(value: Any) -> Any:
    """A column's value as the JSON shows it."""
    if isinstance(value, datetime.datetime):
        return _datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def shaped(row: dict[str, Any], fields: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    """``fields`` of ``row`` (read as ``prefix + field``), formatted for JSON.

    A field the row holds once per language (``columns`` with texts) is a translated text: it comes
    in the request's language with ``<field>_language`` beside it (``add_text``).
    """
    shape: dict[str, Any] = {}
    for name in fields:
        path = f"{prefix}{name}"
        if path not in row and f"{path}_{settings.LANGUAGE_CODE}" in row:
            add_text(shape, name, row, path)
        else:
            shape[name] = _json(row[path])
    return shape


def shaped_object(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The same shape from a model instance (``id`` is its primary key)."""
    shape: dict[str, Any] = {}
    for name in fields:
        shape[name] = _json(obj.pk if name == "id" else getattr(obj, name))
        if hasattr(obj, f"{name}_{settings.LANGUAGE_CODE}"):
            shape[f"{name}_language"] = text_language(obj, name)
            if translations_wanted.get():
                shape.setdefault("translations", {})[name] = text_translations(obj, name)
    return shape


class ClaimRepresenter:
    """Builds claim dicts for one request; URL prefixes are worked out once, not per claim."""

    def __init__(self, *, request: Any, include_unpublished: bool) -> None:
        self.include_unpublished = include_unpublished
        build = request.build_absolute_uri if request is not None else (lambda path: path)
        self.api_prefix = build(reverse("api:claim-detail", kwargs={"pk": 0}))[:-1]
        public = build(reverse("public:claim-detail", kwargs={"slug": _SLUG_PLACEHOLDER}))
        self.public_head, self.public_tail = public.split(_SLUG_PLACEHOLDER)
        self._badges: dict[int, dict[str, Any]] = {}
        self._sources: dict[int, dict[str, Any]] = {}

    # Shapes of single model instances, for code that holds one (the fields are the rows' fields).
    @staticmethod
    def badge(status: Any) -> dict[str, Any]:
        return shaped_object(status, BADGE_FIELDS)

    @staticmethod
    def source(source: Any) -> dict[str, Any]:
        return shaped_object(source, SOURCE_FIELDS)

    @staticmethod
    def person(person: Any) -> dict[str, Any]:
        return shaped_object(person, PERSON_FIELDS)

    # --- From rows (``api.selectors.claim_rows`` and ``related_rows``) -------------------------

    def _badge_row(self, status_id: int, row: dict[str, Any], prefix: str) -> dict[str, Any]:
        badge = self._badges.get(status_id)
        if badge is None:
            badge = self._badges[status_id] = shaped(row, BADGE_FIELDS, prefix)
        return badge

    def _source_row(self, row: dict[str, Any], prefix: str = "source__") -> dict[str, Any] | None:
        source_id = row[f"{prefix}id"]
        if source_id is None:
            return None
        source = self._sources.get(source_id)
        if source is None:
            source = self._sources[source_id] = shaped(row, SOURCE_FIELDS, prefix)
        return source

    @staticmethod
    def _reference_row(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        return {**shaped(row, REFERENCE_FIELDS, prefix), "status": row[f"{prefix}current_status__slug"]}

    def _update_row(
        self,
        update: dict[str, Any],
        evidence: list[dict],
        corrected_by: int | None,
        published_by: datetime.datetime | None,
    ) -> dict[str, Any]:
        if published_by is not None and update["removed_at"] is not None and update["removed_at"] >= published_by:
            # Removed after the moment asked for: it was still in the record then.
            update = {**update, "removed_at": None, "removal_reason": ""}
        removed = update["removed_at"] is not None
        # A removed update keeps its place in the timeline, not its content.
        text: dict[str, Any] = {}
        add_text(text, "rationale", update, "rationale", shown=not removed)
        built = {
            "status": None if removed else self._badge_row(update["status_id"], update, "status__"),
            "rationale": text["rationale"],
            "rationale_language": text["rationale_language"],
            "evidence": [] if removed else [self._source_row(source) for source in evidence],
            "corrects": update["corrects_id"],
            "corrected_by": corrected_by,
            "removal_reason": update["removal_reason"] if removed else None,
        }
        shown = {name: built[name] if name in built else _json(update[name]) for name in UPDATE_FIELDS}
        if "translations" in text:
            shown["translations"] = text["translations"]
        return shown

    def claims_from_rows(
        self,
        rows: list[dict[str, Any]],
        *,
        as_of_badges: dict[int, dict[str, Any]] | None = None,
        published_by: datetime.datetime | None = None,
        relations: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        """The representation of claims read as rows, in the order of ``rows``.

        ``rows`` come from ``api.selectors.claim_rows``; their relations are read here with
        ``api.selectors.related_rows`` (one query each). ``as_of_badges`` (every status by id,
        ``api.selectors.status_badge_rows``): the rows were annotated ``with_status_as_of`` and
        show that status and its date. ``published_by`` (the end of the ``as_of`` day): the
        timeline as it stood then. ``relations``: read only these (``api.selectors.RELATIONS``);
        the others show as empty lists, so only a caller that does not show them may leave them out.
        """
        from api.selectors import RELATIONS, related_rows  # api.selectors reads its columns from this module

        related = related_rows(
            [row["id"] for row in rows],
            include_unpublished=self.include_unpublished,
            published_by=published_by,
            relations=RELATIONS if relations is None else relations,
        )
        return [self._claim_row(row, related, as_of_badges, published_by) for row in rows]

    def _claim_row(
        self,
        row: dict[str, Any],
        related: dict[str, dict[int, list[dict]]],
        as_of_badges: dict[int, dict[str, Any]] | None,
        published_by: datetime.datetime | None,
    ) -> dict[str, Any]:
        pk = row["id"]
        if as_of_badges is not None:
            status_id = row["status_as_of_id"]
            current_status = self._badge_row(status_id, as_of_badges[status_id], "")
            status_changed_on = row["status_as_of_since"]
        else:
            current_status = self._badge_row(row["current_status_id"], row, "current_status__")
            status_changed_on = row["status_changed_on"]
        parent = None
        if row["parent_id"] is not None and (
            row["parent__visibility"] == Visibility.PUBLISHED or self.include_unpublished
        ):
            parent = self._reference_row(row, "parent__")
        timeline = related["timeline"].get(pk, ())
        # A removed correction replaces nothing (unless it was removed after the moment asked for).
        corrected_by = {
            update["corrects_id"]: update["id"]
            for update in timeline
            if update["corrects_id"]
            and (update["removed_at"] is None or (published_by is not None and update["removed_at"] >= published_by))
        }
        evidence = related["evidence"]
        text: dict[str, Any] = {}
        add_text(text, "summary", row, "summary")
        built = {
            "summary": text["summary"],
            "summary_language": text["summary_language"],
            "url": f"{self.api_prefix}{pk}",
            "public_url": f"{self.public_head}{row['slug']}{self.public_tail}",
            "claimant": shaped(row, PERSON_FIELDS, "claimant__"),
            "wording_source": self._source_row(row, "wording_source__"),
            "made_on_period": iso_period(row["made_on"], row["made_on_precision"], row["made_until"]),
            "topics": [shaped(topic, TOPIC_FIELDS, "topic__") for topic in related["topics"].get(pk, ())],
            "must_act": [shaped(person, PERSON_FIELDS, "person__") for person in related["must_act"].get(pk, ())],
            "current_status": current_status,
            "status_changed_on": _json(status_changed_on),
            "parent": parent,
            "components": [self._reference_row(component) for component in related["components"].get(pk, ())],
            "appearances": [
                {"source": self._source_row(appearance), **shaped(appearance, APPEARANCE_FIELDS)}
                for appearance in related["appearances"].get(pk, ())
            ],
            "timeline": [
                self._update_row(update, evidence.get(update["id"], []), corrected_by.get(update["id"]), published_by)
                for update in timeline
            ],
        }
        claim = {name: built[name] if name in built else _json(row[name]) for name in CLAIM_FIELDS}
        if "translations" in text:
            claim["translations"] = text["translations"]
        return claim


# The CSV export is a flat view of the same representation: a column a (header, path into the
# claim's JSON). A list (topics) becomes its values separated by spaces; a missing object, "".
# CSV_RELATIONS: the related rows those columns read (the others are not loaded for the CSV).
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    *(("id", "id"), ("slug", "slug"), ("kind", "kind"), ("claimant", "claimant.slug")),
    *(("claimant_name", "claimant.name"), ("summary", "summary"), ("made_on", "made_on_period")),
    *(("deadline", "deadline"), ("status", "current_status.slug"), ("status_label", "current_status.label")),
    *(("status_changed_on", "status_changed_on"), ("parent_id", "parent.id"), ("topics", "topics.slug")),
    *(("updated_at", "updated_at"), ("public_url", "public_url"), ("wording", "wording"), ("quote", "quote")),
    *(("quoted_from_url", "wording_source.url"), ("original_language", "original_language")),
    ("made_on_precision", "made_on_precision"),
)
CSV_RELATIONS = ("topics",)


def _at_path(value: Any, path: list[str]) -> Any:
    if not path or value is None:
        return value
    if isinstance(value, list):
        return " ".join(str(_at_path(item, path)) for item in value)
    return _at_path(value.get(path[0]), path[1:])


def csv_row(claim: dict[str, Any]) -> list[Any]:
    """A claim's representation as a row of ``CSV_COLUMNS``."""
    return [_at_path(claim, path.split(".")) for _, path in CSV_COLUMNS]


def claim_representation(claim_id: int, *, request: Any, include_unpublished: bool) -> dict[str, Any]:
    """One claim's JSON, read afresh (7 queries): the answer to a write."""
    from api.selectors import claim_rows, visible_claims

    [row] = claim_rows(visible_claims(include_unpublished=include_unpublished).filter(pk=claim_id))
    [representation] = ClaimRepresenter(request=request, include_unpublished=include_unpublished).claims_from_rows(
        [row]
    )
    return representation
