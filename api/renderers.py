"""CSV for the claim list (streamed row by row) and the scorecards, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder as DRFJSONEncoder

# A cell starting with one of these is a formula to a spreadsheet; prefixing ' makes it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(BaseRenderer):
    """Chosen with ``?format=csv``, ``/claims.csv`` or ``Accept: text/csv``.

    The claim list streams its body itself; a scorecard answers with the CSV text (``csv_lines``).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        # Errors are switched to JSON (api/views/http_caching.py); a view that streams never gets here.
        return data.encode(self.charset) if isinstance(data, str) else b""


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return "" if value is None else value


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


class OrjsonRenderer(JSONRenderer):
    """``application/json`` through orjson: several times faster than the standard library encoder.

    Values orjson does not know (lazy translations, Decimals from other serializers) go through
    DRF's own encoder, so every body renders as before.
    """

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_drf_encoder.default, option=orjson.OPT_NON_STR_KEYS)


_drf_encoder = DRFJSONEncoder()
