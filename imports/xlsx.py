"""The first sheet of an XLSX workbook, read with a bounded cost whatever the file holds.

An XLSX file is a zip archive of XML parts, and a few megabytes of zip can expand to gigabytes.
So the archive is checked before any part is opened (number of parts, each part's and the total
uncompressed size, compression ratio, names), and the parts are then read as a stream of XML
events with caps on rows, cells per row and characters per cell, never as a whole document.
XML document type declarations are refused outright: a spreadsheet never needs one, and they
are how entity-expansion ("billion laughs") and external-entity (XXE) attacks are carried.

The zip module stops reading a part at the uncompressed size its header declares (a part that
expands further fails its CRC check), so the declared sizes checked here are the sizes read.
"""

from __future__ import annotations

import contextlib
import datetime
import posixpath
import re
import struct
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator
from typing import Any, BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAX_PARTS = 200
MAX_PART_BYTES = 30_000_000  # uncompressed, per part
MAX_TOTAL_BYTES = 60_000_000  # uncompressed, all parts together
# Spreadsheet XML compresses 5-20 times; a zip bomb 100s or 1000s of times. Small parts (an
# almost empty sheet) compress very well too, so only large ones are held to the ratio.
MAX_RATIO = 200
RATIO_APPLIES_FROM_BYTES = 2_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_CELLS_PER_ROW = 1_000
# 5,000 rows of the template's 34 columns are 170,000 cells; each cell costs a few microseconds.
MAX_CELLS = 500_000
MAX_SHARED_STRINGS = 250_000
# Top-level folders an XLSX written by Excel, LibreOffice, Google Sheets, Numbers or openpyxl holds.
ALLOWED_PART = re.compile(r"^(\[Content_Types\]\.xml|_rels/[^/]*\.rels|(docProps|xl|customXml)/[^\\]+)$")
CHUNK_BYTES = 64 * 1024
CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d*$")
REL_TYPE_SUFFIXES = ("/officeDocument", "/worksheet", "/sharedStrings", "/styles")


class UnreadableWorkbook(Exception):
    """The workbook is refused; the message says why, for the editor."""


# What the zip and XML readers raise on a damaged or doctored file (found by mutating workbooks
# byte by byte): a bad header, an impossible offset, an unknown encoding or zip version.
DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    LookupError,
    NotImplementedError,
    OverflowError,
    RuntimeError,
    ParseError,
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an archive that would cost too much to read, before a single part is expanded."""
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise UnreadableWorkbook(
            f"The workbook has {len(members)} parts; a spreadsheet has far fewer (at most {MAX_PARTS})."
        )
    names: set[str] = set()
    total = 0
    for member in members:
        name = member.filename
        if name in names or not ALLOWED_PART.match(name) or ".." in name.split("/"):
            raise UnreadableWorkbook(f"The workbook holds a part a spreadsheet does not (“{name[:100]}”).")
        names.add(name)
        if member.flag_bits & 0x1:
            raise UnreadableWorkbook("The workbook is encrypted: remove its password and upload it again.")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableWorkbook("The workbook uses an unusual compression; save it again as .xlsx.")
        if member.file_size > MAX_PART_BYTES:
            raise UnreadableWorkbook(
                f"A part of the workbook (“{name[:100]}”) expands to {member.file_size / 1_000_000:,.0f} MB; "
                f"the limit is {MAX_PART_BYTES / 1_000_000:.0f} MB. Split the file into several."
            )
        if member.file_size > RATIO_APPLIES_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnreadableWorkbook(
                f"A part of the workbook (“{name[:100]}”) is compressed {member.file_size // max(member.compress_size, 1):,} "
                "times, which no spreadsheet is: the file was refused for safety."
            )
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise UnreadableWorkbook(
            f"The workbook expands to {total / 1_000_000:,.0f} MB; the limit is {MAX_TOTAL_BYTES / 1_000_000:.0f} MB. "
            "Split the file into several."
        )


def _stream(archive: zipfile.ZipFile, name: str, target: Any) -> Iterator[None]:
    """Feed the part to ``target`` in chunks, yielding after each so the caller can drain what it built."""
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        with archive.open(name) as part:
            while chunk := part.read(CHUNK_BYTES):
                parser.feed(chunk)
                yield
        parser.close()
    except DefusedXmlException:
        raise UnreadableWorkbook(
            "The workbook contains an XML document type declaration (DTD) or entity, which a spreadsheet never "
            "needs: it was refused for safety. Save the sheet again from your spreadsheet program."
        ) from None
    except ParseError as error:
        raise UnreadableWorkbook(f"The workbook is damaged ({name}: {error}). Save it again as .xlsx.") from None
    yield


def _parse(archive: zipfile.ZipFile, name: str, target: Any) -> None:
    for _ in _stream(archive, name, target):
        pass


class _Target:
    """An XMLParser target: each part's reader overrides what it needs of the four calls."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class _Relationships(_Target):
    """Relationship id → target part, and the first target of each type we need."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        self.by_type: dict[str, str] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        self.by_id.setdefault(attrs.get("Id", ""), target)
        for suffix in REL_TYPE_SUFFIXES:
            if attrs.get("Type", "").endswith(suffix):
                self.by_type.setdefault(suffix, target)


class _Workbook(_Target):
    """The relationship id of the first sheet, and which calendar dates count from."""

    def __init__(self) -> None:
        self.first_sheet: str | None = None
        self.date1904 = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet" and self.first_sheet is None:
            self.first_sheet = next((value for key, value in attrs.items() if key.endswith("}id")), None)


class _Styles(_Target):
    """Which cell styles are date formats: a date cell is a number with a date style."""

    def __init__(self) -> None:
        self.formats: dict[int, str] = dict(BUILTIN_FORMATS)
        self.date_styles: list[bool] = []
        self._in_cell_xfs = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "numFmt":
            with contextlib.suppress(ValueError):
                self.formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self._in_cell_xfs = True
        elif name == "xf" and self._in_cell_xfs:
            if len(self.date_styles) >= MAX_SHARED_STRINGS:
                raise UnreadableWorkbook("The workbook has more cell styles than a spreadsheet would.")
            try:
                code = self.formats.get(int(attrs.get("numFmtId", "0")), "")
            except ValueError:
                code = ""
            self.date_styles.append(bool(code) and is_date_format(code))

    def end(self, tag: str) -> None:
        if _local(tag) == "cellXfs":
            self._in_cell_xfs = False


class _Text:
    """The text of one string item: its runs, without phonetic guides, capped in length."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.depth_in_phonetic = 0
        self.in_text = False

    def start(self, name: str) -> None:
        if name == "rPh":
            self.depth_in_phonetic += 1
        elif name == "t" and not self.depth_in_phonetic:
            self.in_text = True

    def end(self, name: str) -> None:
        if name == "rPh":
            self.depth_in_phonetic -= 1
        elif name == "t":
            self.in_text = False

    def data(self, text: str) -> None:
        if self.in_text:
            self.length += len(text)
            if self.length > MAX_CELL_CHARS:
                raise UnreadableWorkbook(f"A cell holds more than {MAX_CELL_CHARS:,} characters, Excel's own limit.")
            self.parts.append(text)

    def value(self) -> str:
        return "".join(self.parts)


class _SharedStrings(_Target):
    def __init__(self) -> None:
        self.strings: list[str] = []
        self._item: _Text | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "si":
            self._item = _Text()
        elif self._item is not None:
            self._item.start(name)

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name == "si" and self._item is not None:
            if len(self.strings) >= MAX_SHARED_STRINGS:
                raise UnreadableWorkbook(f"The workbook has more than {MAX_SHARED_STRINGS:,} distinct texts.")
            self.strings.append(self._item.value())
            self._item = None
        elif self._item is not None:
            self._item.end(name)

    def data(self, text: str) -> None:
        if self._item is not None:
            self._item.data(text)


def _column_index(reference: str) -> int | None:
    match = CELL_REFERENCE.match(reference)
    if match is None:
        return None
    index = 0
    for letter in match.group(1).upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


class _Sheet(_Target):
    """Rows of the sheet as (row number, {column index: text}), collected as the XML streams past."""

    def __init__(self, *, strings: list[str], date_styles: list[bool], epoch: datetime.datetime, max_rows: int) -> None:
        self.strings = strings
        self.date_styles = date_styles
        self.epoch = epoch
        self.max_rows = max_rows
        self.rows: deque[tuple[int, dict[int, str]]] = deque()
        self._row_count = 0
        self._cell_count = 0
        self._row_number = 0
        self._cells: dict[int, str] | None = None
        self._column = -1
        self._cell: dict[str, str] | None = None
        self._value: list[str] = []
        self._value_length = 0
        self._in_value = False
        self._inline: _Text | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "row":
            self._start_row(attrs)
        elif self._cells is None:
            return
        elif name == "c":
            if len(self._cells) >= MAX_CELLS_PER_ROW:
                raise UnreadableWorkbook(f"Row {self._row_number} has more than {MAX_CELLS_PER_ROW:,} cells.")
            self._cell_count += 1
            if self._cell_count > MAX_CELLS:
                raise UnreadableWorkbook(f"The sheet has more than {MAX_CELLS:,} cells, counting empty ones.")
            self._cell, self._value, self._value_length, self._inline = dict(attrs), [], 0, None
            reference = _column_index(attrs.get("r", ""))
            self._column = self._column + 1 if reference is None else reference
        elif self._cell is not None:
            if name == "v":
                self._in_value = True
            elif name == "is":
                self._inline = _Text()
            elif self._inline is not None:
                self._inline.start(name)

    def _start_row(self, attrs: dict[str, str]) -> None:
        self._row_count += 1
        if self._row_count > self.max_rows:
            raise UnreadableWorkbook(
                f"The sheet has more than {self.max_rows:,} rows, counting empty ones. Delete the empty rows "
                "under your data (or split the file) and upload it again."
            )
        try:
            number = int(attrs.get("r", ""))
        except ValueError:
            number = self._row_number + 1
        self._row_number = max(number, self._row_number + 1)
        self._cells, self._column = {}, -1

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name == "row" and self._cells is not None:
            self.rows.append((self._row_number, self._cells))
            self._cells = None
        elif name == "c" and self._cell is not None and self._cells is not None:
            value = self._cell_value()
            if value:
                self._cells[self._column] = value
            self._cell = None
        elif name == "v":
            self._in_value = False
        elif name == "is":
            pass
        elif self._inline is not None:
            self._inline.end(name)

    def data(self, text: str) -> None:
        if self._in_value:
            self._value_length += len(text)
            if self._value_length > MAX_CELL_CHARS:
                raise UnreadableWorkbook(f"A cell holds more than {MAX_CELL_CHARS:,} characters, Excel's own limit.")
            self._value.append(text)
        elif self._inline is not None:
            self._inline.data(text)

    def _cell_value(self) -> str:
        cell = self._cell or {}
        kind = cell.get("t", "n")
        raw = "".join(self._value).strip()
        if kind == "inlineStr":
            return self._inline.value() if self._inline is not None else ""
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise UnreadableWorkbook(
                    f"Row {self._row_number} refers to a text the workbook does not hold: the file is damaged."
                ) from None
        if kind == "b":
            return "true" if raw in ("1", "true") else "false"
        if kind == "d":
            return raw.split("T", 1)[0]
        if kind != "n" or not raw:
            return raw  # "str" (a formula's text), "e" (an error such as #N/A)
        return self._number(raw, cell.get("s", "0"))

    def _number(self, raw: str, style_index: str) -> str:
        try:
            number = float(raw)
        except ValueError:
            return raw
        try:
            style = int(style_index)
        except ValueError:
            style = 0
        if 0 <= style < len(self.date_styles) and self.date_styles[style]:
            try:
                moment = from_excel(number, self.epoch)
            except (ValueError, OverflowError, TypeError):
                return raw
            if isinstance(moment, datetime.datetime):
                return moment.date().isoformat()
            if isinstance(moment, datetime.date):
                return moment.isoformat()
            return raw
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return raw


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a part name: relative to ``base``'s folder, or absolute from the root."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships_of(archive: zipfile.ZipFile, part: str) -> _Relationships:
    relationships = _Relationships()
    name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if name in archive.NameToInfo:
        _parse(archive, name, relationships)
    return relationships


def read_sheet(file: BinaryIO, *, max_rows: int) -> Iterator[tuple[int, dict[int, str]]]:
    """The first sheet's rows, in order: (row number, {column index: text}) for its non-empty cells.

    A date cell becomes YYYY-MM-DD, a whole number has no decimals, a boolean is true or false.
    Raises UnreadableWorkbook for anything that is not a workbook we can read at a bounded cost.
    """
    try:
        yield from _read_sheet(file, max_rows=max_rows)
    except UnreadableWorkbook:
        raise
    except DAMAGED as error:
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise UnreadableWorkbook(f"The workbook is damaged ({detail[:120]}). Save it again as .xlsx.") from None


def _read_sheet(file: BinaryIO, *, max_rows: int) -> Iterator[tuple[int, dict[int, str]]]:
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise UnreadableWorkbook(
            "This is not an XLSX workbook (it is not a zip archive, or it is cut short). If it is an old .xls "
            "file or has a password, save it again as an .xlsx workbook without a password."
        ) from None
    with archive:
        check_archive(archive)
        root = _relationships_of(archive, "")
        workbook_part = _resolve("", root.by_type.get("/officeDocument", "xl/workbook.xml"))
        if workbook_part not in archive.NameToInfo:
            raise UnreadableWorkbook("The workbook has no sheets: save it again as .xlsx.")
        workbook = _Workbook()
        _parse(archive, workbook_part, workbook)
        relationships = _relationships_of(archive, workbook_part)
        sheet_target = relationships.by_id.get(workbook.first_sheet or "") or relationships.by_type.get("/worksheet")
        sheet_part = _resolve(workbook_part, sheet_target or "")
        if not sheet_target or sheet_part not in archive.NameToInfo:
            raise UnreadableWorkbook("The workbook's first sheet cannot be found: save it again as .xlsx.")
        strings = _SharedStrings()
        if "/sharedStrings" in relationships.by_type:
            strings_part = _resolve(workbook_part, relationships.by_type["/sharedStrings"])
            if strings_part in archive.NameToInfo:
                _parse(archive, strings_part, strings)
        styles = _Styles()
        if "/styles" in relationships.by_type:
            styles_part = _resolve(workbook_part, relationships.by_type["/styles"])
            if styles_part in archive.NameToInfo:
                _parse(archive, styles_part, styles)
        sheet = _Sheet(
            strings=strings.strings,
            date_styles=styles.date_styles,
            epoch=CALENDAR_MAC_1904 if workbook.date1904 else CALENDAR_WINDOWS_1900,
            max_rows=max_rows,
        )
        for _ in _stream(archive, sheet_part, sheet):
            while sheet.rows:
                yield sheet.rows.popleft()
