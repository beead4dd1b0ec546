"""Reading a newsroom spreadsheet, checking every row, and importing it all through the services.

One sheet (or CSV) of rows, each with a ``type``: ``person``, ``claim``, ``source`` or ``status``.
The column format is documented in ``imports/README.md``. The file is read as a stream (the
standard ``csv`` module; openpyxl in read-only mode for XLSX) and capped in bytes and rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, transaction

from claims import services
from claims.dates import newsroom_today, normalise_period_start
from claims.models import (
    SCALE_OF_KIND,
    SUMMARY_MAX_LENGTH,
    Claim,
    ClaimKind,
    DatePrecision,
    Source,
    SourceKind,
    Status,
    Visibility,
    Wording,
)
from people.models import WIKIDATA_ID_PATTERN, Person, PersonKind
from people.services import person_save

COLUMNS = [
    "type",
    "slug",
    "name",
    "person_kind",
    "role",
    "country",
    "wikidata_id",
    "person",
    "claim_kind",
    "summary",
    "quote",
    "wording",
    "quoted_from",
    "original_language",
    "original_text",
    "made_on",
    "made_on_precision",
    "made_until",
    "deadline",
    "parent",
    "topics",
    "visibility",
    "claim",
    "url",
    "title",
    "publisher",
    "published_on",
    "source_kind",
    "first_appearance",
    "excerpt",
    "status",
    "effective_on",
    "rationale",
    "evidence_url",
]
ROW_TYPES = ("person", "claim", "source", "status")
KIND_KEYS = {"person": "people", "claim": "claims", "source": "sources", "status": "statuses"}
YES = {"yes", "y", "true", "1", "x"}
NO = {"", "no", "n", "false", "0"}
# A BCP 47 language tag as editors write them: "uk", "ru", "pt-BR", "zh-Hant".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Several evidence URLs in one cell: separated by semicolons, spaces or line breaks.
URL_SEPARATOR = re.compile(r"[;\s]+")
PERIOD_FORMATS = {
    DatePrecision.DAY: "YYYY-MM-DD, e.g. 2024-11-07",
    DatePrecision.MONTH: "YYYY-MM (or any day of the month as YYYY-MM-DD), e.g. 2024-09",
    DatePrecision.YEAR: "YYYY (or any day of the year as YYYY-MM-DD), e.g. 2024",
    DatePrecision.RANGE: "YYYY-MM-DD for the first day of the range, e.g. 2024-01-01",
}


class FileError(Exception):
    """The file as a whole cannot be read (format, size, header)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    number: int  # As the editor sees it in the spreadsheet: the header is row 1.
    type: str
    values: dict[str, Any]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


@dataclass
class Plan:
    """The checked contents of a file: its rows by type, and every problem found."""

    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def of_type(self, row_type: str) -> list[Row]:
        return [row for row in self.rows if row.type == row_type]

    @property
    def counts(self) -> dict[str, int]:
        return {KIND_KEYS[row_type]: len(self.of_type(row_type)) for row_type in ROW_TYPES}

    def error(self, row: Row | int, column: str, message: str) -> None:
        self.errors.append(RowError(row if isinstance(row, int) else row.number, column, message))


# --- reading -----------------------------------------------------------------------------------


def _header(cells: Iterable[Any]) -> list[str]:
    return [str(cell or "").strip().lower().replace(" ", "_") for cell in cells]


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise FileError("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.") from None
    except csv.Error as error:
        raise FileError(f"The CSV file cannot be read: {error}.") from None


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise FileError(f"The XLSX file cannot be read: {error}.") from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def read_rows(*, file_name: str, content: bytes) -> Iterator[Row]:
    """The data rows, read as a stream; raises FileError for a file that cannot be used at all."""
    if len(content) > settings.IMPORTS_MAX_BYTES:
        raise FileError(
            f"The file is {len(content) / 1_000_000:.1f} MB; the limit is "
            f"{settings.IMPORTS_MAX_BYTES / 1_000_000:.1f} MB. Split it into several files."
        )
    name = file_name.lower()
    if name.endswith(".csv"):
        raw = _csv_rows(content)
    elif name.endswith(".xlsx"):
        raw = _xlsx_rows(content)
    else:
        raise FileError("Upload a .csv or .xlsx file.")
    header = _header(next(raw, []))
    if "type" not in header:
        raise FileError("The first row must be the header, with a “type” column (download the template).")
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        raise FileError(f"Unknown column(s): {', '.join(unknown)}. The template lists the columns.")
    count = 0
    for number, cells in enumerate(raw, start=2):
        if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
            continue
        count += 1
        if count > settings.IMPORTS_MAX_ROWS:
            raise FileError(f"The file has more than {settings.IMPORTS_MAX_ROWS} rows. Split it into several files.")
        values = {column: cells[index] for index, column in enumerate(header) if column and index < len(cells)}
        yield Row(number=number, type=str(values.get("type") or "").strip().lower(), values=values)


# --- checking ----------------------------------------------------------------------------------


def _date(plan: Plan, row: Row, column: str, *, required: bool) -> datetime.date | None:
    value = row.values.get(column)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = row.text(column)
    if not text:
        if required:
            plan.error(row, column, "Required: a date as YYYY-MM-DD.")
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        plan.error(row, column, f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31.")
        return None


def _required(plan: Plan, row: Row, column: str) -> str:
    text = row.text(column)
    if not text:
        plan.error(row, column, "Required.")
    return text


def _choice(plan: Plan, row: Row, column: str, choices: type, default: str) -> str:
    text = row.text(column).lower() or default
    if text not in choices.values:
        plan.error(row, column, f"“{text}” is not one of: {', '.join(choices.values)}.")
    return text


def _period_start(plan: Plan, row: Row, precision: str) -> datetime.date | None:
    """``made_on`` as the first day of its period; a month may be written 2024-09 and a year 2024."""
    value = row.values.get("made_on")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return normalise_period_start(value, precision)
    text = row.text("made_on")
    if not text:
        plan.error(row, "made_on", f"Required: a date as {PERIOD_FORMATS[precision]}.")
        return None
    try:
        if precision == DatePrecision.MONTH and re.fullmatch(r"\d{4}-\d{2}", text):
            day = datetime.date(int(text[:4]), int(text[5:]), 1)
        elif precision == DatePrecision.YEAR and re.fullmatch(r"\d{4}", text):
            day = datetime.date(int(text), 1, 1)
        else:
            day = datetime.date.fromisoformat(text)
    except ValueError:
        plan.error(row, "made_on", f"“{text}” is not a date; write it as {PERIOD_FORMATS[precision]}.")
        return None
    return normalise_period_start(day, precision)


def _url(plan: Plan, row: Row, column: str, text: str) -> str | None:
    try:
        return services.normalize_source_url(text)
    except ValidationError:
        plan.error(row, column, f"“{text}” is not a web address starting with http:// or https://.")
        return None


def _evidence_urls(row: Row) -> list[str]:
    return [url for url in URL_SEPARATOR.split(row.text("evidence_url")) if url]


def _known_source_urls(rows: list[Row]) -> set[str]:
    """The normalised URLs of the file's source rows (bad ones are reported with their row)."""
    urls = set()
    for row in rows:
        try:
            urls.add(services.normalize_source_url(row.text("url")))
        except ValidationError:
            continue
    return urls


def _check_wording(plan: Plan, row: Row, file_urls: set[str]) -> None:
    """A quote names where its words come from; only a translation has an original language."""
    wording = _choice(plan, row, "wording", Wording, Wording.PARAPHRASE)
    quoted_from = row.text("quoted_from")
    if quoted_from:
        url = _url(plan, row, "quoted_from", quoted_from)
        if url and url not in file_urls and not Source.objects.filter(url=url).exists():
            plan.error(
                row,
                "quoted_from",
                f"“{quoted_from}” is not a source in this file or in the tracker: add a source row with this URL "
                "for the claim.",
            )
    elif wording in (Wording.VERBATIM, Wording.TRANSLATION):
        plan.error(
            row,
            "quoted_from",
            f"Required for a {'verbatim quote' if wording == Wording.VERBATIM else 'translation'}: the URL of the "
            "source the words are taken from (one of the claim's source rows). Or set wording to paraphrase if "
            "these are not the speaker's own words.",
        )
    language = row.text("original_language")
    if wording == Wording.TRANSLATION:
        if not language:
            plan.error(
                row,
                "original_language",
                "Required for a translation: the language the claim was made in, as a tag such as uk or ru.",
            )
        elif not LANGUAGE_TAG.match(language):
            plan.error(row, "original_language", f"“{language}” is not a language tag; write e.g. uk, ru or pt-BR.")
    elif language or row.text("original_text"):
        plan.error(
            row,
            "original_language" if language else "original_text",
            "Only a translation has an original language and text: set wording to translation, or leave this empty.",
        )


def _check_made_on(plan: Plan, row: Row) -> datetime.date | None:
    """The first day the claim may have been made, at the precision the source allows."""
    precision = _choice(plan, row, "made_on_precision", DatePrecision, DatePrecision.DAY)
    if precision not in DatePrecision.values:
        precision = DatePrecision.DAY
    made_on = _period_start(plan, row, precision)
    if made_on and made_on > newsroom_today():
        plan.error(row, "made_on", f"{made_on.isoformat()} is in the future: record a claim once it has been made.")
    has_until = bool(row.text("made_until"))
    if precision == DatePrecision.RANGE:
        if not has_until:
            plan.error(row, "made_until", "Required for a range: its last day as YYYY-MM-DD.")
            return made_on
        made_until = _date(plan, row, "made_until", required=True)
        if made_on and made_until and made_until <= made_on:
            plan.error(row, "made_until", "The range must end after it starts (made_on).")
    elif has_until:
        plan.error(
            row, "made_until", "Only a range has an end date: set made_on_precision to range, or leave this empty."
        )
    return made_on


def check(rows: Iterable[Row]) -> Plan:
    """Every row-level problem, found before anything is written."""
    plan = Plan(rows=list(rows))
    for row in plan.rows:
        if row.type not in ROW_TYPES:
            plan.error(row, "type", f"“{row.type}” is not a row type; use one of: {', '.join(ROW_TYPES)}.")

    person_slugs: dict[str, int] = {}
    for row in plan.of_type("person"):
        _required(plan, row, "name")
        slug = _required(plan, row, "slug")
        _choice(plan, row, "person_kind", PersonKind, PersonKind.PERSON)
        wikidata_id = row.text("wikidata_id").upper()
        if wikidata_id:
            try:
                RegexValidator(WIKIDATA_ID_PATTERN)(wikidata_id)
            except ValidationError:
                plan.error(row, "wikidata_id", "A Wikidata ID is “Q” followed by digits, e.g. Q22686.")
        if slug in person_slugs:
            plan.error(row, "slug", f"Duplicate person slug “{slug}” (also on row {person_slugs[slug]}).")
        elif slug and Person.objects.filter(slug=slug).exists():
            plan.error(row, "slug", f"A person “{slug}” already exists; refer to them in claim rows instead.")
        person_slugs.setdefault(slug, row.number)

    claim_rows: dict[str, Row] = {}
    for row in plan.of_type("claim"):
        slug = _required(plan, row, "slug")
        if slug in claim_rows:
            plan.error(row, "slug", f"Duplicate claim slug “{slug}” (also on row {claim_rows[slug].number}).")
        elif slug and Claim.objects.filter(slug=slug).exists():
            plan.error(row, "slug", f"A claim “{slug}” already exists.")
        claim_rows.setdefault(slug, row)
    claim_kinds = {slug: row.text("claim_kind").lower() or ClaimKind.PLEDGE for slug, row in claim_rows.items()}

    file_urls = _known_source_urls(plan.of_type("source"))
    made_on_of: dict[str, datetime.date | None] = {}
    for row in plan.of_type("claim"):
        person = _required(plan, row, "person")
        if person and person not in person_slugs and not Person.objects.filter(slug=person).exists():
            plan.error(row, "person", f"Unknown person “{person}”: add a person row or use an existing slug.")
        _choice(plan, row, "claim_kind", ClaimKind, ClaimKind.PLEDGE)
        summary = _required(plan, row, "summary")
        if len(summary) > SUMMARY_MAX_LENGTH:
            plan.error(row, "summary", f"The summary is {len(summary)} characters; at most {SUMMARY_MAX_LENGTH}.")
        _required(plan, row, "quote")
        _check_wording(plan, row, file_urls)
        made_on = _check_made_on(plan, row)
        made_on_of.setdefault(row.text("slug"), made_on)
        deadline = _date(plan, row, "deadline", required=False)
        if made_on and deadline and deadline < made_on:
            plan.error(row, "deadline", "The deadline is before the date the claim was made.")
        _choice(plan, row, "visibility", Visibility, Visibility.DRAFT)
        parent = row.text("parent")
        if parent:
            if parent == row.text("slug"):
                plan.error(row, "parent", "A claim cannot be a component of itself.")
            elif parent in claim_kinds:
                if claim_kinds[parent] != ClaimKind.PLAN:
                    plan.error(row, "parent", f"“{parent}” is not a plan; only a plan can have components.")
            else:
                existing = Claim.objects.filter(slug=parent).values_list("kind", flat=True).first()
                if existing is None:
                    plan.error(row, "parent", f"Unknown parent claim “{parent}”.")
                elif existing != ClaimKind.PLAN:
                    plan.error(row, "parent", f"“{parent}” is not a plan; only a plan can have components.")

    appearances: dict[tuple[str, str], int] = {}
    first_appearances: dict[str, int] = {}
    for row in plan.of_type("source"):
        claim = _required(plan, row, "claim")
        if claim and claim not in claim_rows:
            plan.error(row, "claim", f"Unknown claim “{claim}”: sources attach to claims in this file.")
        url = _required(plan, row, "url")
        if url:
            try:
                url = services.normalize_source_url(url)
            except ValidationError:
                plan.error(row, "url", f"“{url}” is not a web address starting with http:// or https://.")
            else:
                if (claim, url) in appearances:
                    plan.error(row, "url", f"Duplicate URL for this claim (also on row {appearances[(claim, url)]}).")
                appearances.setdefault((claim, url), row.number)
        if not Source.objects.filter(url=url).exists():
            _required(plan, row, "title")
        _date(plan, row, "published_on", required=False)
        _choice(plan, row, "source_kind", SourceKind, SourceKind.ARTICLE)
        first = row.text("first_appearance").lower()
        if first not in YES | NO:
            plan.error(row, "first_appearance", "Write yes or no.")
        elif first in YES:
            if claim in first_appearances:
                plan.error(
                    row,
                    "first_appearance",
                    f"The claim already has a first appearance (row {first_appearances[claim]}).",
                )
            first_appearances.setdefault(claim, row.number)

    statuses = {(status.scale, status.slug): status for status in Status.objects.all()}
    today = newsroom_today()
    for row in plan.of_type("status"):
        claim = _required(plan, row, "claim")
        claim_row = claim_rows.get(claim)
        if claim and claim_row is None:
            plan.error(row, "claim", f"Unknown claim “{claim}”: statuses attach to claims in this file.")
        slug = _required(plan, row, "status").lower()
        effective_on = _date(plan, row, "effective_on", required=True)
        if effective_on and effective_on > today:
            plan.error(
                row,
                "effective_on",
                f"{effective_on.isoformat()} is in the future: a status takes effect on or before today "
                f"({today.isoformat()}).",
            )
        _required(plan, row, "rationale")
        evidence = _evidence_urls(row)
        for url in evidence:
            _url(plan, row, "evidence_url", url)
        if claim_row is not None and claim_kinds.get(claim) in SCALE_OF_KIND:
            scale = SCALE_OF_KIND[claim_kinds[claim]]
            status = statuses.get((scale, slug))
            if slug and status is None:
                names = ", ".join(s for (on_scale, s) in statuses if on_scale == scale)
                plan.error(row, "status", f"“{slug}” is not on the {scale.label.lower()} ({names}).")
            elif status is not None and not status.is_default and not evidence:
                plan.error(
                    row,
                    "evidence_url",
                    f"A verdict (“{status.label}”) needs at least one evidence URL: the source that supports it.",
                )
            made_on = made_on_of.get(claim)
            if effective_on and made_on and effective_on < made_on:
                plan.error(row, "effective_on", "A status cannot take effect before the claim was made.")
    plan.errors.sort(key=lambda error: (error.row, COLUMNS.index(error.column) if error.column in COLUMNS else 0))
    return plan


def preview(*, file_name: str, content: bytes) -> Plan:
    """Read and check a file. Raises FileError when it cannot be read at all."""
    return check(read_rows(file_name=file_name, content=content))


# --- importing ---------------------------------------------------------------------------------


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) could not be imported")


def _messages(error: ValidationError) -> str:
    return "; ".join(error.messages)


# Where a service's field error belongs in the spreadsheet.
FIELD_COLUMNS = {
    "evidence": "evidence_url",
    "wording_source": "quoted_from",
    "kind": "claim_kind",
    "claimant": "person",
    NON_FIELD_ERRORS: "",
}


def _row_errors(row: Row, error: ValidationError) -> list[RowError]:
    """One error per spreadsheet column the service named, so the editor sees where to look."""
    if not hasattr(error, "error_dict"):
        return [RowError(row.number, "", _messages(error))]
    return [
        RowError(row.number, FIELD_COLUMNS.get(name, name if name in COLUMNS else ""), "; ".join(messages))
        for name, messages in error.message_dict.items()
    ]


def _parents_first(rows: list[Row]) -> list[Row]:
    by_slug = {row.text("slug"): row for row in rows}
    ordered: list[Row] = []
    placed: set[str] = set()

    def place(row: Row, seen: frozenset[str]) -> None:
        slug = row.text("slug")
        if slug in placed or slug in seen:
            return
        parent = by_slug.get(row.text("parent"))
        if parent is not None:
            place(parent, seen | {slug})
        placed.add(slug)
        ordered.append(row)

    for row in rows:
        place(row, frozenset())
    return ordered


def _evidence_source(url: str, user: AbstractBaseUser) -> Source:
    """The source at ``url``: one of the file's source rows, one already in the tracker, or a new one.

    A new one is titled with its address until an editor gives it a title in the admin.
    """
    normalized = services.normalize_source_url(url)
    source, _ = services.source_get_or_create(url=normalized, title=normalized[:300], saved_by=user)
    return source


@dataclass
class Progress:
    """How far an import has got; ``created`` is complete once the last step has been yielded."""

    done: int
    total: int
    created: dict[str, int]


def apply(*, plan: Plan, user: AbstractBaseUser, reason: str) -> dict[str, int]:
    """Create everything in the plan through the services, or nothing (one transaction)."""
    progress = Progress(0, 0, {})
    for progress in apply_in_steps(plan=plan, user=user, reason=reason):  # noqa: B007 - the last step is kept
        pass
    return progress.created


def apply_in_steps(*, plan: Plan, user: AbstractBaseUser, reason: str) -> Iterator[Progress]:
    """``apply``, yielding its progress after each row, for a page that shows it as it goes.

    Everything happens in one transaction, which commits after the last step. If a row fails,
    or the caller stops early (a reader who closes the page), it rolls back: nothing is imported.
    """
    if plan.errors:
        raise ImportFailed(plan.errors)
    with transaction.atomic():
        yield from _apply_rows(plan=plan, user=user, reason=reason)


def _apply_rows(*, plan: Plan, user: AbstractBaseUser, reason: str) -> Iterator[Progress]:
    errors: list[RowError] = []
    created = dict.fromkeys(KIND_KEYS.values(), 0)
    progress = Progress(0, sum(len(plan.of_type(kind)) for kind in KIND_KEYS), created)

    def step() -> Progress:
        progress.done += 1
        return progress

    def attempt(row: Row, work: Any) -> Any:
        # Whatever a row runs into is reported against it; the whole import then rolls back.
        try:
            with transaction.atomic():
                return work()
        except ValidationError as error:
            errors.extend(_row_errors(row, error))
        except ObjectDoesNotExist as error:
            errors.append(RowError(row.number, "", f"Refers to something that was not imported: {error}"))
        except IntegrityError as error:
            errors.append(RowError(row.number, "", f"The database refused this row: {error}"))
        return None

    for row in plan.of_type("person"):
        person = Person(
            name=row.text("name"),
            slug=row.text("slug"),
            kind=row.text("person_kind").lower() or PersonKind.PERSON,
            role=row.text("role"),
            country=row.text("country"),
            wikidata_id=row.text("wikidata_id"),
        )
        if attempt(row, lambda person=person: person_save(person=person, saved_by=user, reason=reason)):
            created["people"] += 1
        yield step()

    sources_of: dict[str, list[tuple[Row, services.AppearanceInput]]] = {}
    for row in plan.of_type("source"):
        found = attempt(
            row,
            lambda row=row: services.source_get_or_create(
                url=row.text("url"),
                title=row.text("title"),
                publisher=row.text("publisher"),
                published_on=_date(Plan(), row, "published_on", required=False),
                kind=row.text("source_kind").lower() or SourceKind.ARTICLE,
                saved_by=user,
            ),
        )
        yield step()
        if found is None:
            continue
        source, _ = found
        sources_of.setdefault(row.text("claim"), []).append(
            (
                row,
                services.AppearanceInput(
                    source=source,
                    is_first_appearance=row.text("first_appearance").lower() in YES,
                    excerpt=row.text("excerpt"),
                ),
            )
        )
        created["sources"] += 1

    claims: dict[str, Claim] = {}
    for row in _parents_first(plan.of_type("claim")):
        slug = row.text("slug")
        parent_slug = row.text("parent")

        def create(row: Row = row, slug: str = slug, parent_slug: str = parent_slug) -> Claim:
            parent = claims.get(parent_slug) or (Claim.objects.get(slug=parent_slug) if parent_slug else None)
            precision = row.text("made_on_precision").lower() or DatePrecision.DAY
            quoted_from = row.text("quoted_from")
            return services.claim_create(
                claimant=Person.objects.get(slug=row.text("person")),
                kind=row.text("claim_kind").lower() or ClaimKind.PLEDGE,
                quote=row.text("quote"),
                wording=row.text("wording").lower() or Wording.PARAPHRASE,
                wording_source=(
                    Source.objects.get(url=services.normalize_source_url(quoted_from)) if quoted_from else None
                ),
                original_language=row.text("original_language"),
                original_text=row.text("original_text"),
                summary=row.text("summary"),
                made_on=_period_start(Plan(), row, precision),
                made_on_precision=precision,
                made_until=_date(Plan(), row, "made_until", required=False),
                deadline=_date(Plan(), row, "deadline", required=False),
                created_by=user,
                slug=slug,
                parent=parent,
                topics=[
                    services.topic_get_or_create(name=name.strip())
                    for name in row.text("topics").split(";")
                    if name.strip()
                ],
                appearances=[appearance for _, appearance in sources_of.get(slug, [])],
                visibility=row.text("visibility").lower() or Visibility.DRAFT,
            )

        claim = attempt(row, create)
        if claim is not None:
            claims[slug] = claim
            created["claims"] += 1
        yield step()

    for row in plan.of_type("status"):
        claim = claims.get(row.text("claim"))
        if claim is None:
            yield step()
            continue

        def record(row: Row = row, claim: Claim = claim) -> object:
            return services.claim_record_status(
                claim=claim,
                status=Status.objects.get(scale=claim.scale, slug=row.text("status").lower()),
                effective_on=_date(Plan(), row, "effective_on", required=True),
                rationale=row.text("rationale"),
                evidence=[_evidence_source(url, user) for url in _evidence_urls(row)],
                recorded_by=user,
            )

        if attempt(row, record) is not None:
            created["statuses"] += 1
        yield step()

    if errors:
        # Rolls back every row written so far: the import is all or nothing.
        raise ImportFailed(errors)
