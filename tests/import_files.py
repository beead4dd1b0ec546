"""Spreadsheets for the import tests, built in memory: a large valid file and hostile ones.

Nothing here is a committed binary: each hostile workbook is assembled by hand, part by part,
so a test says exactly what is wrong with it. Run as a process, it is what those tests measure
(each process has its own memory and its own database connection, as a gunicorn worker does):

    python -m tests.import_files <path> <file name>       # read a file as the upload does; its cost
    python -m tests.import_files import <csv> <username> <start at> <done marker>
    python -m tests.import_files write <username> <claim id> <start at> <done marker>
"""

from __future__ import annotations

import csv
import io
import json
import resource
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
ROW_KINDS = ("person", "claim", "source", "status")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL_NS}">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
    '<sheets><sheet name="Claims" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL_NS}">'
    f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{REL_NS}/worksheet"/>'
    f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{REL_NS}/sharedStrings"/>'
    "</Relationships>"
)


def csv_bytes(rows: Iterable[dict[str, str]], columns: list[str] | None = None) -> bytes:
    from imports.spreadsheet import COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns or COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def large_file_rows(total: int = 5000, prefix: str = "bulk") -> list[dict[str, str]]:
    """``total`` valid rows: people, each with claims that have a source and a status (a verdict with evidence)."""
    rows: list[dict[str, str]] = []
    number = 0
    while len(rows) + 4 <= total:
        if number % 4 == 0:
            rows.append(
                {"type": "person", "slug": f"{prefix}-person-{number}", "name": f"Person {number}", "role": "Mayor"}
            )
        person = f"{prefix}-person-{number - number % 4}"
        claim = f"{prefix}-claim-{number}"
        url = f"https://news.example/{prefix}/{number}?utm_source=feed"
        rows.append(
            {
                "type": "claim",
                "slug": claim,
                "person": person,
                "claim_kind": "pledge",
                "summary": f"Pledge number {number}",
                "quote": f"We will deliver pledge {number} before the next election.",
                "wording": "verbatim",
                "quoted_from": url,
                "made_on": "2025-01-15",
                "deadline": "2027-01-15",
                "topics": f"Transport; Topic {number % 50}",
                "visibility": "published",
            }
        )
        rows.append(
            {
                "type": "source",
                "claim": claim,
                "url": url,
                "title": f"Report {number}",
                "publisher": "Gazette",
                "published_on": "2025-01-15",
                "first_appearance": "yes",
                "excerpt": "The mayor said so.",
            }
        )
        rows.append(
            {
                "type": "status",
                "claim": claim,
                "status": "in-the-works",
                "effective_on": "2025-06-01",
                "rationale": "The council approved the budget.",
                "evidence_url": f"https://council.example/{prefix}/minutes/{number}",
            }
        )
        number += 1
    while len(rows) < total:  # fill up with people
        rows.append({"type": "person", "slug": f"{prefix}-extra-{len(rows)}", "name": f"Extra {len(rows)}"})
    return rows


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _inline_row(number: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{_column_letter(index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for index, value in enumerate(values)
        if value
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(rows: Iterable[list[str]], *, prolog: str = "") -> str:
    body = "".join(_inline_row(number, values) for number, values in enumerate(rows, start=1))
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN_NS}"><sheetData>{body}</sheetData></worksheet>'


def xlsx_bytes(parts: dict[str, str | bytes | Iterator[bytes]], *, compresslevel: int = 6) -> bytes:
    """A workbook from its parts; a part given as an iterator of chunks is streamed into the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for name, content in parts.items():
            if isinstance(content, (str, bytes)):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in content:
                    member.write(chunk)
    return buffer.getvalue()


def minimal_parts(sheet: str, **extra: str | bytes | Iterator[bytes]) -> dict[str, str | bytes | Iterator[bytes]]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
        **extra,
    }


def header_sheet(*rows: list[str]) -> str:
    return sheet_xml([["type", "slug", "name"], *rows])


def repeated(chunk: bytes, total_bytes: int, *, head: bytes = b"", tail: bytes = b"") -> Iterator[bytes]:
    """``head``, then ``chunk`` repeated to about ``total_bytes``, then ``tail``: a part that compresses a thousandfold."""
    yield head
    block = chunk * max(1, (1 << 20) // len(chunk))
    for _ in range(max(1, total_bytes // len(block))):
        yield block
    yield tail


def shared_strings_bomb(expanded_bytes: int) -> bytes:
    """A small workbook whose sharedStrings part expands to ``expanded_bytes`` (the probe's was 1.2 GB)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}"><si><t>'.encode()
    strings = repeated(b"A" * 1024, expanded_bytes, head=head, tail=b"</t></si></sst>")
    return xlsx_bytes(minimal_parts(header_sheet(), **{"xl/sharedStrings.xml": strings}), compresslevel=9)


def empty_rows_bomb(expanded_bytes: int) -> bytes:
    """A small workbook whose sheet is millions of empty rows."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    head += _inline_row(1, ["type", "slug", "name"]).encode()
    rows = repeated(b"<row/>", expanded_bytes, head=head, tail=b"</sheetData></worksheet>")
    return xlsx_bytes(minimal_parts("", **{"xl/worksheets/sheet1.xml": rows}), compresslevel=9)


def modest_empty_rows(count: int) -> bytes:
    """Under every size limit, yet far more rows than a file may have."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    head += _inline_row(1, ["type", "slug", "name"]).encode()
    body = b"".join(f'<row r="{number}"/>'.encode() for number in range(2, count + 2))
    return xlsx_bytes(minimal_parts((head + body + b"</sheetData></worksheet>").decode()))


def wide_row(cells: int) -> bytes:
    """One row of many cells."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    head += _inline_row(1, ["type", "slug", "name"]).encode()
    body = b'<row r="2">' + b'<c t="inlineStr"><is><t>x</t></is></c>' * cells + b"</row>"
    return xlsx_bytes(minimal_parts((head + body + b"</sheetData></worksheet>").decode()))


def many_cells(rows: int, cells: int) -> bytes:
    """Rows of empty cells, each named: within the size and compression limits, yet far more cells than a file has."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
    head += _inline_row(1, ["type", "slug", "name"])
    letters = [_column_letter(index) for index in range(cells)]
    body = "".join(
        f'<row r="{number}">' + "".join(f'<c r="{letter}{number}"/>' for letter in letters) + "</row>"
        for number in range(2, rows + 2)
    )
    return xlsx_bytes(minimal_parts(head + body + "</sheetData></worksheet>"))


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL_ENTITY = '<!DOCTYPE sheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def dtd_workbook(prolog: str = EXTERNAL_ENTITY, entity: str = "&xxe;") -> bytes:
    """A sheet that declares entities and uses one in a cell (XXE, or the billion laughs)."""
    sheet = sheet_xml([["type", "slug", "name"], ["person", "ada", entity]], prolog=prolog)
    return xlsx_bytes(minimal_parts(sheet))


def truncated_workbook() -> bytes:
    whole = xlsx_bytes(minimal_parts(header_sheet(["person", "ada", "Ada"])))
    return whole[: len(whole) // 2]


def compressed_part_under_the_size_limit(expanded_bytes: int) -> bytes:
    """Within the size limits, but compressed far more than any spreadsheet: empty rows again."""
    return empty_rows_bomb(expanded_bytes)


def corrupted_workbook() -> bytes:
    """A whole archive whose sheet's compressed bytes were damaged in transit."""
    rows = [["type", "slug", "name"]] + [["person", f"person-{n}", f"Person {n}"] for n in range(2000)]
    whole = bytearray(xlsx_bytes(minimal_parts(sheet_xml(rows))))
    start = whole.index(b"xl/worksheets/sheet1.xml") + 200
    whole[start : start + 64] = bytes(64)
    return bytes(whole)


def many_parts_workbook(count: int) -> bytes:
    parts = minimal_parts(header_sheet())
    parts.update({f"xl/media/image{index}.png": b"" for index in range(count)})
    return xlsx_bytes(parts)


def unexpected_part_workbook(name: str) -> bytes:
    return xlsx_bytes(minimal_parts(header_sheet(), **{name: b"payload"}))


def parse_in_this_process(path: Path, file_name: str) -> dict[str, object]:
    """Read the file as the upload does, and report what it cost: run as its own process by the tests.

    python -m tests.import_files <path> <file name>
    python -m tests.import_files import <csv path> <username> <start at> <done marker>
    python -m tests.import_files write <username> <claim id> <start at> <done marker>
    """
    import django

    django.setup()
    from imports import spreadsheet

    started = time.perf_counter()
    error, rows = None, 0
    try:
        for _ in spreadsheet.read_rows(file_name=file_name, content=path.read_bytes()):
            rows += 1
    except spreadsheet.FileError as refusal:
        error = str(refusal)
    return {
        "error": error,
        "rows": rows,
        "seconds": time.perf_counter() - started,
        # Kilobytes on Linux: the peak memory of this process, the parse included.
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def wait_until(start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))


def import_through_the_admin(path: Path, username: str, start_at: float, done: Path) -> dict[str, object]:
    """One editor uploads and confirms the file in the admin, as a browser would; ``done`` is touched after."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from imports.models import ImportRun

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    wait_until(start_at)
    started = time.perf_counter()
    try:
        client.post(
            reverse("admin:imports_importrun_upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
        )
        uploaded = time.perf_counter()
        run = ImportRun.objects.latest("pk")
        response = client.post(reverse("admin:imports_importrun_preview", args=[run.pk]))
        page = b"".join(response.streaming_content).decode() if response.streaming else ""
        confirmed = time.perf_counter()
    finally:
        done.touch()
    run.refresh_from_db()
    return {
        "state": run.state,
        "errors": run.errors[:5],
        "counts": run.counts,
        "streamed": response.streaming,
        "progress_lines": page.count(" rows imported ("),
        "outcome": page[page.find("import-outcome") : page.find("import-outcome") + 200],
        "upload_seconds": uploaded - started,
        "confirm_seconds": confirmed - uploaded,
    }


def write_while_importing(username: str, claim_id: int, start_at: float, done: Path) -> dict[str, object]:
    """Another editor saving people, sources and status updates through the services until the import is done."""
    import datetime

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import OperationalError

    from claims import services
    from claims.models import Claim, Source, Status
    from people.models import Person
    from people.services import person_save

    editor = get_user_model().objects.get(username=username)
    statuses = list(Status.objects.on_scale("promise"))
    evidence = list(Source.objects.order_by("pk")[:1])
    wait_until(start_at)
    saved, locked, errors, slowest, index = 0, 0, [], 0.0, 0
    deadline = time.time() + 300
    while not done.exists() and time.time() < deadline:
        index += 1
        claim = Claim.objects.get(pk=claim_id)
        writes = [
            (person_save, {"person": Person(name=f"Writer {index}", slug=f"writer-{index}"), "saved_by": editor}),
            (services.source_get_or_create, {"url": f"https://elsewhere.example/{index}", "title": f"Page {index}"}),
            (
                services.claim_record_status,
                {
                    "claim": claim,
                    "status": statuses[index % len(statuses)],
                    "effective_on": claim.made_on + datetime.timedelta(days=index % 300),
                    "rationale": f"Update {index}.",
                    "evidence": evidence,
                    "recorded_by": editor,
                },
            ),
        ]
        for write, arguments in writes:
            started = time.perf_counter()
            try:
                write(**arguments)
                saved += 1
            except OperationalError as error:
                locked += "locked" in str(error)
                errors.append(str(error)[:200])
            slowest = max(slowest, time.perf_counter() - started)
        time.sleep(0.02)
    return {"saved": saved, "locked": locked, "errors": errors[:5], "slowest_write_seconds": slowest}


def main(argv: list[str]) -> dict[str, object]:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings.dev")
    if argv[0] == "import":
        return import_through_the_admin(Path(argv[1]), argv[2], float(argv[3]), Path(argv[4]))
    if argv[0] == "write":
        return write_while_importing(argv[1], int(argv[2]), float(argv[3]), Path(argv[4]))
    return parse_in_this_process(Path(argv[0]), argv[1])


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
