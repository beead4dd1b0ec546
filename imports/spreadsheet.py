"""Reading a newsroom spreadsheet, checking every row, and importing it all or nothing.

One sheet (or CSV) of rows, each with a ``type``: ``person``, ``claim``, ``source`` or ``status``.
The column format is documented in ``imports/README.md``. The file is read as a stream (the
standard ``csv`` module; ``imports.xlsx`` for XLSX, which checks the archive before expanding
any of it) and capped in bytes, rows, cells per row and characters per cell. Every value is
checked against the models' own field rules, so a bad value is a row error in the preview.
The checked rows are kept with the upload (``rows_to_json``), so the file is parsed once.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import services
from claims.dates import future_status_error, newsroom_today, normalise_period_start
from claims.models import (
    SCALE_OF_KIND,
    SUMMARY_MAX_LENGTH,
    Claim,
    ClaimAppearance,
    ClaimKind,
    DatePrecision,
    Scale,
    Source,
    SourceKind,
    Status,
    StatusUpdate,
    Topic,
    Visibility,
    Wording,
)
from imports import xlsx
from people.models import WIKIDATA_ID_PATTERN, Person, PersonKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
# An import creates drafts or published claims; a withdrawal needs a published reason, given in the admin.
IMPORT_VISIBILITIES = [Visibility.DRAFT, Visibility.PUBLISHED]
# A BCP 47 language tag as editors write them: "uk", "ru", "pt-BR", "zh-Hant".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Several evidence URLs in one cell: separated by semicolons, spaces or line breaks.
URL_SEPARATOR = re.compile(r"[;\s]+")
# Keyed by the precision's value: the check passes it on as plain text.
PERIOD_FORMATS: dict[str, StrOrPromise] = {
    DatePrecision.DAY: gettext_lazy("YYYY-MM-DD, e.g. 2024-11-07"),
    DatePrecision.MONTH: gettext_lazy("YYYY-MM (or any day of the month as YYYY-MM-DD), e.g. 2024-09"),
    DatePrecision.YEAR: gettext_lazy("YYYY (or any day of the year as YYYY-MM-DD), e.g. 2024"),
    DatePrecision.RANGE: gettext_lazy("YYYY-MM-DD for the first day of the range, e.g. 2024-01-01"),
}
MAX_CELL_CHARS = xlsx.MAX_CELL_CHARS
MAX_CELLS_PER_ROW = xlsx.MAX_CELLS_PER_ROW
# Rows counted before empty ones are skipped: a sheet of a million empty rows is refused, not walked.
PHYSICAL_ROWS_PER_ROW = 4
# SQLite allows 32,766 parameters a query; lookups go in slices well under that.
LOOKUP_SLICE = 900


class FileError(Exception):
    """The file as a whole cannot be read (format, size, header)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        # Stored as JSON, which PostgreSQL refuses to hold a NUL in: show it as the NUL symbol.
        return {"row": self.row, "column": self.column, "message": self.message.replace("\x00", "\u2400")}


@dataclass
class Row:
    number: int  # As the editor sees it in the spreadsheet: the header is row 1.
    type: str
    values: dict[str, str]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()


@dataclass
class ImportPlan:
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

    def columns_in_error(self, row: Row) -> set[str]:
        return {error.column for error in self.errors if error.row == row.number}


# PostgreSQL's jsonb cannot hold a NUL character, which a hostile file may well contain; the stored
# rows carry it as this stand-in plus the list of columns where it stood, so the check at confirm
# still sees (and refuses) the very value the preview refused.
NUL, NUL_STAND_IN = "\x00", "\ufffd"


def rows_to_json(rows: Iterable[Row]) -> list[list[Any]]:
    """The rows as stored with the upload: [[row number, {column: text}, [columns that held a NUL]], ...]."""
    stored = []
    for row in rows:
        with_nul = sorted(column for column, text in row.values.items() if NUL in text)
        values = {column: text.replace(NUL, NUL_STAND_IN) for column, text in row.values.items()}
        stored.append([row.number, values, with_nul])
    return stored


def rows_from_json(data: Iterable[list[Any]]) -> list[Row]:
    rows = []
    for number, values, *rest in data:
        values = dict(values)
        for column in rest[0] if rest else ():
            values[column] = values[column].replace(NUL_STAND_IN, NUL)
        rows.append(Row(number=int(number), type=str(values.get("type", "")).strip().lower(), values=values))
    return rows


# --- reading -----------------------------------------------------------------------------------


def _grouped(number: int) -> str:
    """A large number with the active language's thousands separator (1,000 in English)."""
    return number_format(number, force_grouping=True)


def _too_many_cells(row: int) -> str:
    return ngettext(
        "Row %(row)d has more than %(limit)s cell.", "Row %(row)d has more than %(limit)s cells.", MAX_CELLS_PER_ROW
    ) % {"row": row, "limit": _grouped(MAX_CELLS_PER_ROW)}


def file_too_large(size: int) -> str:
    """The refusal of a file over IMPORTS_MAX_BYTES (the upload form gives the same)."""
    return _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into several files.") % {
        "size": size / 1_000_000,
        "limit": settings.IMPORTS_MAX_BYTES / 1_000_000,
    }


def _header(cells: dict[int, str]) -> list[str]:
    width = max(cells, default=-1) + 1
    return [cells.get(index, "").strip().lower().replace(" ", "_") for index in range(width)]


def _csv_rows(content: bytes) -> Iterator[tuple[int, dict[int, str]]]:
    try:
        text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
        for number, cells in enumerate(csv.reader(text), start=1):
            if len(cells) > MAX_CELLS_PER_ROW:
                raise FileError(_too_many_cells(number))
            yield number, {index: cell for index, cell in enumerate(cells) if cell}
    except UnicodeDecodeError:
        raise FileError(_("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")) from None
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileError(
                ngettext(
                    "A cell holds more than %(limit)s character; split its text.",
                    "A cell holds more than %(limit)s characters; split its text.",
                    MAX_CELL_CHARS,
                )
                % {"limit": _grouped(MAX_CELL_CHARS)}
            ) from None
        raise FileError(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from None


def _xlsx_rows(content: bytes, *, max_rows: int) -> Iterator[tuple[int, dict[int, str]]]:
    try:
        yield from xlsx.read_sheet(io.BytesIO(content), max_rows=max_rows)
    except xlsx.UnreadableWorkbook as error:
        raise FileError(str(error)) from None


def _check_header(header: list[str]) -> None:
    if "type" not in header:
        raise FileError(_("The first row must be the header, with a “type” column (download the template)."))
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        listed = ", ".join(column[:40] for column in unknown[:10]) + (" …" if len(unknown) > 10 else "")
        raise FileError(_("Unknown column(s): %(columns)s. The template lists the columns.") % {"columns": listed})
    repeated = sorted({column for column in header if column and header.count(column) > 1})
    if repeated:
        raise FileError(
            _("The column(s) %(columns)s appear more than once in the header.") % {"columns": ", ".join(repeated)}
        )


def read_rows(*, file_name: str, content: bytes) -> Iterator[Row]:
    """The data rows, read as a stream; raises FileError for a file that cannot be used at all."""
    if len(content) > settings.IMPORTS_MAX_BYTES:
        raise FileError(file_too_large(len(content)))
    max_rows = settings.IMPORTS_MAX_ROWS
    physical_limit = max_rows * PHYSICAL_ROWS_PER_ROW + 1
    name = file_name.lower()
    if name.endswith(".csv"):
        raw = _csv_rows(content)
    elif name.endswith(".xlsx"):
        raw = _xlsx_rows(content, max_rows=physical_limit)
    else:
        raise FileError(_("Upload a .csv or .xlsx file."))
    first = next(raw, None)
    if first is None:
        raise FileError(_("The file is empty: its first row must be the header (download the template)."))
    header = _header(first[1])
    _check_header(header)
    count = 0
    for physical, (number, cells) in enumerate(raw, start=2):
        if physical > physical_limit:
            raise FileError(
                ngettext(
                    "The file has more than %(limit)s row, counting empty ones. Delete the empty rows "
                    "under your data (or split the file) and upload it again.",
                    "The file has more than %(limit)s rows, counting empty ones. Delete the empty rows "
                    "under your data (or split the file) and upload it again.",
                    physical_limit - 1,
                )
                % {"limit": _grouped(physical_limit - 1)}
            )
        values = {}
        for index, cell in cells.items():
            if len(cell) > MAX_CELL_CHARS:
                raise FileError(
                    ngettext(
                        "Row %(row)d has a cell of more than %(limit)s character; split its text.",
                        "Row %(row)d has a cell of more than %(limit)s characters; split its text.",
                        MAX_CELL_CHARS,
                    )
                    % {"row": number, "limit": _grouped(MAX_CELL_CHARS)}
                )
            text = cell.strip()
            if index < len(header) and header[index] and text:
                values[header[index]] = text
        if not values:
            continue
        count += 1
        if count > max_rows:
            raise FileError(
                ngettext(
                    "The file has more than %(limit)d row. Split it into several files.",
                    "The file has more than %(limit)d rows. Split it into several files.",
                    max_rows,
                )
                % {"limit": max_rows}
            )
        yield Row(number=number, type=values.get("type", "").lower(), values=values)


# --- checking ----------------------------------------------------------------------------------

# Model field → spreadsheet column, for the rules each model applies to its own fields.
PERSON_COLUMNS = {
    "name": "name",
    "slug": "slug",
    "kind": "person_kind",
    "role": "role",
    "country": "country",
    "wikidata_id": "wikidata_id",
}
CLAIM_COLUMNS = {
    "kind": "claim_kind",
    "quote": "quote",
    "wording": "wording",
    "original_language": "original_language",
    "original_text": "original_text",
    "summary": "summary",
    "slug": "slug",
    "made_on": "made_on",
    "made_on_precision": "made_on_precision",
    "made_until": "made_until",
    "deadline": "deadline",
    "visibility": "visibility",
    "claimant": "person",
    "wording_source": "quoted_from",
    "parent": "parent",
}
SOURCE_COLUMNS = {"url": "url", "title": "title", "publisher": "publisher", "kind": "source_kind"}
APPEARANCE_COLUMNS = {"excerpt": "excerpt", "is_first_appearance": "first_appearance"}
STATUS_COLUMNS = {
    "rationale": "rationale",
    "effective_on": "effective_on",
    "status": "status",
    "evidence": "evidence_url",
    "claim": "claim",
}


def validate_fields(plan: ImportPlan, row: Row, instance: models.Model, columns: dict[str, str]) -> None:
    """The model's own rules for the fields the file fills (length, characters, slug format, choices).

    A column that already has an error for this row is not reported twice.
    """
    validated = {name for name in columns if name not in {"claimant", "wording_source", "parent", "claim"}}
    exclude = {model_field.name for model_field in instance._meta.fields} - validated
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        taken = plan.columns_in_error(row)
        for name, messages in error.message_dict.items():
            column = columns.get(name, "")
            if column not in taken:
                plan.error(row, column, " ".join(messages))
                taken.add(column)


def _no_nul_characters(plan: ImportPlan, row: Row) -> None:
    # PostgreSQL cannot store a NUL character in text, and no editor means one.
    for column, value in row.values.items():
        if "\x00" in value:
            plan.error(row, column, _("Contains a NUL character (\\0), which cannot be stored: delete it."))


def _date(plan: ImportPlan, row: Row, column: str, *, required: bool) -> datetime.date | None:
    text = row.text(column)
    if not text:
        if required:
            plan.error(row, column, _("Required: a date as YYYY-MM-DD."))
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        plan.error(
            row, column, _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31.") % {"value": text[:40]}
        )
        return None


def _required(plan: ImportPlan, row: Row, column: str) -> str:
    text = row.text(column)
    if not text:
        plan.error(row, column, _("Required."))
    return text


def _choice(plan: ImportPlan, row: Row, column: str, choices: Iterable[str], default: str) -> str:
    allowed = [str(choice) for choice in choices]
    text = row.text(column).lower() or default
    if text not in allowed:
        plan.error(
            row,
            column,
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": text[:40], "allowed": ", ".join(allowed)},
        )
    return text


def period_start(row: Row, precision: str, plan: ImportPlan | None = None) -> datetime.date | None:
    """``made_on`` as the first day of its period; a month may be written 2024-09 and a year 2024."""
    plan = plan if plan is not None else ImportPlan()
    text = row.text("made_on")
    if not text:
        plan.error(row, "made_on", _("Required: a date as %(format)s.") % {"format": PERIOD_FORMATS[precision]})
        return None
    try:
        if precision == DatePrecision.MONTH and re.fullmatch(r"\d{4}-\d{2}", text):
            day = datetime.date(int(text[:4]), int(text[5:]), 1)
        elif precision == DatePrecision.YEAR and re.fullmatch(r"\d{4}", text):
            day = datetime.date(int(text), 1, 1)
        else:
            day = datetime.date.fromisoformat(text)
    except ValueError:
        plan.error(
            row,
            "made_on",
            _("“%(value)s” is not a date; write it as %(format)s.")
            % {"value": text[:40], "format": PERIOD_FORMATS[precision]},
        )
        return None
    return normalise_period_start(day, precision)


def optional_date(row: Row, column: str) -> datetime.date | None:
    """A date column of a checked row (the check reported anything unreadable)."""
    return _date(ImportPlan(), row, column, required=False)


def normalized_url(text: str) -> str | None:
    try:
        return services.normalize_source_url(text)
    except ValidationError:
        return None


def _url(plan: ImportPlan, row: Row, column: str, text: str) -> str | None:
    url = normalized_url(text)
    if url is None:
        plan.error(
            row,
            column,
            _("“%(value)s” is not a web address starting with http:// or https://.") % {"value": text[:100]},
        )
    return url


def evidence_urls(row: Row) -> list[str]:
    return [url for url in URL_SEPARATOR.split(row.text("evidence_url")) if url]


def topic_names(row: Row) -> list[str]:
    return [name.strip() for name in row.text("topics").split(";") if name.strip()]


def sliced(values: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted({value for value in values if value})
    for start in range(0, len(ordered), LOOKUP_SLICE):
        yield ordered[start : start + LOOKUP_SLICE]


@dataclass
class Known:
    """What the tracker already holds of what the file mentions: looked up once, not row by row."""

    person_slugs: set[str]
    claim_kinds: dict[str, str]  # slug → kind
    source_urls: set[str]
    statuses: dict[tuple[str, str], Status]

    @classmethod
    def for_rows(cls, rows: list[Row]) -> Known:
        people = {row.text("slug") for row in rows if row.type == "person"}
        people |= {row.text("person") for row in rows if row.type == "claim"}
        claims = {row.text(column) for row in rows if row.type == "claim" for column in ("slug", "parent")}
        urls = {row.text("url") for row in rows if row.type == "source"}
        urls |= {row.text("quoted_from") for row in rows if row.type == "claim"}
        urls |= {url for row in rows if row.type == "status" for url in evidence_urls(row)}
        normalized = {url for url in map(normalized_url, urls) if url}
        return cls(
            person_slugs={
                slug
                for part in sliced(people)
                for slug in Person.objects.filter(slug__in=part).values_list("slug", flat=True)
            },
            claim_kinds={
                slug: kind
                for part in sliced(claims)
                for slug, kind in Claim.objects.filter(slug__in=part).values_list("slug", "kind")
            },
            source_urls={
                url
                for part in sliced(normalized)
                for url in Source.objects.filter(url__in=part).values_list("url", flat=True)
            },
            statuses={(status.scale, status.slug): status for status in Status.objects.all()},
        )


def _check_wording(plan: ImportPlan, row: Row, file_urls: set[str], known: Known) -> None:
    """A quote names where its words come from; only a translation has an original language."""
    wording = _choice(plan, row, "wording", Wording.values, Wording.PARAPHRASE)
    quoted_from = row.text("quoted_from")
    if quoted_from:
        url = _url(plan, row, "quoted_from", quoted_from)
        if url and url not in file_urls and url not in known.source_urls:
            plan.error(
                row,
                "quoted_from",
                _(
                    "“%(value)s” is not a source in this file or in the tracker: add a source row with this "
                    "URL for the claim."
                )
                % {"value": quoted_from[:100]},
            )
    elif wording == Wording.VERBATIM:
        plan.error(
            row,
            "quoted_from",
            _(
                "Required for a verbatim quote: the URL of the source the words are taken from (one of the claim's "
                "source rows). Or set wording to paraphrase if these are not the speaker's own words."
            ),
        )
    elif wording == Wording.TRANSLATION:
        plan.error(
            row,
            "quoted_from",
            _(
                "Required for a translation: the URL of the source the words are taken from (one of the claim's "
                "source rows). Or set wording to paraphrase if these are not the speaker's own words."
            ),
        )
    language = row.text("original_language")
    if wording == Wording.TRANSLATION:
        if not language:
            plan.error(
                row,
                "original_language",
                _("Required for a translation: the language the claim was made in, as a tag such as uk or ru."),
            )
        elif not LANGUAGE_TAG.match(language):
            plan.error(
                row,
                "original_language",
                _("“%(value)s” is not a language tag; write e.g. uk, ru or pt-BR.") % {"value": language[:40]},
            )
    elif language or row.text("original_text"):
        plan.error(
            row,
            "original_language" if language else "original_text",
            _("Only a translation has an original language and text: set wording to translation, or leave this empty."),
        )


def _check_made_on(plan: ImportPlan, row: Row) -> datetime.date | None:
    """The first day the claim may have been made, at the precision the source allows."""
    precision = _choice(plan, row, "made_on_precision", DatePrecision.values, DatePrecision.DAY)
    if precision not in DatePrecision.values:
        precision = DatePrecision.DAY
    made_on = period_start(row, precision, plan)
    if made_on and made_on > newsroom_today():
        plan.error(
            row,
            "made_on",
            _("%(day)s is in the future: record a claim once it has been made.") % {"day": made_on.isoformat()},
        )
    has_until = bool(row.text("made_until"))
    if precision == DatePrecision.RANGE:
        if not has_until:
            plan.error(row, "made_until", _("Required for a range: its last day as YYYY-MM-DD."))
            return made_on
        made_until = _date(plan, row, "made_until", required=True)
        if made_on and made_until and made_until <= made_on:
            plan.error(row, "made_until", _("The range must end after it starts (made_on)."))
    elif has_until:
        plan.error(
            row, "made_until", _("Only a range has an end date: set made_on_precision to range, or leave this empty.")
        )
    return made_on


def _check_topics(plan: ImportPlan, row: Row) -> None:
    """Each topic as the Topic model takes it: a name of at most 80 characters that makes a slug."""
    for name in topic_names(row):
        if not Topic.slug_for(name):
            plan.error(
                row,
                "topics",
                _("“%(value)s” cannot be a topic: its name needs a letter or a digit.") % {"value": name[:40]},
            )
            continue
        try:
            Topic(name=name, slug=Topic.slug_for(name)).clean_fields()
        except ValidationError as error:
            messages = " ".join(message for messages in error.message_dict.values() for message in messages)
            plan.error(row, "topics", _("Topic “%(name)s”: %(problems)s") % {"name": name[:40], "problems": messages})


def _check_people(plan: ImportPlan, known: Known) -> dict[str, int]:
    person_slugs: dict[str, int] = {}
    for row in plan.of_type("person"):
        _required(plan, row, "name")
        slug = _required(plan, row, "slug")
        kind = _choice(plan, row, "person_kind", PersonKind.values, PersonKind.PERSON)
        wikidata_id = row.text("wikidata_id").upper()
        if wikidata_id:
            try:
                RegexValidator(WIKIDATA_ID_PATTERN)(wikidata_id)
            except ValidationError:
                plan.error(row, "wikidata_id", _("A Wikidata ID is “Q” followed by digits, e.g. Q22686."))
        if slug in person_slugs:
            plan.error(
                row,
                "slug",
                _("Duplicate person slug “%(slug)s” (also on row %(row)d).")
                % {"slug": slug, "row": person_slugs[slug]},
            )
        elif slug in known.person_slugs:
            plan.error(
                row,
                "slug",
                _("A person “%(slug)s” already exists; refer to them in claim rows instead.") % {"slug": slug},
            )
        person_slugs.setdefault(slug, row.number)
        person = Person(
            name=row.text("name"),
            slug=slug,
            kind=kind,
            role=row.text("role"),
            country=row.text("country"),
            wikidata_id=wikidata_id,
        )
        validate_fields(plan, row, person, PERSON_COLUMNS)
    return person_slugs


def _check_parents(plan: ImportPlan, claim_rows: dict[str, Row]) -> None:
    """Plans in the file that are, through their components, components of themselves."""
    for slug, row in claim_rows.items():
        seen = {slug}
        parent = row.text("parent")
        while parent in claim_rows and parent not in seen:
            seen.add(parent)
            parent = claim_rows[parent].text("parent")
        if parent == slug and row.text("parent") != slug:
            plan.error(row, "parent", _("These plans would be components of each other: one of them must be the top."))


def _check_claims(
    plan: ImportPlan, known: Known, person_slugs: dict[str, int]
) -> tuple[dict[str, Row], dict[str, Any]]:
    claim_rows: dict[str, Row] = {}
    for row in plan.of_type("claim"):
        slug = _required(plan, row, "slug")
        if slug in claim_rows:
            plan.error(
                row,
                "slug",
                _("Duplicate claim slug “%(slug)s” (also on row %(row)d).")
                % {"slug": slug, "row": claim_rows[slug].number},
            )
        elif slug in known.claim_kinds:
            plan.error(row, "slug", _("A claim “%(slug)s” already exists.") % {"slug": slug})
        claim_rows.setdefault(slug, row)
    claim_kinds = {slug: row.text("claim_kind").lower() or ClaimKind.PLEDGE for slug, row in claim_rows.items()}

    file_urls = {url for url in (normalized_url(row.text("url")) for row in plan.of_type("source")) if url}
    made_on_of: dict[str, Any] = {}
    for row in plan.of_type("claim"):
        person = _required(plan, row, "person")
        if person and person not in person_slugs and person not in known.person_slugs:
            plan.error(
                row,
                "person",
                _("Unknown person “%(person)s”: add a person row or use an existing slug.") % {"person": person[:120]},
            )
        kind = _choice(plan, row, "claim_kind", ClaimKind.values, ClaimKind.PLEDGE)
        summary = _required(plan, row, "summary")
        if len(summary) > SUMMARY_MAX_LENGTH:
            plan.error(
                row,
                "summary",
                ngettext(
                    "The summary is %(length)d character; at most %(limit)d.",
                    "The summary is %(length)d characters; at most %(limit)d.",
                    len(summary),
                )
                % {"length": len(summary), "limit": SUMMARY_MAX_LENGTH},
            )
        _required(plan, row, "quote")
        _check_wording(plan, row, file_urls, known)
        made_on = _check_made_on(plan, row)
        made_on_of.setdefault(row.text("slug"), made_on)
        deadline = _date(plan, row, "deadline", required=False)
        if made_on and deadline and deadline < made_on:
            plan.error(row, "deadline", _("The deadline is before the date the claim was made."))
        visibility = _choice(plan, row, "visibility", IMPORT_VISIBILITIES, Visibility.DRAFT)
        _check_topics(plan, row)
        parent = row.text("parent")
        if parent:
            if parent == row.text("slug"):
                plan.error(row, "parent", _("A claim cannot be a component of itself."))
            elif parent in claim_kinds:
                if claim_kinds[parent] != ClaimKind.PLAN:
                    plan.error(row, "parent", _not_a_plan(parent))
            elif parent not in known.claim_kinds:
                plan.error(row, "parent", _("Unknown parent claim “%(slug)s”.") % {"slug": parent[:120]})
            elif known.claim_kinds[parent] != ClaimKind.PLAN:
                plan.error(row, "parent", _not_a_plan(parent))
        claim = Claim(
            kind=kind,
            scale=SCALE_OF_KIND.get(kind, Scale.PROMISE),
            quote=row.text("quote"),
            wording=row.text("wording").lower() or Wording.PARAPHRASE,
            original_language=row.text("original_language"),
            original_text=row.text("original_text"),
            summary=summary,
            slug=row.text("slug"),
            made_on_precision=row.text("made_on_precision").lower() or DatePrecision.DAY,
            visibility=visibility,
        )
        validate_fields(plan, row, claim, {k: v for k, v in CLAIM_COLUMNS.items() if k not in _DATE_FIELDS})
    _check_parents(plan, claim_rows)
    return claim_rows, {"kinds": claim_kinds, "made_on": made_on_of, "file_urls": file_urls}


_DATE_FIELDS = {"made_on", "made_until", "deadline"}


def _not_a_plan(slug: str) -> str:
    return _("“%(slug)s” is not a plan; only a plan can have components.") % {"slug": slug}


def _check_sources(plan: ImportPlan, known: Known, claim_rows: dict[str, Row]) -> None:
    appearances: dict[tuple[str, str], int] = {}
    first_appearances: dict[str, int] = {}
    described: set[str] = set()
    for row in plan.of_type("source"):
        claim = _required(plan, row, "claim")
        if claim and claim not in claim_rows:
            plan.error(
                row,
                "claim",
                _("Unknown claim “%(slug)s”: sources attach to claims in this file.") % {"slug": claim[:120]},
            )
        url = _required(plan, row, "url")
        normalized = _url(plan, row, "url", url) if url else None
        if normalized:
            if (claim, normalized) in appearances:
                plan.error(
                    row,
                    "url",
                    _("Duplicate URL for this claim (also on row %(row)d).")
                    % {"row": appearances[(claim, normalized)]},
                )
            appearances.setdefault((claim, normalized), row.number)
        kind = _choice(plan, row, "source_kind", SourceKind.values, SourceKind.ARTICLE)
        _date(plan, row, "published_on", required=False)
        if normalized not in known.source_urls and normalized not in described:
            # A new source, created from this row (a URL the tracker has is reused as it is).
            _required(plan, row, "title")
            source = Source(url=normalized or url, title=row.text("title"), publisher=row.text("publisher"), kind=kind)
            validate_fields(plan, row, source, SOURCE_COLUMNS)
            if normalized:
                described.add(normalized)
        first = row.text("first_appearance").lower()
        if first not in YES | NO:
            plan.error(row, "first_appearance", _("Write yes or no."))
        elif first in YES:
            if claim in first_appearances:
                plan.error(
                    row,
                    "first_appearance",
                    _("The claim already has a first appearance (row %(row)d).") % {"row": first_appearances[claim]},
                )
            first_appearances.setdefault(claim, row.number)
        validate_fields(plan, row, ClaimAppearance(excerpt=row.text("excerpt")), {"excerpt": "excerpt"})


def _check_statuses(plan: ImportPlan, known: Known, claim_rows: dict[str, Row], claims: dict[str, Any]) -> None:
    for row in plan.of_type("status"):
        claim = _required(plan, row, "claim")
        claim_row = claim_rows.get(claim)
        if claim and claim_row is None:
            plan.error(
                row,
                "claim",
                _("Unknown claim “%(slug)s”: statuses attach to claims in this file.") % {"slug": claim[:120]},
            )
        slug = _required(plan, row, "status").lower()
        effective_on = _date(plan, row, "effective_on", required=True)
        if in_future := future_status_error(effective_on):
            plan.error(row, "effective_on", in_future)
        _required(plan, row, "rationale")
        evidence = evidence_urls(row)
        for url in evidence:
            normalized = _url(plan, row, "evidence_url", url)
            if normalized and normalized not in claims["file_urls"] and normalized not in known.source_urls:
                # A new source titled with its address.
                validate_fields(plan, row, Source(url=normalized, title=normalized[:300]), {"url": "evidence_url"})
        validate_fields(plan, row, StatusUpdate(rationale=row.text("rationale")), {"rationale": "rationale"})
        kind = claims["kinds"].get(claim)
        if claim_row is not None and kind in SCALE_OF_KIND:
            scale = SCALE_OF_KIND[kind]
            status = known.statuses.get((scale, slug))
            if slug and status is None:
                names = ", ".join(s for (on_scale, s) in known.statuses if on_scale == scale)
                plan.error(
                    row,
                    "status",
                    _("“%(status)s” is not on the %(scale)s (%(statuses)s).")
                    % {"status": slug[:40], "scale": scale.label.lower(), "statuses": names},
                )
            elif status is not None and (
                missing := services.missing_evidence_error(status, has_evidence=bool(evidence))
            ):
                plan.error(row, "evidence_url", missing)
            made_on = claims["made_on"].get(claim)
            if effective_on and made_on and effective_on < made_on:
                plan.error(row, "effective_on", _("A status cannot take effect before the claim was made."))


def sort_errors(errors: list[RowError]) -> None:
    errors.sort(key=lambda error: (error.row, COLUMNS.index(error.column) if error.column in COLUMNS else 0))


def check(rows: Iterable[Row]) -> ImportPlan:
    """Every row-level problem, found before anything is written (a handful of queries, whatever the size)."""
    plan = ImportPlan(rows=list(rows))
    for row in plan.rows:
        _no_nul_characters(plan, row)
        if row.type not in ROW_TYPES:
            plan.error(
                row,
                "type",
                _("“%(value)s” is not a row type; use one of: %(types)s.")
                % {"value": row.type[:40], "types": ", ".join(ROW_TYPES)},
            )
    known = Known.for_rows(plan.rows)
    person_slugs = _check_people(plan, known)
    claim_rows, claims = _check_claims(plan, known, person_slugs)
    _check_sources(plan, known, claim_rows)
    _check_statuses(plan, known, claim_rows, claims)
    sort_errors(plan.errors)
    return plan


def preview(*, file_name: str, content: bytes) -> ImportPlan:
    """Read and check a file. Raises FileError when it cannot be read at all."""
    return check(read_rows(file_name=file_name, content=content))


# --- importing ---------------------------------------------------------------------------------


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) could not be imported")


# Where a model's or service's field error belongs in the spreadsheet, when the model's own map has no say.
FIELD_COLUMNS = {
    "evidence": "evidence_url",
    "wording_source": "quoted_from",
    "kind": "claim_kind",
    "claimant": "person",
    NON_FIELD_ERRORS: "",
}


def row_errors(row: Row, error: ValidationError, columns: dict[str, str] | None = None) -> list[RowError]:
    """One error per spreadsheet column the model named, so the editor sees where to look."""
    if not hasattr(error, "error_dict"):
        return [RowError(row.number, "", "; ".join(error.messages))]
    columns = {**FIELD_COLUMNS, **(columns or {})}
    return [
        RowError(row.number, columns.get(name, name if name in COLUMNS else ""), "; ".join(messages))
        for name, messages in error.message_dict.items()
    ]


@dataclass
class Progress:
    """How far an import has got; ``created`` is complete once the last step has been yielded."""

    done: int
    total: int
    created: dict[str, int]


def apply(*, plan: ImportPlan, user: User, reason: str) -> dict[str, int]:
    """Create everything in the plan, or nothing (one transaction)."""
    progress = Progress(0, 0, dict.fromkeys(KIND_KEYS.values(), 0))
    for progress in apply_in_steps(plan=plan, user=user, reason=reason):  # noqa: B007 - the last step is kept
        pass
    return progress.created


def apply_in_steps(*, plan: ImportPlan, user: User, reason: str) -> Iterator[Progress]:
    """``apply``, yielding its progress as each kind of record is written, for a page that shows it.

    Everything is built and checked first; the writing happens in one short transaction, which
    commits after the last step. If a row fails, or the caller stops early (a reader who closes
    the page), it rolls back: nothing is imported.
    """
    from imports import writer

    if plan.errors:
        raise ImportFailed(plan.errors)
    yield from writer.write(writer.prepare(plan=plan, user=user, reason=reason))
